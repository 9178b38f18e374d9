//! §6.1 Output parsers (输出解析器): from a model's text to data, or an error saying why not.
//!
//! A model's reply is text; the next step of an application needs a list or a typed
//! record. A parser converts it and, when the reply does not fit, returns an error that
//! says what was expected and what was found, so that a person (or a retry step that shows
//! the model its mistake, `chain.rs`) can fix it. Each parser also has format instructions
//! to put in the prompt, so that the expected shape is likely in the first place.
//! LangChain: `NumberedListOutputParser`, `MarkdownListOutputParser`,
//! `CommaSeparatedListOutputParser`, `JsonOutputParser` / `PydanticOutputParser` (with
//! `get_format_instructions()`); here the typed record is any serde type.

// Subtle: serde is named by its full path below, not imported: the exercise stub copies this
// file's imports, and the learner's crate does not depend on serde.
use std::fmt;
use std::marker::PhantomData;

/// A reply that does not have the expected shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// What the parser accepts, e.g. "a numbered list (`1. …`), a bulleted list ...".
    pub expected: String,
    /// What the reply holds instead, quoting the offending part.
    pub found: String,
}

impl ParseError {
    pub fn new(expected: impl Into<String>, found: impl Into<String>) -> Self {
        Self { expected: expected.into(), found: found.into() }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "expected {}, found {}", self.expected, self.found)
    }
}

impl std::error::Error for ParseError {}

/// What [`parse_list`] accepts, for its error messages.
pub const LIST_EXPECTED: &str = "a numbered list (`1. …`), a bulleted list (`- …`) or one line \
                                 of comma-separated items";

/// The two kinds of list line, told apart by their marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marker {
    Bullet,
    Number,
}

/// The marker of a (trimmed) list line and the item after it: `-`, `*` or `•`, or digits
/// then `.` or `)`, in each case followed by whitespace or the end of the line. So "-5 °C"
/// and "3.14" are not list lines.
fn marker(line: &str) -> Option<(Marker, &str)> {
    let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let (kind, rest) = match line.chars().next()? {
        '-' | '*' | '•' => (Marker::Bullet, &line[line.chars().next()?.len_utf8()..]),
        _ if digits > 0 => {
            let rest = &line[digits..];
            (Marker::Number, rest.strip_prefix('.').or_else(|| rest.strip_prefix(')'))?)
        }
        _ => return None,
    };
    (rest.is_empty() || rest.starts_with(char::is_whitespace)).then(|| (kind, rest.trim()))
}

/// The items of a list the model wrote, in one of three forms: a numbered list (`1. a`,
/// `2) b`), a bulleted list (`- a`, `* b`, `• c`), one item per line, or a single line of
/// comma-separated items (`a, b, c`; the Chinese `，` and `、` separate too). Blank lines
/// are skipped and items are trimmed. Errors, each saying what was expected and quoting
/// what was found: an empty reply; a list line without an item; a line that is not an item
/// of the kind the list started with; several lines that do not start as a list; an empty
/// item between two commas.
///
/// Worked example: `"1. Paris\n2. Lyon, on the Rhône\n"` gives `["Paris", "Lyon, on the
/// Rhône"]` (a comma inside a list line is part of its item); `"红、绿、蓝"` gives three
/// items; `"Sure! Here they are:\n1. Paris"` fails: its first line is not a list line.
///
/// ```
/// use solutions::applications::output_parser::parse_list;
/// let cities = parse_list("1. Paris\n2. Lyon, on the Rhône\n").unwrap();
/// assert_eq!(cities, ["Paris", "Lyon, on the Rhône"]);
/// assert_eq!(parse_list("- tea\n\n- 茶").unwrap(), ["tea", "茶"]);
/// assert_eq!(parse_list("red, green ,blue").unwrap(), ["red", "green", "blue"]);
/// assert_eq!(parse_list("红、绿、蓝").unwrap(), ["红", "绿", "蓝"]);
/// let err = parse_list("Sure! Here they are:\n1. Paris").unwrap_err();
/// assert!(err.found.contains("Sure! Here they are:"));
/// ```
// ANCHOR: parse_list
pub fn parse_list(text: &str) -> Result<Vec<String>, ParseError> {
    let lines: Vec<(usize, &str)> =
        text.lines().map(str::trim).enumerate().filter(|(_, l)| !l.is_empty()).collect();
    let Some(&(_, first)) = lines.first() else {
        return Err(ParseError::new(LIST_EXPECTED, "an empty reply"));
    };
    let Some((kind, _)) = marker(first) else {
        if lines.len() > 1 {
            let found = format!("{} lines, the first of them `{first}`", lines.len());
            return Err(ParseError::new(LIST_EXPECTED, found));
        }
        return comma_separated(first);
    };
    let what = if kind == Marker::Bullet {
        "a bulleted item (`- …`)"
    } else {
        "a numbered item (`1. …`)"
    };
    lines
        .iter()
        .map(|&(number, line)| match marker(line) {
            Some((k, "")) if k == kind => {
                Err(ParseError::new(what, format!("line {} `{line}` with no item", number + 1)))
            }
            Some((k, item)) if k == kind => Ok(item.to_string()),
            // Subtle: a line that is not an item is an error, not skipped: it may be half of
            // an item that ran onto two lines, or the model talking instead of answering.
            _ => Err(ParseError::new(
                format!("{what} on every line, as the list started"),
                format!("line {} `{line}`", number + 1),
            )),
        })
        .collect()
}
// ANCHOR_END: parse_list

/// One line of items separated by `,`, `，` or `、`.
fn comma_separated(line: &str) -> Result<Vec<String>, ParseError> {
    let items: Vec<&str> = line.split([',', '，', '、']).map(str::trim).collect();
    match items.iter().position(|item| item.is_empty()) {
        Some(i) => Err(ParseError::new(
            "comma-separated items, none of them empty",
            format!("item {} empty in `{line}`", i + 1),
        )),
        None => Ok(items.into_iter().map(String::from).collect()),
    }
}

/// A parser that a chain can run on a reply, with the instructions that ask for its format.
pub trait OutputParser {
    type Output;
    fn parse(&self, text: &str) -> Result<Self::Output, ParseError>;
    /// Text for the prompt that asks the model for this format.
    fn instructions(&self) -> String;
}

/// [`parse_list`] as a parser.
#[derive(Debug, Clone, Copy, Default)]
pub struct ListParser;

impl OutputParser for ListParser {
    type Output = Vec<String>;
    fn parse(&self, text: &str) -> Result<Vec<String>, ParseError> {
        parse_list(text)
    }
    fn instructions(&self) -> String {
        "Answer with a numbered list, one item per line: `1. …`, `2. …`.".into()
    }
}

/// JSON into a typed value `T` through serde_json. The description of `T`'s shape is both
/// the format instructions and the "expected" of every error.
#[derive(Debug, Clone)]
pub struct JsonParser<T> {
    pub shape: String,
    output: PhantomData<fn() -> T>,
}

impl<T> JsonParser<T> {
    /// `shape` describes the JSON wanted, e.g. `{"title": string, "year": integer}`.
    pub fn new(shape: &str) -> Self {
        Self { shape: shape.to_string(), output: PhantomData }
    }
}

// ANCHOR: json_parser
impl<T: serde::de::DeserializeOwned> OutputParser for JsonParser<T> {
    type Output = T;
    fn parse(&self, text: &str) -> Result<T, ParseError> {
        // Models often fence JSON as markdown (```json ... ```); the fence is not JSON.
        let body = text.trim();
        let body = match body.strip_prefix("```").and_then(|b| b.strip_suffix("```")) {
            Some(fenced) => fenced.split_once('\n').map_or("", |(_lang, json)| json),
            None => body,
        };
        // serde's message already names the field and the type it wanted ("missing field
        // `year`", "invalid type: string \"1999\", expected u16") and where (line, column).
        serde_json::from_str(body).map_err(|e| {
            let shown: String = body.chars().take(80).collect();
            let more = if body.chars().count() > 80 { "…" } else { "" };
            ParseError::new(format!("JSON {}", self.shape), format!("{e}, in `{shown}{more}`"))
        })
    }
    fn instructions(&self) -> String {
        format!("Answer with JSON only, of this shape: {}", self.shape)
    }
}
// ANCHOR_END: json_parser

#[cfg(test)]
mod tests;
