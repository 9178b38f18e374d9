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
    assert!(
        stub.contains(&format!("todo!(\"{NOT_STARTED}: `cargo course hint 1.1.split_heads`")),
        "{stub}"
    );
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
    let ascii = dup.replacen("title_zh = \"t\"", "title_zh = \"是什么?\"", 1);
    let err = Catalog::parse(&ascii).unwrap_err().to_string();
    assert!(err.contains("section 1.1") && err.contains("(write `？`)"), "{err}");
    let unknown = dup.replacen("section = \"1.1\"\nitem", "section = \"9.9\"\nitem", 1);
    assert!(Catalog::parse(&unknown).unwrap_err().to_string().contains("unknown section `9.9`"));
}

#[test]
fn a_catalogue_needs_hints_and_names_the_file_and_id() {
    let base = r#"
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
hints = []
todo = []
"#;
    let err = Catalog::parse_file(base, "x/info.toml").unwrap_err().to_string();
    assert!(err.contains("x/info.toml") && err.contains("1.1.f") && err.contains("hint"), "{err}");
    let blank = base.replace("hints = []", "hints = [\"idea\", \" \"]");
    assert!(Catalog::parse(&blank).is_err());
    let ok = base.replace("hints = []", "hints = [\"idea\", \"calls\"]");
    assert_eq!(Catalog::parse(&ok).unwrap().exercises[0].hints, ["idea", "calls"]);
}

/// The leaves of a use tree with their full paths.
fn use_leaves(tree: &syn::UseTree, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
    let with = |name: String| prefix.iter().cloned().chain([name]).collect::<Vec<_>>();
    match tree {
        syn::UseTree::Path(p) => use_leaves(&p.tree, with(p.ident.to_string()), out),
        syn::UseTree::Name(n) => out.push(with(n.ident.to_string())),
        syn::UseTree::Rename(r) => out.push(with(r.ident.to_string())),
        syn::UseTree::Glob(_) => out.push(with("*".into())),
        syn::UseTree::Group(g) => g.items.iter().for_each(|t| use_leaves(t, prefix.clone(), out)),
    }
}

#[test]
fn stubs_import_the_modules_types_but_no_library_function() {
    let catalog = Catalog::load(&root()).unwrap();
    let files = render_all(&root(), &catalog).unwrap();
    let lib = root().join("solutions/src");
    for (path, text) in &files {
        for item in &syn::parse_file(text).unwrap().items {
            let syn::Item::Use(u) = item else { continue };
            let mut leaves = vec![];
            use_leaves(&u.tree, vec![], &mut leaves);
            for leaf in leaves.iter().filter(|l| l[0] == "solutions") {
                let name = leaf.last().unwrap();
                let module = leaf[1..].iter().fold(lib.clone(), |p, s| p.join(s));
                let is_module = module.with_extension("rs").is_file() || module.is_dir();
                assert!(
                    name != "*" && (is_module || !name.starts_with(|c: char| c.is_lowercase())),
                    "{} imports the library's `{}`: only types may be imported",
                    path.display(),
                    leaf.join("::")
                );
            }
        }
    }
    let attn = &files.iter().find(|(p, _)| p.ends_with("self_attention.rs")).unwrap().1;
    assert!(attn.contains("use solutions::foundations::self_attention::"), "{attn}");
    assert!(attn.contains("Mask"), "the types the signatures need are imported: {attn}");
}

/// A learner's file: `split_heads` forwards to the library in four disguises.
const CHEATS: &str = r#"
use solutions as lib;
use solutions::foundations::self_attention as attn;
use solutions::foundations::self_attention::Mask;

pub fn split_heads() {
    let _m: Option<Mask<usize, usize, usize>> = None;
    solutions::foundations::self_attention::split_heads(x, 2)
}
pub fn merge_heads() {
    attn::merge_heads(x)
}
pub fn attention_weights() {
    use solutions::foundations::self_attention::attention_weights as aw;
    aw(q, k, None)
}
pub fn scaled_dot_product_attention() {
    let w = helper();
    w
}
fn helper() {
    println!("{:?}", lib::foundations::self_attention::scaled_dot_product_attention(q, k, v, None));
}
pub fn honest() {
    let m = Mask::causal(4);
    let own = split_heads(x, 2);
    crate::foundations::self_attention::merge_heads(own)
}
pub fn globbed() {
    use solutions::foundations::self_attention::*;
    attention_weights(q, k, None)
}
"#;

#[test]
fn library_calls_are_found_through_every_disguise() {
    let lib = root().join("solutions/src");
    let calls = |item: &str| library_calls_in(CHEATS, item, &lib);
    let path = "solutions::foundations::self_attention";
    assert_eq!(
        calls("split_heads"),
        [format!("your `fn split_heads` calls the library's `{path}::split_heads`")]
    );
    assert_eq!(
        calls("merge_heads"),
        [format!("your `fn merge_heads` calls the library's `{path}::merge_heads`")]
    );
    assert_eq!(calls("attention_weights").len(), 1, "a renamed in-body import");
    let through = calls("scaled_dot_product_attention");
    assert_eq!(through.len(), 1);
    assert!(through[0].contains("through your `fn helper`") && through[0].contains("scaled_dot"));
    // Types, associated functions and the learner's own functions are fine; the learner's
    // `split_heads` is read too, and it is the cheating one.
    let honest = calls("honest");
    assert_eq!(honest.len(), 1, "{honest:?}");
    assert!(
        honest[0].contains("split_heads") && honest[0].contains("through your `fn split_heads`")
    );
    assert_eq!(calls("globbed").len(), 1, "a glob from the library module in the body");
    assert!(library_calls_in("fn broken(", "broken", &lib).is_empty());
}

/// §3.3 and §3.5 hold exercises defined in sibling modules and re-exported by the
/// section's module: the stub comes from the defining file, with the imports its signature
/// needs, and a sibling's `super::` import (a library module the learner does not have)
/// is read as the library's path, so that the function leaf is dropped.
#[test]
fn a_re_exported_exercise_is_rendered_from_the_file_that_defines_it() {
    let catalog = Catalog::load(&root()).unwrap();
    let stub = render_stub(&root(), &catalog, "3.3.swiglu").unwrap();
    assert!(stub.contains("pub fn swiglu<") && stub.contains("SiLU"), "{stub}");
    assert!(!stub.contains("sigmoid()"), "the library's body leaked: {stub}");
    let src = solution_source(&root(), &catalog, "3.5.clip_grad_norm").unwrap();
    assert!(src.contains("clip_coefficient(total_norm, max_norm)"), "{src}");
    let file = render_section(&root(), &catalog, catalog.section("3.5").unwrap()).unwrap();
    assert!(!file.contains("super::"), "a sibling's super:: import was copied: {file}");
    assert!(!file.contains("for_each_grad"), "a library function was imported: {file}");
    let file = render_section(&root(), &catalog, catalog.section("3.3").unwrap()).unwrap();
    assert!(file.contains("use solutions::architectures::param_count::LlamaDims;"), "{file}");
    assert_eq!(file.matches("use solutions::Dev;").count(), 1, "an import twice: {file}");
}

/// Two library files behind one section (§4.5's LoRA and soft prompt) import overlapping
/// groups from one module; written side by side they would import `Dyn` twice.
#[test]
fn merged_imports_name_each_item_once() {
    let uses = [
        "use a::b::{Dyn, Matrix};".to_string(),
        "#[allow(unused_imports)]\nuse a::b::{Dyn, Matrix, Vector};".to_string(),
        "use a::c::*;".to_string(),
        "use a::{b::Dyn, c::*, d::E as F};".to_string(),
    ];
    let merged = imports::merged(&uses).unwrap().concat();
    assert_eq!(merged.matches("Dyn").count(), 1, "{merged}");
    assert!(merged.contains("use a::b::{Dyn, Matrix, Vector};"), "{merged}");
    assert_eq!(merged.matches("use a::c::*;").count(), 1, "{merged}");
    assert!(merged.contains("use a::d::E as F;"), "{merged}");
}
