//! Generates the pristine exercise stubs from the library and `exercises/info.toml`, so the
//! proofs that every suite fails on untouched stubs never read the learner's own copy.

use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    println!("cargo:rerun-if-changed=../exercises/info.toml");
    println!("cargo:rerun-if-changed=../solutions/src");
    let catalog = stubgen::Catalog::load(&root).expect("exercises/info.toml");
    let code = stubgen::render_inline(&root, &catalog).expect("rendering the pristine stubs");
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("pristine.rs");
    std::fs::write(out, code).unwrap();
}
