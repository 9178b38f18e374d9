//! Every string the drill itself says (prompts, feedback, the summary, the parsers'
//! complaints), in English and in Chinese, in one place. The bank's own text (titles,
//! options, answers) is chosen by [`pick`] and [`content`].
//!
//! `--lang both` shows a prompt in Chinese, then in English: "你的答案（a–c）： / Your
//! answer (a–c): "; feedback and the summary, which quote the bank's text in both
//! languages already, stay in Chinese.
//! The Chinese wording follows Anki's Chinese interface for the four ratings
//! (重来、困难、良好、简单), which many candidates already know.

use super::Lang;

/// The string for `lang`: Chinese, English, or both joined by " / ".
pub fn pick(lang: Lang, zh: &str, en: &str) -> String {
    match lang {
        Lang::En => en.to_string(),
        Lang::Zh => zh.to_string(),
        Lang::Both => format!("{zh} / {en}"),
    }
}

/// The bank text to show first in `lang`, and the one to show after it (dimmed), if any.
/// A Chinese text not written yet falls back to the English one, and one that is the same
/// as the English (an option such as `O(n²)`) is shown once.
pub fn content<'a>(lang: Lang, zh: &'a str, en: &'a str) -> (&'a str, Option<&'a str>) {
    match lang {
        Lang::En => (en, None),
        _ if zh.trim().is_empty() || zh.trim() == en.trim() => (en, None),
        Lang::Zh => (zh, None),
        Lang::Both => (zh, Some(en)),
    }
}

/// Everything the drill says, by occasion.
#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    /// The session's first line: how many questions, due, new and ahead.
    Intro {
        total: usize,
        due: usize,
        new: usize,
        ahead: usize,
    },
    KindOpen,
    KindChoice,
    KindNumeric,
    WhyDue,
    WhyNew,
    WhyAhead,
    /// `── 2 of 5 · ` at the start of a question's header.
    Counter {
        n: usize,
        total: usize,
    },
    ChoicePrompt {
        last: char,
    },
    /// The numeric prompt, with the unit to answer in (empty: none shown).
    NumericPrompt {
        unit: String,
    },
    Right {
        answer: String,
    },
    NotThis {
        yours: String,
    },
    TheAnswerIs {
        answer: String,
    },
    NotNumber {
        yours: String,
        answer: String,
    },
    UnitIgnored {
        typed: String,
        unit: String,
    },
    OpenPrompt,
    NoNotes,
    ModelAnswer,
    RatePrompt,
    RateRightPrompt,
    Rated {
        rating: String,
        next: String,
    },
    Rating(rs_fsrs::Rating),
    EndedEarly,
    SummaryHead {
        answered: usize,
        total: usize,
        right: usize,
        wrong: usize,
        open: usize,
    },
    NoMistakes,
    ToReview {
        count: usize,
    },
    Yours,
    RightLabel,
    RatedAgain,
    NothingDue {
        next: Option<String>,
    },
    ScheduleSaved {
        file: String,
    },
    /// "now", "in 3 days": when a review is due.
    Due {
        minutes: i64,
    },
}

/// The text of `msg` in `lang`.
pub fn text(lang: Lang, msg: &Msg) -> String {
    let (zh, en): (String, String) = match msg {
        Msg::Intro { total, due, new, ahead } => {
            let (ahead_zh, ahead_en) = match ahead {
                0 => (String::new(), String::new()),
                a => (format!("，{a} 道未到期"), format!(", {a} not yet due")),
            };
            (
                format!(
                    "共 {total} 题（{due} 道到期，{new} 道新题{ahead_zh}）。每答一题立即保存；按 \
                     Ctrl-D 结束。"
                ),
                format!(
                    "{total} questions ({due} due, {new} new{ahead_en}). Every answer is saved \
                     at once; Ctrl-D ends the session."
                ),
            )
        }
        Msg::KindOpen => ("问答题".into(), "open".into()),
        Msg::KindChoice => ("选择题".into(), "multiple choice".into()),
        Msg::KindNumeric => ("数值题".into(), "numeric".into()),
        Msg::WhyDue => ("到期".into(), "due".into()),
        Msg::WhyNew => ("新题".into(), "new".into()),
        Msg::WhyAhead => ("未到期".into(), "not yet due".into()),
        Msg::Counter { n, total } => (format!("第 {n}/{total} 题"), format!("{n} of {total}")),
        Msg::ChoicePrompt { last } => {
            (format!("你的答案（a–{last}）："), format!("Your answer (a–{last}): "))
        }
        Msg::NumericPrompt { unit } if unit.is_empty() => {
            ("你的答案：".into(), "Your answer: ".into())
        }
        Msg::NumericPrompt { unit } => {
            (format!("你的答案（{unit}）："), format!("Your answer ({unit}): "))
        }
        Msg::Right { answer } => (format!("✓ 正确：{answer}"), format!("✓ Right: {answer}")),
        Msg::NotThis { yours } => (format!("✗ 不是 {yours}"), format!("✗ Not {yours}")),
        Msg::TheAnswerIs { answer } => {
            (format!("正确答案是 {answer}"), format!("The answer is {answer}"))
        }
        Msg::NotNumber { yours, answer } => (
            format!("✗ 不是 {yours}：答案是 {answer}"),
            format!("✗ Not {yours}: the answer is {answer}"),
        ),
        Msg::UnitIgnored { typed, unit } => (
            format!("（已忽略 `{typed}`：答案以“{unit}”计）"),
            format!("(`{typed}` ignored: the answer is counted in {unit})"),
        ),
        Msg::OpenPrompt => (
            "先在心里作答（也可以记几句笔记），再按回车查看参考答案：".into(),
            "Answer it in your head (or type notes), then press Enter to see the model answer: "
                .into(),
        ),
        Msg::NoNotes => ("（无笔记）".into(), "(no notes)".into()),
        Msg::ModelAnswer => ("参考答案：".into(), "Model answer:".into()),
        Msg::RatePrompt => (
            "掌握得如何？1 重来 · 2 困难 · 3 良好 · 4 简单：".into(),
            "How well did you know it? 1 Again · 2 Hard · 3 Good · 4 Easy: ".into(),
        ),
        Msg::RateRightPrompt => (
            "回车 = 良好，或 2 困难 · 4 简单：".into(),
            "Enter = Good, or 2 Hard · 4 Easy: ".into(),
        ),
        Msg::Rated { rating, next } => (
            format!("  评为{rating}；下次复习：{next}。"),
            format!("  Rated {rating}; next review {next}."),
        ),
        Msg::Rating(r) => {
            let (zh, en) = match r {
                rs_fsrs::Rating::Again => ("重来", "Again"),
                rs_fsrs::Rating::Hard => ("困难", "Hard"),
                rs_fsrs::Rating::Good => ("良好", "Good"),
                rs_fsrs::Rating::Easy => ("简单", "Easy"),
            };
            (zh.into(), en.into())
        }
        Msg::EndedEarly => (
            "练习提前结束；已答的题目都已保存。".into(),
            "Session ended early; the answers so far are saved.".into(),
        ),
        Msg::SummaryHead { answered, total, right, wrong, open } => (
            format!(
                "── 小结：答了 {answered}/{total} 题 · 答对 {right} · 答错 {wrong} · 问答 {open} ──"
            ),
            format!(
                "── Summary: {answered} of {total} answered · {right} right · {wrong} wrong · \
                 {open} open ──"
            ),
        ),
        Msg::NoMistakes => ("没有错题。".into(), "No mistakes.".into()),
        Msg::ToReview { count } => {
            (format!("待复习（{count}）："), format!("To review ({count}):"))
        }
        Msg::Yours => ("你的答案：".into(), "yours: ".into()),
        Msg::RightLabel => ("正确答案：".into(), "right: ".into()),
        Msg::RatedAgain => ("（评为重来）".into(), " (rated Again)".into()),
        Msg::NothingDue { next } => {
            let (zh, en) = match next {
                Some(when) => {
                    (format!("下一题到期：{when}。"), format!(" The next one is due {when}."))
                }
                None => (String::new(), String::new()),
            };
            (
                format!("没有到期的题目。{zh}加 --all 可以照样练习。"),
                format!("Nothing is due.{en} Pass --all to drill them anyway."),
            )
        }
        Msg::ScheduleSaved { file } => {
            (format!("复习计划已保存在 {file}。"), format!("The schedule is saved in {file}."))
        }
        Msg::Due { minutes } => match *minutes {
            m if m <= 0 => ("现在".into(), "now".into()),
            m if m < 60 => (format!("{m} 分钟后"), format!("in {m} min")),
            m if m < 60 * 24 => (format!("{} 小时后", m / 60), format!("in {} h", m / 60)),
            m => match (m + 60 * 12) / (60 * 24) {
                1 => ("明天".into(), "tomorrow".into()),
                days => (format!("{days} 天后"), format!("in {days} days")),
            },
        },
    };
    // With `both`, prompts, headers and complaints show both languages; feedback and the
    // summary, which quote the bank's text (already in both), stay in Chinese, or every
    // line would say everything twice.
    let twice = matches!(
        msg,
        Msg::KindOpen
            | Msg::KindChoice
            | Msg::KindNumeric
            | Msg::WhyDue
            | Msg::WhyNew
            | Msg::WhyAhead
            | Msg::ChoicePrompt { .. }
            | Msg::NumericPrompt { .. }
            | Msg::OpenPrompt
            | Msg::RatePrompt
            | Msg::RateRightPrompt
    );
    match lang {
        Lang::Both if !twice => zh,
        _ => pick(lang, &zh, &en),
    }
}

/// What the learner typed cannot be used, and why.
#[derive(Debug, Clone, PartialEq)]
pub enum InputError {
    NotANumber {
        text: String,
    },
    /// Commas that do not separate thousands.
    Commas {
        number: String,
    },
    NoSuchOption {
        letter: char,
        last: char,
    },
    OneLetter {
        last: char,
    },
    RatingNeeded,
    BadRating {
        text: String,
    },
}

impl InputError {
    /// The message for the learner, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        let (zh, en) = match self {
            InputError::NotANumber { text } => (
                format!("`{text}` 不是数字：请输入 24、0.5、2.4e1 或 1,050,624 这样的数"),
                format!("`{text}` is not a number: type one like 24, 0.5, 2.4e1 or 1,050,624"),
            ),
            InputError::Commas { number } => (
                format!("`{number}`：逗号只能用作千位分隔符（1,050,624）；小数请用小数点"),
                format!(
                    "`{number}`: commas may only separate thousands (1,050,624); write \
                     decimals with a point"
                ),
            ),
            InputError::NoSuchOption { letter, last } => (
                format!("没有选项 {letter}：请输入 a 到 {last} 之间的字母"),
                format!("there is no option {letter}: type a letter from a to {last}"),
            ),
            InputError::OneLetter { last } => {
                (format!("请输入一个字母，a 到 {last}"), format!("type one letter, a to {last}"))
            }
            InputError::RatingNeeded => ("请输入 1、2、3 或 4".into(), "type 1, 2, 3 or 4".into()),
            InputError::BadRating { text } => (
                format!("`{text}`：请输入 1（重来）、2（困难）、3（良好）或 4（简单）"),
                format!("`{text}`: type 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy)"),
            ),
        };
        pick(lang, &zh, &en)
    }
}
