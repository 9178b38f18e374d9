//! Chapter 6's wrong variants, with the check each runs and the fragment meant for it.

use super::{variant, Variant};
use crate::applications::prompts::*;
use crate::wrong::applications::prompts as p;

/// §6.1 to §6.6, a function per section.
pub fn variants() -> Vec<Variant> {
    [section_6_1()].into_iter().flatten().collect()
}

fn section_6_1() -> Vec<Variant> {
    vec![
        variant!(
            "6.1.render_template",
            check_render_template(p::render_successive_replaces),
            "read as a template"
        ),
        variant!(
            "6.1.render_template",
            check_render_template(p::render_doubled_braces),
            "literal braces"
        ),
        variant!(
            "6.1.render_template",
            check_render_template(p::render_leaves_missing),
            "left the placeholder"
        ),
        variant!(
            "6.1.render_template",
            check_render_template(p::render_ignores_unused),
            "never uses it"
        ),
        variant!("6.1.parse_list", check_parse_list(p::list_keeps_markers), "markers stayed"),
        variant!("6.1.parse_list", check_parse_list(p::list_ascii_commas_only), "full-width"),
        variant!("6.1.parse_list", check_parse_list(p::list_skips_stray_lines), "must be an error"),
        variant!(
            "6.1.parse_list",
            check_parse_list(p::list_splits_items_at_commas),
            "comma inside a list line"
        ),
        variant!("6.1.parse_list", check_parse_list(p::list_vague_errors), "should quote"),
    ]
}
