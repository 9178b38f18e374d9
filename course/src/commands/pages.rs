//! `course pages [--check]`: renders each chapter's question bank
//! (`data/questions/chN.toml`) into the book's interview page for that chapter.
//!
//! The page is generated so that the book and the drill can never disagree: edit the
//! bank, then run `cargo course pages`. CI runs `--check`, which fails on a stale page.
//!
//! It also renders §3.6's model zoo (`data/zoo.toml`) into its page, between markers
//! (see `zoo_table`), and the measured tables of chapter 2 into theirs (see `measured`).

mod measured;
mod perplexity_tables;
mod tokenization_tables;
mod vocab_extension_table;
mod zoo_table;

use crate::bank::{self, Bank, Kind, Question};
use anyhow::{Context, Result};
use std::fmt::Write;
use std::path::Path;

/// Writes every chapter's interview page, or with `check` only compares. Fails with a
/// user error (exit 2) if the bank is invalid, or if `check` finds a stale page.
pub fn run(root: &Path, check: bool) -> Result<()> {
    let banks = bank::load_all(root).map_err(|e| crate::user_error(e.to_string()))?;
    let mut stale = vec![];
    for bank in &banks {
        let path = root.join("chapters").join(&bank.page);
        let page = render(bank);
        if std::fs::read_to_string(&path).ok().as_deref() == Some(page.as_str()) {
            continue;
        }
        stale.push(format!("chapters/{}", bank.page));
        if !check {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&path, page).with_context(|| format!("writing {}", path.display()))?;
        }
    }
    let zoo_fresh = zoo_page(root, check)?;
    if !zoo_fresh {
        stale.push(format!("chapters/{}", zoo_table::PAGE));
    }
    let measured_pages = measured::pages();
    for page in &measured_pages {
        if !measured_page(root, page, check)? {
            stale.push(format!("chapters/{page}"));
        }
    }
    if check && !stale.is_empty() {
        return Err(crate::user_error(format!(
            "generated pages out of date: {} (run `cargo course pages`)",
            stale.join(", ")
        )));
    }
    let written = if check { 0 } else { stale.len() };
    let total = banks.len() + 1 + measured_pages.len();
    println!("pages: {} up to date, {written} written", total - stale.len());
    Ok(())
}

/// Renders the zoo into its page; returns whether the page was already up to date.
fn zoo_page(root: &Path, check: bool) -> Result<bool> {
    let data = root.join("data/zoo.toml");
    let text = std::fs::read_to_string(&data)
        .map_err(|e| crate::user_error(format!("{}: {e}", data.display())))?;
    let zoo = solutions::architectures::zoo::parse(&text).map_err(crate::user_error)?;
    let path = root.join("chapters").join(zoo_table::PAGE);
    let page = std::fs::read_to_string(&path)
        .map_err(|e| crate::user_error(format!("{}: {e}", path.display())))?;
    let fresh = zoo_table::splice(&page, &zoo).map_err(crate::user_error)?;
    if fresh == page {
        return Ok(true);
    }
    if !check {
        std::fs::write(&path, fresh).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(false)
}

/// Renders a page's measured blocks; returns whether the page was already up to date.
fn measured_page(root: &Path, page: &str, check: bool) -> Result<bool> {
    let path = root.join("chapters").join(page);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| crate::user_error(format!("{}: {e}", path.display())))?;
    let fresh = measured::render_page(page, &text).map_err(crate::user_error)?;
    if fresh == text {
        return Ok(true);
    }
    if !check {
        std::fs::write(&path, fresh).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(false)
}

/// The interview page of one chapter, in markdown.
pub fn render(bank: &Bank) -> String {
    let mut out = String::new();
    let w = &mut out;
    // `write!` into a String cannot fail, hence the `.ok()`s below.
    writeln!(w, "<!-- generated from {} by `cargo course pages`; do not edit -->\n", bank.file)
        .ok();
    writeln!(w, "# Interview questions: {} ({}面试题)\n", bank.title_en, bank.title_zh).ok();
    writeln!(
        w,
        "Chapter {}'s interview questions, in English and 中文, with model answers. Try each \
         question before you open its answer. Difficulty runs from ★ to ★★★; *source* marks \
         questions that the study guide this course follows asks. The terminal drill reads \
         the same questions, from `{}`.\n",
        bank.chapter, bank.file
    )
    .ok();
    for section in &bank.sections {
        let questions: Vec<&Question> =
            bank.questions.iter().filter(|q| q.section == section.id).collect();
        if questions.is_empty() {
            continue;
        }
        writeln!(w, "## {} {} ({})\n", section.id, section.title_en, section.title_zh).ok();
        for q in questions {
            question(w, q);
        }
    }
    out
}

fn question(w: &mut String, q: &Question) {
    writeln!(w, "### {}\n\n**{}**\n", q.title_en, q.title_zh).ok();
    let kind = match q.kind {
        Kind::Open => "open",
        Kind::Choice { .. } => "multiple choice",
        Kind::Numeric { .. } => "numeric",
    };
    let stars = "★".repeat(q.difficulty as usize) + &"☆".repeat(3 - q.difficulty as usize);
    let mut meta = vec![format!("`{}`", q.id), kind.to_string(), stars];
    if !q.tags.is_empty() {
        meta.push(q.tags.join(", "));
    }
    if q.seed {
        meta.push("*source*".to_string());
    }
    writeln!(w, "{}\n", meta.join(" · ")).ok();
    if let Kind::Choice { options, .. } = &q.kind {
        for (i, option) in options.iter().enumerate() {
            writeln!(w, "- **{}.** {option}", letter(i)).ok();
        }
        writeln!(w).ok();
    }
    // Blank lines inside <details> let mdBook render the markdown (and maths) in it.
    writeln!(w, "<details>\n<summary>Answer (答案)</summary>\n").ok();
    match &q.kind {
        Kind::Open => {}
        Kind::Choice { options, correct, explanations, .. } => {
            writeln!(w, "**Correct: {}.** {}\n", letter(*correct), options[*correct]).ok();
            for (i, why) in explanations.iter().enumerate() {
                let mark = if i == *correct { "✓" } else { "✗" };
                writeln!(w, "- **{}** {mark} {why}", letter(i)).ok();
            }
            writeln!(w).ok();
        }
        Kind::Numeric { value, tolerance, unit, computed_by, .. } => {
            write!(w, "**{} {unit}**", number(*value)).ok();
            if *tolerance > 0.0 {
                write!(w, " (accepted within ± {} {unit})", number(*tolerance)).ok();
            }
            if let Some(c) = computed_by.as_deref().and_then(bank::computed::find) {
                write!(w, ". A test checks this number against the library: {}", c.what).ok();
            }
            writeln!(w, ".\n").ok();
        }
    }
    writeln!(w, "{}\n", q.answer.trim()).ok();
    chinese(w, q);
    writeln!(w, "</details>\n").ok();
}

/// The Chinese answer, folded under the English one so that a reader can check a term;
/// nothing while the question is not translated.
fn chinese(w: &mut String, q: &Question) {
    if q.answer_zh.trim().is_empty() {
        return;
    }
    // Blank lines again, so that mdBook (and mdbook-katex) treat the inside as markdown.
    writeln!(w, "<details>\n<summary>中文</summary>\n").ok();
    match &q.kind {
        Kind::Open => {}
        Kind::Choice { correct, options_zh, explanations_zh, .. } => {
            for (i, option) in options_zh.iter().enumerate() {
                writeln!(w, "- **{}.** {option}", letter(i)).ok();
            }
            if let Some(right) = options_zh.get(*correct) {
                writeln!(w, "\n**正确：{}。** {right}\n", letter(*correct)).ok();
            }
            for (i, why) in explanations_zh.iter().enumerate() {
                let mark = if i == *correct { "✓" } else { "✗" };
                writeln!(w, "- **{}** {mark} {why}", letter(i)).ok();
            }
            writeln!(w).ok();
        }
        Kind::Numeric { value, tolerance, unit_zh, computed_by, .. } => {
            write!(w, "**{} {unit_zh}**", number(*value)).ok();
            if *tolerance > 0.0 {
                write!(w, "（允许误差 ± {} {unit_zh}）", number(*tolerance)).ok();
            }
            if computed_by.is_some() {
                write!(w, "。测试会用课程库的计算核对这个数").ok();
            }
            writeln!(w, "。\n").ok();
        }
    }
    writeln!(w, "{}\n\n</details>\n", q.answer_zh.trim()).ok();
}

fn letter(i: usize) -> char {
    (b'A' + i as u8) as char
}

/// Whole numbers with thousands separators (1,050,624); others as Rust prints them.
fn number(x: f64) -> String {
    if x.fract() != 0.0 || x.abs() >= 1e15 {
        return x.to_string();
    }
    let digits = (x.abs() as u64).to_string();
    // Groups of three from the right: "1050624" -> ["1", "050", "624"].
    let groups: Vec<&str> =
        digits.as_bytes().rchunks(3).rev().map(|g| std::str::from_utf8(g).unwrap()).collect();
    let grouped = groups.join(",");
    if x < 0.0 {
        format!("-{grouped}")
    } else {
        grouped
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The real bank, whether or not its translation is complete (the validator's own test
    /// reports what is missing).
    fn real_banks() -> Vec<Bank> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        bank::load_all_unchecked(&root).unwrap_or_else(|e| panic!("{e}")).0
    }

    fn chapter_one() -> Bank {
        let banks = real_banks();
        banks.into_iter().find(|b| b.chapter == 1).unwrap()
    }

    #[test]
    fn the_page_shows_both_titles_options_explanations_and_units() {
        let bank = chapter_one();
        let page = render(&bank);
        assert!(page.starts_with("<!-- generated from data/questions/ch1.toml"));
        for q in &bank.questions {
            assert!(page.contains(&q.title_en) && page.contains(&q.title_zh), "{}", q.id);
            match &q.kind {
                Kind::Choice { explanations, .. } => {
                    assert!(explanations.iter().all(|e| page.contains(e.as_str())), "{}", q.id)
                }
                Kind::Numeric { unit, .. } => assert!(page.contains(unit.as_str()), "{}", q.id),
                Kind::Open => {}
            }
        }
        assert!(page.contains("**1,050,624 parameters**"));
    }

    #[test]
    fn the_chinese_answer_is_folded_under_the_english_one_with_its_maths() {
        let text = r#"chapter = 9
title_en = "T"
title_zh = "测"
page = "09/interview.md"
[[section]]
id = "9.1"
title_en = "S"
title_zh = "节"
[[question]]
id = "9.1.a"
section = "9.1"
kind = "choice"
difficulty = 1
title_en = "Which?"
title_zh = "哪个？"
answer = "Scale by $1/\\sqrt{d_k}$."
answer_zh = "按 $1/\\sqrt{d_k}$ 缩放。"
options = ["x", "y"]
correct = 1
explanations = ["no", "yes"]
options_zh = ["甲", "乙"]
explanations_zh = ["不对。", "对。"]
"#;
        let page = render(&bank::parse("t.toml", text).unwrap_or_else(|e| panic!("{e}")));
        let want = "Scale by $1/\\sqrt{d_k}$.\n\n<details>\n<summary>中文</summary>\n\n\
                    - **A.** 甲\n- **B.** 乙\n\n**正确：B。** 乙\n\n- **A** ✗ 不对。\n\
                    - **B** ✓ 对。\n\n按 $1/\\sqrt{d_k}$ 缩放。\n\n</details>\n\n</details>\n\n";
        assert!(page.ends_with(want), "{page}");
    }

    #[test]
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(number(1_050_624.0), "1,050,624");
        assert_eq!(number(512.0), "512");
        assert_eq!(number(-1000.0), "-1,000");
        assert_eq!(number(0.25), "0.25");
    }

    /// mdBook only logs an error for an `{{#include}}` whose file or anchor is missing and
    /// still builds, so a renamed anchor in the library would silently empty a code block.
    #[test]
    fn every_include_in_the_book_resolves() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut pages = vec![root.join("chapters")];
        let mut includes = 0;
        while let Some(path) = pages.pop() {
            if path.is_dir() {
                pages.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            if path.extension().and_then(|e| e.to_str()) != Some("md") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for directive in text.split("{{#include ").skip(1) {
                let target = directive.split("}}").next().unwrap().trim();
                let (file, anchor) = target.split_once(':').unwrap_or((target, ""));
                let included = path.parent().unwrap().join(file);
                let source = std::fs::read_to_string(&included)
                    .unwrap_or_else(|e| panic!("{}: {}: {e}", path.display(), file));
                if !anchor.is_empty() {
                    let (start, end) =
                        (format!("ANCHOR: {anchor}"), format!("ANCHOR_END: {anchor}"));
                    assert!(
                        source.contains(&start) && source.contains(&end),
                        "{}: no anchor `{anchor}` in {file}",
                        path.display()
                    );
                }
                includes += 1;
            }
        }
        assert!(includes > 0, "no includes found: is the book in chapters/?");
    }

    /// Every entry of the table of contents carries its Chinese title in parentheses at
    /// the end, typeset with full-width punctuation (the validator of the bank's titles).
    #[test]
    fn every_summary_entry_has_a_chinese_title() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let summary = std::fs::read_to_string(root.join("chapters/SUMMARY.md")).unwrap();
        let mut entries = 0;
        for line in summary.lines().filter(|l| l.trim_start().starts_with("- [")) {
            let title = line.trim_start()[3..].rsplit_once("](").map_or("", |(t, _)| t);
            let zh = title
                .strip_suffix(')')
                .and_then(|t| t.rsplit_once(" ("))
                .map(|(_, zh)| zh)
                .filter(|zh| zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)));
            let zh = zh.unwrap_or_else(|| panic!("SUMMARY.md: `{title}` has no (中文) title"));
            if let Some(problem) = stubgen::chinese::punctuation_problem(zh) {
                panic!("SUMMARY.md: `{title}`: {problem}");
            }
            entries += 1;
        }
        assert!(entries > 40, "only {entries} entries found in SUMMARY.md");
    }

    /// The committed pages are what the bank renders to (CI also runs `--check`).
    #[test]
    fn the_committed_interview_pages_are_up_to_date() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        for bank in real_banks() {
            let path = root.join("chapters").join(&bank.page);
            let committed = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(committed == render(&bank), "{} is stale: run `cargo course pages`", bank.page);
        }
    }
}
