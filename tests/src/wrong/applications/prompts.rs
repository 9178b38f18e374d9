//! §6.1: plausible wrong prompt renderers and list parsers.

use crate::applications::output_parser::has_marker;
use crate::applications::prompt_template::{by_successive_replaces, with_doubled_braces_kept};
use solutions::applications::output_parser::{parse_list, ParseError};
use solutions::applications::prompt_template::{render_template, PromptTemplate, TemplateError};

/// Replaces each `{name}` in turn (after checking the errors correctly), so a value that
/// holds `{other}` is substituted again.
pub fn render_successive_replaces(t: &str, vars: &[(&str, &str)]) -> Result<String, TemplateError> {
    render_template(t, vars).map(|_| by_successive_replaces(t, vars))
}
/// Never turns `{{` and `}}` into single braces.
pub fn render_doubled_braces(t: &str, vars: &[(&str, &str)]) -> Result<String, TemplateError> {
    with_doubled_braces_kept(t, vars)
}
/// A variable without a value stays as `{name}` in the prompt.
pub fn render_leaves_missing(t: &str, vars: &[(&str, &str)]) -> Result<String, TemplateError> {
    match render_template(t, vars) {
        Err(TemplateError::Missing { .. }) => {
            let names = PromptTemplate::new(t).unwrap().variables().to_vec();
            let placeholders: Vec<String> = names.iter().map(|n| format!("{{{n}}}")).collect();
            let mut all: Vec<(&str, &str)> = vars.to_vec();
            for (name, p) in names.iter().zip(&placeholders) {
                if !vars.iter().any(|(k, _)| *k == name.as_str()) {
                    all.push((name.as_str(), p.as_str()));
                }
            }
            render_template(t, &all)
        }
        other => other,
    }
}
/// A value the template does not use is silently dropped.
pub fn render_ignores_unused(t: &str, vars: &[(&str, &str)]) -> Result<String, TemplateError> {
    let Ok(template) = PromptTemplate::new(t) else { return render_template(t, vars) };
    let used: Vec<(&str, &str)> = vars
        .iter()
        .copied()
        .filter(|(k, _)| template.variables().iter().any(|n| n.as_str() == *k))
        .collect();
    render_template(t, &used)
}

/// The items keep their markers: each list line is returned whole.
pub fn list_keeps_markers(text: &str) -> Result<Vec<String>, ParseError> {
    let items = parse_list(text)?;
    let lines: Vec<String> =
        text.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect();
    Ok(if lines.len() == items.len() && lines.len() > 1 { lines } else { items })
}
/// Only the ASCII comma separates items on one line.
pub fn list_ascii_commas_only(text: &str) -> Result<Vec<String>, ParseError> {
    let hidden = text.replace('，', "\u{E000}").replace('、', "\u{E001}");
    let back = |s: String| s.replace('\u{E000}', "，").replace('\u{E001}', "、");
    parse_list(&hidden).map(|items| items.into_iter().map(back).collect())
}
/// Skips the lines that are not list items instead of failing.
pub fn list_skips_stray_lines(text: &str) -> Result<Vec<String>, ParseError> {
    let items: Vec<&str> = text.lines().filter(|l| has_marker(l.trim())).collect();
    if items.is_empty() {
        parse_list(text)
    } else {
        parse_list(&items.join("\n"))
    }
}
/// Splits every item at its commas, in lists too.
pub fn list_splits_items_at_commas(text: &str) -> Result<Vec<String>, ParseError> {
    let items = parse_list(text)?;
    Ok(items.iter().flat_map(|i| i.split(',').map(|s| s.trim().to_string())).collect())
}
/// Right items, but errors that do not say what they found.
pub fn list_vague_errors(text: &str) -> Result<Vec<String>, ParseError> {
    parse_list(text).map_err(|e| ParseError::new(e.expected, "something unexpected"))
}
