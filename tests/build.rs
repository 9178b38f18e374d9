//! Generates the pristine exercise stubs from the library and `exercises/info.toml`, so the
//! proofs that every suite fails on untouched stubs never read the learner's own copy.

use std::path::Path;

fn main() {
    // Read at run time: a copy of the workspace sharing this target dir must not see the
    // path this script happened to be compiled from.
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&manifest).join("..");
    println!("cargo:rerun-if-changed=../exercises/info.toml");
    println!("cargo:rerun-if-changed=../solutions/src");
    let catalog = stubgen::Catalog::load(&root).expect("exercises/info.toml");
    let code = stubgen::render_inline(&root, &catalog).expect("rendering the pristine stubs");
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("pristine.rs");
    std::fs::write(out, code).unwrap();
}
