//! Fixtures shared by the CLI's unit tests.

/// A one-section catalogue with two exercises, `1.1.a` and `1.1.b`, in library module
/// `module` (e.g. "foundations/attn").
pub fn two_exercise_catalog(module: &str) -> stubgen::Catalog {
    let info = format!(
        r#"
[[section]]
id = "1.1"
title = "Attention"
title_zh = "注意力"
module = "{module}"
page = "p.md"
notebook = "n.ipynb"
task = "t"

[[exercise]]
id = "1.1.a"
section = "1.1"
item = "a"
hints = ["h"]
todo = []

[[exercise]]
id = "1.1.b"
section = "1.1"
item = "b"
hints = ["h"]
todo = []
"#
    );
    stubgen::Catalog::parse(&info).expect("the fixture catalogue parses")
}
