use super::*;
use crate::architectures::lm_masks::render;

/// The figure draws the same three grids that the page prints in text.
#[test]
fn the_panels_are_the_grids_on_the_page() {
    let page = include_str!("../../../../chapters/03-architectures/01-masks.md");
    let header = page.lines().position(|l| l.starts_with("causal ")).expect("the grid block");
    let rows: Vec<Vec<&str>> = page
        .lines()
        .skip(header + 1)
        .take(MASK_SEQ)
        .map(|l| l.split_whitespace().collect())
        .collect();
    for (k, (title, mask)) in mask_panels(MASK_SEQ, MASK_PREFIX, MASK_LENGTH).iter().enumerate() {
        let drawn: Vec<String> = render(mask).lines().map(String::from).collect();
        let printed: Vec<&str> = rows.iter().map(|r| r[k]).collect();
        assert_eq!(drawn, printed, "panel {k} ({title}) differs from the page's grid");
    }
}
