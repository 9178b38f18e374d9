//! Measured blocks: tables and sentences of the chapter pages that report a measurement of
//! the library, rendered from the library by `cargo course pages` and spliced between two
//! markers of a hand-written page, so that a page cannot drift from what the code measures
//! (`pages --check` fails when it does). Each family of tables has its own generator file
//! (`tokenization_tables`, `vocab_extension_table`, `perplexity_tables`); this file holds
//! the registry and the splicing, as `zoo_table` does for §3.6.

use super::{perplexity_tables, tokenization_tables, vocab_extension_table};

/// One generated block: where it goes and how to render it.
pub struct Block {
    /// The page, relative to `chapters/`.
    pub page: &'static str,
    /// The marker name, unique within the page.
    pub name: &'static str,
    /// The block's markdown, from the library.
    pub render: fn() -> String,
}

/// Every measured block of the book, in page order.
pub const BLOCKS: &[Block] = &[
    Block {
        page: tokenization_tables::PAGE,
        name: "english",
        render: tokenization_tables::english,
    },
    Block {
        page: tokenization_tables::PAGE,
        name: "chinese",
        render: tokenization_tables::chinese,
    },
    Block {
        page: tokenization_tables::PAGE,
        name: "word-runs",
        render: tokenization_tables::word_runs,
    },
    Block {
        page: vocab_extension_table::PAGE,
        name: "extension",
        render: vocab_extension_table::render,
    },
    Block { page: perplexity_tables::PAGE, name: "floor", render: perplexity_tables::floor },
    Block { page: perplexity_tables::PAGE, name: "baseline", render: perplexity_tables::baseline },
];

pub fn begin(name: &str) -> String {
    format!(
        "<!-- measured:{name}: generated from the library by `cargo course pages`; do not edit -->"
    )
}

pub fn end(name: &str) -> String {
    format!("<!-- measured:{name}:end -->")
}

/// `page` with the text between block `name`'s markers replaced by `body`.
pub fn splice(page_name: &str, page: &str, name: &str, body: &str) -> Result<String, String> {
    let (begin, end) = (begin(name), end(name));
    let missing = || format!("chapters/{page_name}: the markers `{begin}` and `{end}` are missing");
    let start = page.find(&begin).ok_or_else(missing)? + begin.len();
    let stop = page[start..].find(&end).ok_or_else(missing)? + start;
    Ok(format!("{}\n\n{}\n\n{}", &page[..start], body.trim_end(), &page[stop..]))
}

/// The distinct pages that hold measured blocks.
pub fn pages() -> Vec<&'static str> {
    let mut pages: Vec<&str> = BLOCKS.iter().map(|b| b.page).collect();
    pages.dedup();
    pages
}

/// `page` (the text of `page_name`) with every one of its blocks rendered afresh.
pub fn render_page(page_name: &str, page: &str) -> Result<String, String> {
    let mut out = page.to_string();
    for block in BLOCKS.iter().filter(|b| b.page == page_name) {
        out = splice(page_name, &out, block.name, &(block.render)())?;
    }
    Ok(out)
}

/// A number with thousands separators, as the pages write counts (3,025).
pub fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let groups: Vec<&str> =
        digits.as_bytes().rchunks(3).rev().map(|g| std::str::from_utf8(g).unwrap()).collect();
    groups.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splice_replaces_only_between_the_markers() {
        let page = format!("intro\n{}\nold\n{}\noutro\n", begin("t"), end("t"));
        let fresh = splice("p.md", &page, "t", "new\n").unwrap();
        assert_eq!(fresh, format!("intro\n{}\n\nnew\n\n{}\noutro\n", begin("t"), end("t")));
        assert_eq!(splice("p.md", &fresh, "t", "new").unwrap(), fresh, "not idempotent");
        let err = splice("p.md", "no markers", "t", "x").unwrap_err();
        assert!(err.contains("chapters/p.md") && err.contains("measured:t"), "{err}");
    }

    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(grouped(3025), "3,025");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1_000_000), "1,000,000");
    }

    /// Every page's blocks are up to date (CI also runs `pages --check`).
    #[test]
    fn the_committed_measured_blocks_are_up_to_date() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../chapters");
        for page in pages() {
            let text = std::fs::read_to_string(root.join(page)).unwrap();
            let fresh = render_page(page, &text).unwrap_or_else(|e| panic!("{e}"));
            assert!(fresh == text, "chapters/{page} is stale: run `cargo course pages`");
        }
    }
}
