//! The drill driven by scripted input at a fixed time: right, wrong and malformed
//! answers, end of input; the schedule in the state file; selection; the Anki export.

use super::session::{self, Config};
use super::summary::Summary;
use super::*;
use crate::bank::{self, Bank};
use crate::state::State;
use chrono::TimeZone;
use rs_fsrs::Rating;
use std::path::Path;

const BANK: &str = r#"chapter = 9
title_en = "Test chapter"
title_zh = "测试章"
page = "09-test/interview.md"

[[section]]
id = "9.1"
title_en = "A section"
title_zh = "一节"

[[question]]
id = "9.1.pick"
section = "9.1"
kind = "choice"
difficulty = 1
tags = ["mask"]
title_en = "Which one?"
title_zh = "哪一个？"
options = ["first", "second", "third"]
correct = 1
explanations = [
    "First is wrong because A.",
    "Second is right because B.",
    "Third is wrong because C.",
]
options_zh = ["第一个", "第二个", "第三个"]
explanations_zh = ["第一个错，因为甲。", "第二个对，因为乙。", "第三个错，因为丙。"]
answer = "The second."
answer_zh = "第二个。"

[[question]]
id = "9.1.count"
section = "9.1"
kind = "numeric"
difficulty = 2
tags = ["memory"]
title_en = "How many?"
title_zh = "多少？"
value = 1050624
tolerance = 0
unit = "parameters"
unit_zh = "个参数"
answer = "Four matrices of 512 by 512, plus biases: $4(512^2 + 512) = 1{,}050{,}624$."
answer_zh = "四个 512×512 的矩阵加上偏置：$4(512^2 + 512) = 1{,}050{,}624$。"

[[question]]
id = "9.1.why"
section = "9.1"
kind = "open"
difficulty = 3
title_en = "Why?"
title_zh = "为什么？"
answer = "Because of the reason. And more."
answer_zh = '''
**原因。** 注意力的缩放因子是 $\frac{1}{\sqrt{d_k}}$，
分数为 $QK^\top$。'''
"#;

fn bank() -> Bank {
    bank::parse("t.toml", BANK).unwrap_or_else(|e| panic!("{e}"))
}

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, 1, 9, 0, 0).unwrap()
}

/// Runs a session over `script` at t0; returns the transcript, the saves and the summary.
fn drive(bank: &Bank, script: &str, lang: Lang) -> (String, Vec<(String, Card)>, Summary) {
    let questions: Vec<&Question> = bank.questions.iter().collect();
    let picks = select(&questions, &BTreeMap::new(), t0(), 10, false);
    let (mut out, mut saved) = (vec![], vec![]);
    let config = Config { lang, color: false, echo: true, width: 100 };
    let summary =
        session::run(&picks, &mut script.as_bytes(), &mut out, config, &mut t0, &mut |id, card| {
            saved.push((id.to_string(), card.clone()));
            Ok(())
        })
        .unwrap();
    (String::from_utf8(out).unwrap(), saved, summary)
}

#[test]
fn a_session_checks_answers_reasks_on_malformed_input_and_reviews_mistakes() {
    // choice: empty, out of range, not a letter, then wrong (c);
    // numeric: words, empty, a bad comma, then right with a unit, rated Easy;
    // open: notes, then an empty and an out-of-range rating, then Again.
    let script = "\nz\n42\nc\nabc\n\n1,05\n1,050,624 parameters\n4\nno idea\n\n5\n1\n";
    let (text, saved, summary) = drive(&bank(), script, Lang::En);
    assert!(text.contains("── 1 of 3 · §9.1 · multiple choice · ★☆☆ · new ──"), "{text}");
    assert!(text.contains("there is no option z: type a letter from a to c"), "{text}");
    assert!(text.contains("type one letter, a to c"), "{text}");
    assert!(text.contains("✗ Not c) third\n  Third is wrong because C."), "{text}");
    assert!(text.contains("The answer is b) second\n  Second is right because B."), "{text}");
    assert!(text.contains("`abc` is not a number"), "{text}");
    assert!(text.contains("commas may only separate thousands"), "{text}");
    assert!(text.contains("✓ Right: 1,050,624 parameters"), "{text}");
    assert!(text.contains("Model answer:\n  Because of the reason. And more."), "{text}");
    assert!(text.contains("`5`: type 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy)"), "{text}");
    assert!(text.contains("3 of 3 answered · 1 right · 1 wrong · 1 open"), "{text}");
    assert!(text.contains("1. [9.1.pick] Which one?\n   yours: c) third\n   right: b) second"));
    assert!(text.contains(
        "2. [9.1.why] Why?\n   yours: no idea (rated Again)\n   right: Because of the reason."
    ));
    // Saved after every answer, each with its rating's schedule.
    let ids: Vec<&str> = saved.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, ["9.1.pick", "9.1.count", "9.1.why"]);
    let ratings: Vec<Rating> = summary.answered.iter().map(|a| a.rating).collect();
    assert_eq!(ratings, [Rating::Again, Rating::Easy, Rating::Again]);
    assert!(saved.iter().all(|(_, c)| c.reps == 1 && c.last_review == t0()));
    assert_eq!(saved[0].1.due, t0() + chrono::Duration::days(1), "a wrong answer: tomorrow");
    assert!(saved[1].1.due > t0() + chrono::Duration::days(7), "an easy one: much later");
    assert!(!summary.ended_early);
}

#[test]
fn end_of_input_mid_session_keeps_what_was_answered() {
    // A right choice (Enter = Good), then Ctrl-D at the numeric question.
    let (text, saved, summary) = drive(&bank(), "b\n\n", Lang::En);
    assert_eq!(saved.len(), 1);
    assert_eq!(summary.answered[0].rating, Rating::Good);
    assert!(summary.ended_early);
    assert!(text.contains("Session ended early; the answers so far are saved."), "{text}");
    assert!(text.contains("1 of 3 answered · 1 right · 0 wrong · 0 open"), "{text}");
    assert!(text.contains("No mistakes."));
    // Ctrl-D at the very first prompt, after invalid UTF-8, or mid-line: no panic. A
    // right answer whose optional rating is cut off is still saved, as Good.
    for (script, saves) in [("", 0), ("\u{ff}\n", 0), ("b", 1), ("b\n", 1)] {
        let (_, saved, summary) = drive(&bank(), script, Lang::En);
        assert!(summary.ended_early && saved.len() == saves, "{script:?}");
    }
}

#[test]
fn zh_shows_the_chinese_title_first() {
    let (text, _, _) = drive(&bank(), "", Lang::Zh);
    assert!(text.contains("哪一个？\nWhich one?"), "{text}");
}

#[test]
fn due_questions_come_first_then_new_ones_and_future_ones_only_with_all() {
    let bank = bank();
    let questions: Vec<&Question> = bank.questions.iter().collect();
    let mut cards = BTreeMap::new();
    let at = |days: i64| t0() + chrono::Duration::days(days);
    cards.insert("9.1.pick".to_string(), Card { due: at(3), ..schedule::new_card(at(-1)) });
    cards.insert("9.1.why".to_string(), Card { due: at(-2), ..schedule::new_card(at(-5)) });
    let order = |all| -> Vec<(String, Why)> {
        select(&questions, &cards, t0(), 10, all)
            .iter()
            .map(|p| (p.question.id.clone(), p.why))
            .collect()
    };
    let s = |id: &str, why| (id.to_string(), why);
    assert_eq!(order(false), [s("9.1.why", Why::Due), s("9.1.count", Why::New)]);
    assert_eq!(order(true)[2], s("9.1.pick", Why::Ahead));
    assert_eq!(select(&questions, &cards, t0(), 1, true).len(), 1);
    assert_eq!(next_due(&questions, &cards), Some(at(-2)));
}

#[test]
fn filters_select_by_section_tag_and_kind_and_name_what_exists() {
    let banks = vec![bank()];
    let f =
        |tag: Option<&str>, kind| Filter { tag: tag.map(String::from), kind, ..Filter::default() };
    let ids = |f: Filter| -> Vec<String> {
        f.apply(&banks).unwrap().iter().map(|q| q.id.clone()).collect()
    };
    assert_eq!(ids(f(Some("MASK"), None)), ["9.1.pick"]);
    assert_eq!(ids(f(None, Some(KindName::Open))), ["9.1.why"]);
    let err = f(Some("nope"), None).apply(&banks).unwrap_err().to_string();
    assert!(err.contains("no question has the tag `nope`; tags: mask, memory"), "{err}");
    let err = Filter { chapter: Some(7), ..Filter::default() }.apply(&banks).unwrap_err();
    assert!(err.to_string().contains("the bank has chapters 9"), "{err}");
    let err = f(Some("mask"), Some(KindName::Open)).apply(&banks).unwrap_err();
    assert!(err.to_string().contains("no question matches"), "{err}");
}

#[test]
fn the_schedule_is_saved_into_the_state_file_keeping_everything_else() {
    let dir = tempfile::tempdir().unwrap();
    let text = r#"{"exercises": {"1.1.split_heads": {"status": "passed", "last_graded": 2}},
        "drill": {"cards": {}, "future": 1}, "other": true}"#;
    std::fs::write(State::path(dir.path()), text).unwrap();
    let card = schedule::review(&schedule::new_card(t0()), t0(), Rating::Good);
    schedule::save_card(dir.path(), "9.1.pick", &card).unwrap();
    let state = State::load(dir.path()).unwrap();
    assert!(state.passes_now("1.1.split_heads"));
    assert_eq!(state.extra["other"], true);
    let back = schedule::Schedule::from_state(&state).unwrap();
    assert_eq!(back.cards["9.1.pick"], card);
    assert_eq!(back.extra["future"], 1);
    // A drill field that does not parse is reported, never overwritten.
    std::fs::write(State::path(dir.path()), r#"{"drill": {"cards": 3}}"#).unwrap();
    let err = schedule::save_card(dir.path(), "9.1.pick", &card).unwrap_err().to_string();
    assert!(err.contains("does not parse"), "{err}");
    assert!(std::fs::read_to_string(State::path(dir.path())).unwrap().contains("\"cards\": 3"));
}

#[test]
fn intervals_grow_with_good_answers_and_reset_on_again() {
    let mut card = schedule::new_card(t0());
    let mut now = t0();
    let mut intervals = vec![];
    for _ in 0..3 {
        card = schedule::review(&card, now, Rating::Good);
        intervals.push((card.due - now).num_days());
        now = card.due;
    }
    assert!(intervals.windows(2).all(|w| w[1] > w[0]), "{intervals:?}");
    let lapsed = schedule::review(&card, now, Rating::Again);
    // A lapse shortens the interval (FSRS's post-lapse stability), it does not restart at 0.
    let after_lapse = (lapsed.due - now).num_days();
    assert!(after_lapse >= 1 && after_lapse < intervals[2], "{after_lapse} vs {intervals:?}");
    assert_eq!(lapsed.lapses, 1);
    let in_3_days = t0() + chrono::Duration::days(3);
    assert_eq!(schedule::humanize(in_3_days, t0(), Lang::En), "in 3 days");
    assert_eq!(schedule::humanize(in_3_days, t0(), Lang::Zh), "3 天后");
}

/// The real bank's export: headers, then one line per question with four fields, and no
/// raw tab, newline or leading quote inside a field (Anki would split or unquote it).
#[test]
fn the_anki_export_has_one_clean_line_per_question() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let banks = bank::load_all_unchecked(&root).unwrap_or_else(|e| panic!("{e}")).0;
    let all: Vec<(&Bank, &Question)> =
        banks.iter().flat_map(|b| b.questions.iter().map(move |q| (b, q))).collect();
    let deck = anki::render(&all);
    let (headers, notes): (Vec<&str>, Vec<&str>) = deck.lines().partition(|l| l.starts_with('#'));
    assert_eq!(
        headers,
        [
            "#separator:tab",
            "#html:true",
            "#notetype:Basic",
            "#deck:LLM course interview",
            "#guid column:1",
            "#tags column:4"
        ]
    );
    assert!(deck.ends_with('\n') && !deck.contains('\r'));
    assert_eq!(notes.len(), all.len());
    for (line, (bank, q)) in notes.iter().zip(&all) {
        let fields: Vec<&str> = line.split('\t').collect();
        assert_eq!(fields.len(), 4, "{}: {line}", q.id);
        assert_eq!(fields[0], format!("llm-course:{}", q.id));
        assert!(fields.iter().all(|f| !f.is_empty() && !f.starts_with('"')), "{}", q.id);
        assert!(fields[1].contains(&anki::html(&q.title_zh)), "{}", q.id);
        assert!(fields[2].contains(&anki::html(q.answer.trim())), "{}", q.id);
        if !q.answer_zh.trim().is_empty() {
            assert!(fields[2].contains(&anki::html(q.answer_zh.trim())), "{}: no Chinese", q.id);
        }
        // Maths reaches Anki in its MathJax delimiters only: a `$` left would show as such.
        for field in &fields[1..3] {
            assert!(!field.contains('$'), "{}: a `$` in the deck: {field}", q.id);
        }
        let tags: Vec<&str> = fields[3].split(' ').collect();
        assert!(tags.contains(&format!("ch{}", bank.chapter).as_str()), "{}", q.id);
        assert!(tags.contains(&format!("sec{}", q.section).as_str()), "{}", q.id);
        assert!(q.tags.iter().all(|t| tags.contains(&t.as_str())), "{}", q.id);
    }
}

#[test]
fn anki_fields_are_escaped_html_with_mathjax_maths() {
    assert_eq!(
        anki::html("a < b & \"c\"\n\n**bold** $x_1$\n`code`"),
        "a &lt; b &amp; &quot;c&quot;<br><br><b>bold</b> \\(x_1\\) <code>code</code>"
    );
    // A Chinese paragraph wrapped in the bank is one line on the card.
    assert_eq!(anki::html("第一行\n第二行。\n\n- 项"), "第一行第二行。<br><br>- 项");
    assert_eq!(anki::html("$$y$$ costs $5"), "\\[y\\] costs $5");
}

#[test]
fn zh_speaks_chinese_everywhere_and_keeps_the_english_title_to_check_a_term() {
    let script = "c\n1,050,624\n\nno idea\n1\n";
    let (text, _, _) = drive(&bank(), script, Lang::Zh);
    for want in [
        "── 第 1/3 题 · §9.1 · 选择题 · ★☆☆ · 新题 ──\n哪一个？\nWhich one?",
        "  a) 第一个\n  b) 第二个\n  c) 第三个",
        "你的答案（a–c）：c\n✗ 不是 c) 第三个\n  第三个错，因为丙。\n正确答案是 b) 第二个\n  第二个对，因为乙。",
        "你的答案（个参数）：1,050,624\n✓ 正确：1,050,624 个参数",
        "  四个 512×512 的矩阵加上偏置：4(512² + 512) = 1,050,624。",
        "回车 = 良好，或 2 困难 · 4 简单：",
        "参考答案：\n  原因。 注意力的缩放因子是 1/√d_k，分数为 QKᵀ。",
        "掌握得如何？1 重来 · 2 困难 · 3 良好 · 4 简单：1\n  评为重来；下次复习：明天。",
        "── 小结：答了 3/3 题 · 答对 1 · 答错 1 · 问答 1 ──\n待复习（2）：",
        "1. [9.1.pick] 哪一个？\n   你的答案：c) 第三个\n   正确答案：b) 第二个",
        "2. [9.1.why] 为什么？\n   你的答案：no idea（评为重来）\n   正确答案：原因。",
    ] {
        assert!(text.contains(want), "{want:?} not in:\n{text}");
    }
    // No English answer, option or prompt: only the titles, under the Chinese ones.
    for english in ["Third is wrong", "Your answer", "Model answer", "Four matrices", "Again"] {
        assert!(!text.contains(english), "{english:?} in:\n{text}");
    }
    // A parse error is in Chinese too.
    let (text, _, _) = drive(&bank(), "z\n", Lang::Zh);
    assert!(text.contains("没有选项 z：请输入 a 到 c 之间的字母"), "{text}");
}

#[test]
fn en_is_english_only_and_both_shows_chinese_then_english() {
    let script = "c\n1,050,624\n\nno idea\n1\n";
    let (text, _, _) = drive(&bank(), script, Lang::En);
    let cjk = text.chars().filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c)).collect::<String>();
    assert!(cjk.is_empty(), "Chinese in --lang en: {cjk}\n{text}");
    assert!(text.contains("plus biases: 4(512² + 512) = 1,050,624."), "{text}");
    let (text, _, _) = drive(&bank(), script, Lang::Both);
    for want in [
        "  c) 第三个\n     third",
        "你的答案（a–c）： / Your answer (a–c): c\n✗ 不是 c) 第三个 / third",
        "  第三个错，因为丙。\n  Third is wrong because C.",
        "参考答案：\n  原因。 注意力的缩放因子是 1/√d_k，分数为 QKᵀ。\n  Because of the reason.",
        "── 第 1/3 题 · §9.1 · 选择题 / multiple choice · ★☆☆ · 新题 / new ──",
        "   你的答案：c) 第三个 / third\n   正确答案：b) 第二个 / second",
        "1. [9.1.pick] 哪一个？\n",
    ] {
        assert!(text.contains(want), "{want:?} not in:\n{text}");
    }
    // A text that reads the same in both languages is shown once.
    let same = BANK.replace("\"第一个\"", "\"first\"");
    let (text, _, _) = drive(&bank::parse("t.toml", &same).unwrap(), "", Lang::Both);
    for want in ["  a) first\n  b) 第二个\n     second", "\n  c) 第三个\n     third"] {
        assert!(text.contains(want), "{want:?} not in:\n{text}");
    }
}

/// Every answer, option and explanation of the real bank, in both languages, rendered
/// at 80 and 120 columns: no LaTeX or markdown mark is left, and no line is wider than
/// the terminal (in display columns: a Chinese character takes two). The Chinese fields
/// are checked wherever they exist.
#[test]
fn every_bank_text_renders_without_latex_or_markdown_marks_within_the_width() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let banks = bank::load_all_unchecked(&root).unwrap_or_else(|e| panic!("{e}")).0;
    let mut rendered = 0;
    for q in banks.iter().flat_map(|b| &b.questions) {
        let mut texts = vec![("answer", q.answer.clone()), ("answer_zh", q.answer_zh.clone())];
        texts.push(("title_en", q.title_en.clone()));
        texts.push(("title_zh", q.title_zh.clone()));
        if let Kind::Choice { options, explanations, options_zh, explanations_zh, .. } = &q.kind {
            for (name, list) in [
                ("options", options),
                ("explanations", explanations),
                ("options_zh", options_zh),
                ("explanations_zh", explanations_zh),
            ] {
                texts.extend(list.iter().map(|t| (name, t.clone())));
            }
        }
        for (field, text) in texts.iter().filter(|(_, t)| !t.trim().is_empty()) {
            for width in [80, 120] {
                let out = super::markdown::render(text, width, 2, false);
                for leftover in ["$", "\\text", "\\frac", "{,}", "**", "\\"] {
                    assert!(
                        !out.contains(leftover),
                        "{}: `{field}` rendered at {width} columns still has `{leftover}`:\n{out}",
                        q.id
                    );
                }
                for line in out.lines() {
                    let w = console::measure_text_width(line);
                    assert!(
                        w <= width,
                        "{}: `{field}` at {width} columns has a line of {w} columns:\n{line}",
                        q.id
                    );
                }
                rendered += 1;
            }
        }
    }
    assert!(rendered > 1000, "only {rendered} texts rendered: is the bank there?");
}
