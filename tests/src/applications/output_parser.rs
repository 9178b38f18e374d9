//! Graded suite for §6.1's `parse_list`: the three list forms, each trap on a case of its
//! own, the errors (which must quote what they found), then seeded random replies, all
//! against the library; each known mistake is recognised and named.

use crate::{Check, Failure};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use solutions::applications::output_parser::{self as lib, ParseError};

type Parsed = Result<Vec<String>, ParseError>;

fn show(r: &Parsed) -> String {
    match r {
        Ok(items) => format!("Ok({items:?})"),
        Err(e) => format!("Err(expected {:?}, found {:?})", e.expected, e.found),
    }
}

/// The part of the library's `found` between backticks: what the reply held.
fn quoted(found: &str) -> Option<&str> {
    let (start, end) = (found.find('`')?, found.rfind('`')?);
    (end > start).then(|| &found[start + 1..end])
}

/// Whether `item` still starts with a list marker (`-`, `*`, `•`, `1.`, `2)`).
pub fn has_marker(item: &str) -> bool {
    let rest = item.trim_start_matches(|c: char| c.is_ascii_digit());
    let numbered = rest.len() < item.len() && (rest.starts_with(". ") || rest.starts_with(") "));
    numbered || ["- ", "* ", "• "].iter().any(|m| item.starts_with(m))
}

/// Why `got` differs from `want` on `text`.
fn diagnose(text: &str, got: &Parsed, want: &Parsed) -> String {
    match (got, want) {
        (Ok(g), Ok(_)) if g.iter().any(|item| has_marker(item)) => {
            "the list markers stayed in the items: `1. `, `2) `, `- `, `* ` and `• ` mark where \
             an item starts and are not part of it"
                .into()
        }
        (Ok(g), Ok(w)) if *g == split_on_commas(w) && g != w => {
            "a comma inside a list line belongs to its item (\"Lyon, on the Rhône\"): only a \
             reply that is a single line without markers is split at commas"
                .into()
        }
        (Ok(g), Ok(w)) if g.len() < w.len() && (text.contains('，') || text.contains('、')) => {
            "the Chinese separators split items too: the full-width comma `，` and the \
             enumeration comma `、` (顿号), as well as `,`"
                .into()
        }
        (Ok(g), Ok(w)) if g.len() != w.len() => {
            format!(
                "{} items instead of {}: one item per list line, blank lines skipped",
                g.len(),
                w.len()
            )
        }
        (Ok(_), Ok(_)) => "each item is its line without the marker, trimmed".into(),
        (Ok(_), Err(e)) => format!(
            "this reply must be an error, not a list: {e}. A line that is not an item may be the \
             model talking or half of an item; skipping it hides the problem"
        ),
        (Err(e), Ok(_)) => format!("this is a list, but you returned the error \"{e}\""),
        (Err(_), Err(_)) => "both are errors, but yours does not say what it found".into(),
    }
}

fn split_on_commas(items: &[String]) -> Vec<String> {
    items.iter().flat_map(|i| i.split(',').map(|s| s.trim().to_string())).collect()
}

/// A seeded random reply: a numbered, bulleted or comma list with indentation and blank
/// lines, now and then broken (a stray line, an empty item, mixed markers).
fn random_reply(rng: &mut StdRng) -> String {
    let words = ["tea", "咖啡", "green tea", "Lyon, France", "3.14", "-5 °C", "a.b"];
    let n = rng.gen_range(1..5);
    let mut items: Vec<&str> = (0..n).map(|_| words[rng.gen_range(0..words.len())]).collect();
    let form = rng.gen_range(0..3);
    if form == 2 {
        items.retain(|w| !w.contains(','));
        let sep = [", ", ",", "，", "、"][rng.gen_range(0..4)];
        let mut line = items.join(sep);
        if rng.gen_bool(0.2) {
            line += ",";
        }
        return line;
    }
    let mut text = String::new();
    for (i, item) in items.iter().enumerate() {
        let marker = match form {
            0 => format!("{}{} ", i + 1, if rng.gen_bool(0.5) { "." } else { ")" }),
            _ => ["- ", "* ", "• "][rng.gen_range(0..3)].to_string(),
        };
        let indent = if rng.gen_bool(0.3) { "  " } else { "" };
        text += &format!("{indent}{marker}{item}\n");
        if rng.gen_bool(0.2) {
            text += "\n";
        }
    }
    match rng.gen_range(0..10) {
        0 => format!("Here you go:\n{text}"),
        1 => text + "- \n",
        2 => text + "1. one more\n",
        _ => text,
    }
}

/// Grades `parse_list(text)`.
pub fn check_parse_list<F>(f: F) -> Check
where
    F: Fn(&str) -> Result<Vec<String>, ParseError>,
{
    // Ordered so that each typical mistake meets the case that names it first.
    let fixed = [
        ("the worked example", "1. Paris\n2. Lyon\n3. Nice"),
        ("bullets, indented, with blank lines", "\n  - tea\n\n  * coffee\n  • 茶\n"),
        ("one line of commas", "red, green ,blue"),
        ("a comma inside a numbered item", "1. Lyon, on the Rhône\n2) Paris"),
        ("Chinese separators", "红、绿，蓝"),
        ("numbers are not markers", "-5 °C, 3.14, 2)"),
        ("a preamble before the list", "Sure! Here they are:\n1. Paris\n2. Lyon"),
        ("a line that is not an item", "1. Paris\n2. Lyon\non the Rhône"),
        ("a marker without an item", "1. Paris\n2.\n3. Nice"),
        ("bullets then numbers", "- Paris\n1. Lyon"),
        ("an empty item between commas", "Paris,, Nice"),
        ("an empty reply", " \n\n"),
        ("a single item", "Paris"),
    ];
    let mut cases: Vec<(String, String)> =
        fixed.iter().map(|(c, t)| (c.to_string(), t.to_string())).collect();
    let mut rng = StdRng::seed_from_u64(62);
    for i in 0..80 {
        cases.push((format!("seeded reply {i}"), random_reply(&mut rng)));
    }
    for (case, text) in &cases {
        let got = f(text);
        let want = lib::parse_list(text);
        let wrong = match (&got, &want) {
            (Ok(g), Ok(w)) => g != w,
            (Err(g), Err(w)) => {
                // Any wording will do, as long as it says what was expected and quotes
                // what was found.
                let quote = quoted(&w.found).unwrap_or_default();
                if g.expected.trim().is_empty()
                    || g.found.trim().is_empty()
                    || !g.found.contains(quote)
                {
                    return Err(Failure::new(format!(
                        "parse_list({text:?}) [{case}] is rightly an error, but it says \
                         expected {:?}, found {:?}: an error should quote what was found \
                         (here `{quote}`) and say what was expected, because it is all a \
                         person, or a model asked to try again, learns about the mistake.",
                        g.expected, g.found
                    )));
                }
                false
            }
            _ => true,
        };
        if wrong {
            let cause = diagnose(text, &got, &want);
            return Err(Failure::new(format!(
                "parse_list({text:?}) [{case}] gives {}, expected {}: {cause}.",
                show(&got),
                show(&want)
            )));
        }
    }
    Ok(())
}
