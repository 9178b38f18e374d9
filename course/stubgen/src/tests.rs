use super::*;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn stub_keeps_the_signature_and_docs_and_lists_the_todos() {
    let catalog = Catalog::load(&root()).unwrap();
    let stub = render_stub(&root(), &catalog, "1.1.split_heads").unwrap();
    assert!(stub.contains("pub fn split_heads<"), "{stub}");
    assert!(stub.contains("/// Split the model width into heads"), "{stub}");
    assert!(stub.contains("// TODO: return x (B, S, M) as H = `heads` heads"), "{stub}");
    assert!(stub.contains(&format!("todo!(\"{NOT_STARTED}: 1.1.split_heads")), "{stub}");
    // The library's body must not leak into the stub.
    assert!(!stub.contains("reshape_like"), "{stub}");
}

#[test]
fn generated_files_parse_and_cover_every_exercise() {
    let catalog = Catalog::load(&root()).unwrap();
    let files = render_all(&root(), &catalog).unwrap();
    for (path, text) in &files {
        syn::parse_file(text).unwrap_or_else(|e| panic!("{} does not parse: {e}", path.display()));
    }
    let all: String = files.iter().map(|(_, t)| t.as_str()).collect();
    for ex in &catalog.exercises {
        assert!(all.contains(&format!("pub fn {}", ex.item)), "no stub for {}", ex.id);
    }
}

#[test]
fn replace_fn_restores_one_function_and_keeps_the_rest() {
    let file = "fn keep() -> u8 {\n    1\n}\n\n/// doc\nfn work(x: u8) -> u8 {\n    x + 41\n}\n";
    let out =
        replace_fn(file, "work", "/// doc\nfn work(x: u8) -> u8 {\n    todo!()\n}\n").unwrap();
    assert_eq!(
        out,
        "fn keep() -> u8 {\n    1\n}\n\n/// doc\nfn work(x: u8) -> u8 {\n    todo!()\n}\n"
    );
    assert_eq!(fn_lines(file, "work"), Some((5, 8)));
    assert!(replace_fn("fn broken( {", "work", "").is_err());
}

#[test]
fn solution_source_is_the_library_text_with_its_comments() {
    let catalog = Catalog::load(&root()).unwrap();
    let src = solution_source(&root(), &catalog, "1.1.merge_heads").unwrap();
    assert!(src.starts_with("/// Merge the heads back"), "{src}");
    assert!(src.contains("// Bring the tokens back"), "{src}");
}

#[test]
fn bad_catalogues_are_rejected_with_the_reason() {
    let dup = r#"
[[section]]
id = "1.1"
title = "t"
title_zh = "t"
module = "a/b"
page = "p"
notebook = "n"
task = "t"
[[exercise]]
id = "1.1.f"
section = "1.1"
item = "f"
hints = ["h"]
todo = []
[[exercise]]
id = "1.1.f"
section = "1.1"
item = "f"
hints = ["h"]
todo = []
"#;
    assert!(Catalog::parse(dup).unwrap_err().to_string().contains("appears twice"));
    let unknown = dup.replacen("section = \"1.1\"\nitem", "section = \"9.9\"\nitem", 1);
    assert!(Catalog::parse(&unknown).unwrap_err().to_string().contains("unknown section `9.9`"));
}
