//! Unit tests of grading's pure parts: resolving targets, mapping compile errors to
//! exercises, the copy's manifest and workspace. `course/tests/grade.rs` runs the real thing.

use super::cargo::CompileError;
use super::shadow::{manifest, Patches};
use super::*;

fn error(file: PathBuf, line: usize) -> CompileError {
    CompileError {
        file,
        line,
        column: 5,
        message: "mismatched types".into(),
        rendered: "error[E0308]".into(),
    }
}

#[test]
fn resolves_sections_ids_and_everything() {
    let c = crate::test_support::two_exercise_catalog("foundations/attn");
    let (all, scope) = resolve(&c, None).unwrap();
    assert_eq!((all.len(), scope.as_str()), (2, "the course"));
    let (s, scope) = resolve(&c, Some("1.1")).unwrap();
    assert_eq!((s.len(), scope.as_str()), (2, "§1.1"));
    let (one, _) = resolve(&c, Some("1.1.b")).unwrap();
    assert_eq!(one[0].id, "1.1.b");
    let err = resolve(&c, Some("9.9")).unwrap_err();
    let user = err.downcast_ref::<crate::UserError>().expect("a user error (exit 2)");
    assert!(user.0.contains("The sections are 1.1;"), "{user}");
    let err = resolve(&c, Some("1.1.c")).unwrap_err();
    let user = err.downcast_ref::<crate::UserError>().expect("a user error (exit 2)");
    assert!(user.0.contains("did you mean `1.1.a` or `1.1.b`?"), "{user}");
    assert!(user.0.contains("§1.1's exercises are a, b."), "{user}");
}

#[test]
fn errors_map_to_the_fn_that_spans_them_or_to_the_file() {
    let c = crate::test_support::two_exercise_catalog("foundations/attn");
    let dir = tempfile::tempdir().unwrap();
    let learner = dir.path().join("exercises");
    let file = learner.join("src/foundations/attn.rs");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    // Lines: 1 use, 2 blank, 3-5 fn a, 6 blank, 7-9 fn b.
    std::fs::write(&file, "use x;\n\npub fn a() {\n    1u8 + \"\"\n}\n\npub fn b() {\n    ()\n}\n")
        .unwrap();
    let mut p = Patches::default();
    let left = p.assign(&c, &learner, &learner, &[error(file.clone(), 4), error(file.clone(), 4)]);
    assert!(left.is_empty());
    assert_eq!(p.fns.keys().collect::<Vec<_>>(), ["1.1.a"]);
    assert_eq!(p.fns["1.1.a"].line, 4);
    assert!(p.error_for("1.1.a", "1.1").is_some() && p.error_for("1.1.b", "1.1").is_none());
    // An error in an already patched stub, at the next build, means the file around it
    // is broken.
    let left = p.assign(&c, &learner, &learner, &[error(file.clone(), 3)]);
    assert!(left.is_empty() && p.files.contains_key("1.1"));
    assert!(p.error_for("1.1.b", "1.1").is_some());
    // Once the whole file is pristine, nothing more can be patched there.
    assert_eq!(p.assign(&c, &learner, &learner, &[error(file.clone(), 8)]).len(), 1);
    // Generated scaffolding is regenerated once; other files cannot be patched.
    let lib = learner.join("src/lib.rs");
    assert!(p.assign(&c, &learner, &learner, &[error(lib.clone(), 1)]).is_empty());
    assert_eq!(p.assign(&c, &learner, &learner, &[error(lib, 1)]).len(), 1);
    assert_eq!(
        p.assign(&c, &learner, &learner, &[error(learner.join("tests/grade.rs"), 1)]).len(),
        1
    );
}

#[test]
fn errors_outside_any_fn_patch_the_whole_file() {
    let c = crate::test_support::two_exercise_catalog("foundations/attn");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("src/foundations/attn.rs");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, "use nothing::here;\n\npub fn a() {}\n").unwrap();
    let mut p = Patches::default();
    assert!(p.assign(&c, dir.path(), dir.path(), &[error(file, 1)]).is_empty());
    assert!(p.fns.is_empty() && p.files["1.1"].line == 1);
}

#[test]
fn lines_found_in_the_copy_point_into_the_learners_file() {
    let c = crate::test_support::two_exercise_catalog("foundations/attn");
    let dir = tempfile::tempdir().unwrap();
    let (learner, copy) = (dir.path().join("learner"), dir.path().join("copy"));
    let rel = "src/foundations/attn.rs";
    for d in [&learner, &copy] {
        std::fs::create_dir_all(d.join("src/foundations")).unwrap();
    }
    // The learner's `a` is 5 lines long, its stub in the copy 3: `b` moves up by 2.
    std::fs::write(
        learner.join(rel),
        "pub fn a() {\n    x;\n    y;\n    z\n}\npub fn b() {\n    bad\n}\n",
    )
    .unwrap();
    std::fs::write(copy.join(rel), "pub fn a() {\n    todo!()\n}\npub fn b() {\n    bad\n}\n")
        .unwrap();
    let mut p = Patches::default();
    assert!(p.assign(&c, &learner, &copy, &[error(copy.join(rel), 5)]).is_empty());
    assert_eq!(p.fns["1.1.b"].line, 7);
    assert_eq!(p.fns["1.1.b"].file, learner.join(rel));
}

#[test]
fn the_copys_manifest_is_the_learners_renamed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let m: toml::Table = toml::from_str(&manifest(&root).unwrap()).unwrap();
    assert!(m["package"]["name"].as_str().unwrap().starts_with("course-shadow-"));
    assert_eq!(m["lib"]["name"].as_str(), Some("exercises"), "the tests import `exercises`");
    assert_eq!(m["dependencies"]["solutions"]["workspace"].as_bool(), Some(true));
}

#[test]
fn the_mirror_workspace_has_the_course_members_at_their_paths_and_times() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").canonicalize().unwrap();
    let dest = tempfile::tempdir().unwrap();
    mirror::workspace(&root, dest.path()).unwrap();
    let m: toml::Table =
        toml::from_str(&std::fs::read_to_string(dest.path().join("Cargo.toml")).unwrap()).unwrap();
    let ws = m["workspace"].as_table().unwrap();
    let members: Vec<&str> =
        ws["members"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert_eq!(members, ["exercises", "solutions", "tests", "course/stubgen"]);
    assert!(!ws.contains_key("default-members"));
    assert_eq!(ws["dependencies"]["solutions"]["path"].as_str(), Some("solutions"), "relative");
    assert!(!ws["dependencies"].as_table().unwrap().contains_key("peers"), "not in the copy");
    assert!(m.contains_key("profile"), "the same profiles, so the same builds");
    let time = |p: &Path| std::fs::metadata(p).unwrap().modified().unwrap();
    for file in
        ["solutions/src/lib.rs", "solutions/src/nlp", "tests/build.rs", "exercises/info.toml"]
    {
        assert_eq!(time(&dest.path().join(file)), time(&root.join(file)), "{file}");
    }
    assert_eq!(time(&dest.path().join("data/reference")), time(&root.join("data/reference")));
    // A second call writes nothing.
    let before = time(&dest.path().join("Cargo.toml"));
    std::thread::sleep(std::time::Duration::from_millis(20));
    mirror::workspace(&root, dest.path()).unwrap();
    assert_eq!(time(&dest.path().join("Cargo.toml")), before);
}

#[test]
fn the_report_names_the_first_real_failure() {
    let g = |id: &str, status: &str| Graded {
        id: id.into(),
        status: status.into(),
        summary: words(status).into(),
        message: format!("message of {id}"),
    };
    // Only checks that printing does not panic on any mix; the text is checked end to end.
    print_report(
        &[g("1.1.a", "not_started"), g("1.1.b", "failed"), g("1.1.c", "passed")],
        "§1.1",
        1.0,
    );
    print_report(&[], "§1.1", 0.0);
}
