//! "Did you mean `1.1.split_heads`?": the answer to an unknown section or exercise id.
//!
//! Listing the whole catalogue stopped helping at 37 exercises and will not fit on a screen
//! at 100+; the learner has usually mistyped one id. So the answer is the closest ids by
//! edit distance (Levenshtein, from `strsim`, the crate clap uses for the same job), the
//! exercises of the section the id names if that section exists, and the sections in
//! ranges ("1.1–1.9, 2.1–2.6"). Like `git`'s and cargo's suggestions.

use stubgen::Catalog;

/// How many suggestions at most.
const MAX_SUGGESTIONS: usize = 3;

/// One line for an unknown `target`; `what` says what was expected ("section or
/// exercise", "exercise").
pub fn unknown(catalog: &Catalog, target: &str, what: &str) -> String {
    let mut out = format!("unknown {what} `{target}`");
    let close = closest(catalog, target, what.contains("section"));
    if !close.is_empty() {
        let quoted: Vec<String> = close.iter().map(|id| format!("`{id}`")).collect();
        out.push_str(&format!(": did you mean {}?", or_list(&quoted)));
    }
    // `1.1.nope`: the section is right, so its few exercises are the useful list.
    let section = catalog
        .sections
        .iter()
        .filter(|s| target.starts_with(&format!("{}.", s.id)))
        .max_by_key(|s| s.id.len());
    if let Some(s) = section {
        let items: Vec<&str> = catalog.exercises_in(&s.id).map(|e| e.item.as_str()).collect();
        out.push_str(&format!(" §{}'s exercises are {}.", s.id, items.join(", ")));
    }
    out.push_str(&format!(
        " The sections are {}; `cargo course grade SECTION` lists a section's exercises.",
        section_ranges(catalog)
    ));
    out
}

/// The ids closest to `target`, best first: an exercise id (or, with `sections`, a section
/// id) within a few edits of what was typed, or whose function name alone is
/// (`split_head` finds `1.1.split_heads`).
pub fn closest<'a>(catalog: &'a Catalog, target: &str, sections: bool) -> Vec<&'a str> {
    let typed = target.to_lowercase();
    let distance = |candidate: &str| strsim::levenshtein(&typed, &candidate.to_lowercase());
    let mut scored: Vec<(usize, usize, &str)> = vec![];
    for (order, ex) in catalog.exercises.iter().enumerate() {
        scored.push((distance(&ex.id).min(distance(&ex.item)), order, ex.id.as_str()));
    }
    if sections {
        for (order, s) in catalog.sections.iter().enumerate() {
            scored.push((distance(&s.id), order, s.id.as_str()));
        }
    }
    // About one typo in three characters (a swap, `spilt`, is two edits), and at least
    // one: for a short id like `9.9` more than one edit reaches everything.
    let allowed = (typed.chars().count() / 3).max(1);
    scored.retain(|(d, _, _)| *d <= allowed);
    scored.sort();
    let best = scored.first().map(|(d, _, _)| *d).unwrap_or(0);
    // Only the nearest ties and near-ties: one far guess after a perfect one is noise.
    scored
        .into_iter()
        .filter(|(d, _, _)| *d <= best + 1)
        .map(|(_, _, id)| id)
        .take(MAX_SUGGESTIONS)
        .collect()
}

/// The sections in compact form: consecutive sections of a chapter as a range,
/// `1.1–1.9, 2.1–2.6`.
pub fn section_ranges(catalog: &Catalog) -> String {
    let mut runs: Vec<(String, String)> = vec![];
    let mut last: Option<(String, u32)> = None;
    for s in &catalog.sections {
        let parsed = s.id.split_once('.').and_then(|(c, n)| Some((c.to_string(), n.parse().ok()?)));
        let continues =
            matches!((&last, &parsed), (Some((c0, n0)), Some((c, n))) if c0 == c && *n == n0 + 1);
        match runs.last_mut() {
            Some(run) if continues => run.1 = s.id.clone(),
            _ => runs.push((s.id.clone(), s.id.clone())),
        }
        last = parsed;
    }
    let parts: Vec<String> =
        runs.into_iter().map(|(a, b)| if a == b { a } else { format!("{a}–{b}") }).collect();
    parts.join(", ")
}

/// `a`, `a or b`, `a, b or c`.
fn or_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> Catalog {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        Catalog::load(&root).unwrap()
    }

    #[test]
    fn a_typo_finds_the_intended_id_and_nothing_far() {
        let c = catalog();
        assert_eq!(closest(&c, "1.1.split_head", true), ["1.1.split_heads"]);
        assert_eq!(closest(&c, "1.1.spilt_heads", true), ["1.1.split_heads"]);
        // The function's name alone is enough.
        assert_eq!(closest(&c, "merge_head", true), ["1.1.merge_heads"]);
        assert!(closest(&c, "completely_unrelated", true).is_empty());
    }

    #[test]
    fn sections_are_suggested_only_where_sections_are_valid() {
        let c = catalog();
        assert!(closest(&c, "1.10", true).contains(&"1.1"), "{:?}", closest(&c, "1.10", true));
        assert!(!closest(&c, "1.10", false).contains(&"1.1"));
    }

    #[test]
    fn the_answer_is_one_short_line_not_the_catalogue() {
        let c = catalog();
        let m = unknown(&c, "1.1.split_head", "section or exercise");
        assert!(m.contains("did you mean `1.1.split_heads`?"), "{m}");
        assert!(m.contains("§1.1's exercises are attention_weights,"), "{m}");
        assert!(m.contains("The sections are 1.1–1.9, 2.1–2.6"), "{m}");
        assert!(!m.contains("2.6.bits_per_char") && !m.contains('\n'), "{m}");
        let m = unknown(&c, "9.9", "section or exercise");
        assert!(m.contains("The sections are 1.1–1.9") && !m.contains("1.1.split"), "{m}");
        let m = unknown(&c, "tokenizer", "section or exercise");
        assert!(!m.contains("did you mean") && !m.contains("exercises are"), "{m}");
    }

    #[test]
    fn ranges_break_where_numbering_does() {
        let c = crate::test_support::two_exercise_catalog("foundations/attn");
        assert_eq!(section_ranges(&c), "1.1");
        let or = or_list(&["a".into(), "b".into(), "c".into()]);
        assert_eq!(or, "a, b or c");
    }
}
