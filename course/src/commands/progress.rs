//! `course progress`: per-chapter and per-section progress (passed / total) from the
//! learner's state, and the next exercise to do. `start` prints the same dashboard.

use crate::state::State;
use anyhow::Result;
use std::path::Path;
use stubgen::Catalog;

/// One section's line of the dashboard.
#[derive(Debug, PartialEq)]
pub struct SectionProgress {
    pub id: String,
    pub title: String,
    pub passed: usize,
    pub total: usize,
}

/// Progress per chapter (its module name, then its sections), and the first exercise in
/// catalogue order that does not pass now.
pub fn summarize(
    catalog: &Catalog,
    state: &State,
) -> (Vec<(String, Vec<SectionProgress>)>, Option<String>) {
    let chapters = catalog
        .chapters()
        .into_iter()
        .map(|(chapter, sections)| {
            let rows = sections
                .iter()
                .map(|s| {
                    let ids: Vec<&str> =
                        catalog.exercises_in(&s.id).map(|e| e.id.as_str()).collect();
                    SectionProgress {
                        id: s.id.clone(),
                        title: s.title.clone(),
                        passed: ids.iter().filter(|id| state.passes_now(id)).count(),
                        total: ids.len(),
                    }
                })
                .collect();
            (chapter, rows)
        })
        .collect();
    let next = catalog.exercises.iter().find(|e| !state.passes_now(&e.id)).map(|e| e.id.clone());
    (chapters, next)
}

/// A ten-cell bar: `██████░░░░`.
fn bar(passed: usize, total: usize) -> String {
    let full = (passed * 10).checked_div(total).unwrap_or(0);
    "█".repeat(full) + &"░".repeat(10 - full)
}

/// Prints the dashboard: per chapter and section, passed / total, then what to do next.
pub fn print_dashboard(root: &Path) -> Result<()> {
    let catalog = Catalog::load(root)?;
    let state = State::load(root)?;
    let (chapters, next) = summarize(&catalog, &state);
    for (chapter, sections) in &chapters {
        let (p, t) = sections.iter().fold((0, 0), |(p, t), s| (p + s.passed, t + s.total));
        let number = sections.first().and_then(|s| s.id.split('.').next()).unwrap_or("?");
        println!("Chapter {number} · {chapter}  {p}/{t}");
        for s in sections {
            println!(
                "  §{:<5} {} {}/{}  {}",
                s.id,
                bar(s.passed, s.total),
                s.passed,
                s.total,
                s.title
            );
        }
    }
    let total = catalog.exercises.len();
    let passed = catalog.exercises.iter().filter(|e| state.passes_now(&e.id)).count();
    println!("\n{passed}/{total} exercises pass.");
    match next {
        Some(id) => {
            let section = id.rsplit_once('.').map(|(s, _)| s).unwrap_or(&id);
            println!(
                "Next: {id}. Edit exercises/src/{}.rs, then `cargo course grade {section}` \
                 (stuck? `cargo course hint {id}`).",
                catalog.section(section).map(|s| s.module.as_str()).unwrap_or("?")
            );
        }
        None => println!("Every exercise passes. Well done!"),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_passes_and_points_at_the_first_unpassed() {
        let catalog = crate::test_support::two_exercise_catalog("foundations/self_attention");
        let mut state = State::default();
        state.record("1.1.a", "passed", 1);
        let (chapters, next) = summarize(&catalog, &state);
        assert_eq!(chapters[0].0, "foundations");
        assert_eq!((chapters[0].1[0].passed, chapters[0].1[0].total), (1, 2));
        assert_eq!(next.as_deref(), Some("1.1.b"));
        state.record("1.1.b", "passed", 2);
        state.record("1.1.a", "failed", 3);
        assert_eq!(summarize(&catalog, &state).1.as_deref(), Some("1.1.a"));
    }

    #[test]
    fn bar_is_proportional() {
        assert_eq!(bar(0, 4), "░░░░░░░░░░");
        assert_eq!(bar(2, 4), "█████░░░░░");
        assert_eq!(bar(4, 4), "██████████");
        assert_eq!(bar(0, 0), "░░░░░░░░░░");
    }
}
