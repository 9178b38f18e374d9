//! §6.1 Prompt templates (提示模板): a prompt with named holes, filled in for each request.
//!
//! `"Translate {text} into {language}."` is written once and filled with different values.
//! The syntax is Python's `str.format`, as in LangChain's `PromptTemplate` (its default
//! `template_format="f-string"`): `{name}` is a variable, and `{{` and `}}` stand for
//! literal braces, so that a JSON example can sit in a prompt. Every mistake is an error
//! rather than a quietly wrong prompt: a variable without a value, a value the template
//! never uses (usually a misspelt name), an unclosed or stray brace.
//!
//! A few-shot template (LangChain's `FewShotPromptTemplate`) puts worked examples before the
//! question: the in-context learning of GPT-3 (Brown et al. 2020, *Language Models are
//! Few-Shot Learners*, arXiv 2005.14165, §2). Hugging Face has no prompt templates; its chat
//! templates (`chat_template.rs`) lay out whole conversations instead.

use std::fmt;

/// Why a template could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateError {
    /// The template has `{name}`, but no value was given for it.
    Missing { name: String },
    /// A value was given for `name`, but the template has no `{name}` (a typo?).
    Unused { name: String },
    /// The `{` at byte `at` is never closed.
    Unclosed { at: usize },
    /// The `}` at byte `at` closes nothing.
    Stray { at: usize },
    /// The braces at byte `at` hold `name`, which is not a variable name.
    BadName { name: String, at: usize },
    /// Few-shot example `index` (from 0) could not be rendered.
    Example { index: usize, error: Box<TemplateError> },
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Self::Missing { name } => {
                write!(f, "the template uses {{{name}}}, but no value was given for `{name}`")
            }
            Self::Unused { name } => write!(
                f,
                "a value was given for `{name}`, but the template has no {{{name}}} (misspelt?)"
            ),
            Self::Unclosed { at } => write!(f, "the `{{` at byte {at} is never closed by `}}`"),
            Self::Stray { at } => {
                write!(f, "the `}}` at byte {at} closes nothing (write `}}}}` for a literal `}}`)")
            }
            Self::BadName { name, at } => write!(
                f,
                "`{{{name}}}` at byte {at} is not a variable: a name is letters, digits and `_`, \
                 not starting with a digit (write `{{{{` for a literal `{{`)"
            ),
            Self::Example { index, error } => write!(f, "few-shot example {index}: {error}"),
        }
    }
}

impl std::error::Error for TemplateError {}

/// A piece of a parsed template: literal text, or a variable's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    Var(String),
}

/// Splits `template` into text and variables, with `{{` and `}}` already turned into
/// single braces; the first syntax error, by position, is returned.
pub fn parse_template(template: &str) -> Result<Vec<Piece>, TemplateError> {
    let (mut pieces, mut text, mut i) = (vec![], String::new(), 0);
    while let Some(c) = template[i..].chars().next() {
        let doubled = template[i + c.len_utf8()..].starts_with(c);
        match c {
            '{' | '}' if doubled => {
                text.push(c);
                i += 2;
            }
            '}' => return Err(TemplateError::Stray { at: i }),
            '{' => {
                let len = template[i + 1..].find('}').ok_or(TemplateError::Unclosed { at: i })?;
                let name = &template[i + 1..i + 1 + len];
                if !is_name(name) {
                    return Err(TemplateError::BadName { name: name.into(), at: i });
                }
                pieces.extend((!text.is_empty()).then(|| Piece::Text(std::mem::take(&mut text))));
                pieces.push(Piece::Var(name.into()));
                i += len + 2;
            }
            _ => {
                text.push(c);
                i += c.len_utf8();
            }
        }
    }
    pieces.extend((!text.is_empty()).then_some(Piece::Text(text)));
    Ok(pieces)
}

/// A variable name: ASCII letters, digits and `_`, not starting with a digit.
fn is_name(s: &str) -> bool {
    let ok = |c: char| c.is_ascii_alphanumeric() || c == '_';
    s.chars().all(ok) && s.chars().next().is_some_and(|c| !c.is_ascii_digit())
}

/// Fills `template`'s variables `{name}` with the values in `vars`; `{{` and `}}` become
/// `{` and `}`. Errors, in this order: the first syntax error in the template (an unclosed
/// `{`, a stray `}`, braces around something that is not a name), then the first variable
/// of the template without a value, then the first value in `vars` that the template does
/// not use. A variable may appear several times; a name given twice takes its first value.
///
/// Worked example: `"Translate {text} into {language}."` with `text = "猫"` and
/// `language = "English"` gives `"Translate 猫 into English."`; `"{{\"answer\": {n}}}"` with
/// `n = 42` gives `{"answer": 42}`; `"Hi {name}"` with no values fails with `Missing`.
///
/// ```
/// use solutions::applications::prompt_template::{render_template, TemplateError};
/// let t = "Translate {text} into {language}.";
/// let out = render_template(t, &[("text", "猫"), ("language", "English")]);
/// assert_eq!(out.unwrap(), "Translate 猫 into English.");
/// assert_eq!(render_template("{{\"answer\": {n}}}", &[("n", "42")]).unwrap(), "{\"answer\": 42}");
/// let missing = TemplateError::Missing { name: "name".into() };
/// assert_eq!(render_template("Hi {name}", &[]), Err(missing));
/// ```
// ANCHOR: render_template
pub fn render_template(template: &str, vars: &[(&str, &str)]) -> Result<String, TemplateError> {
    let pieces = parse_template(template)?;
    let value = |name: &str| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| *v);
    let uses = |name: &str| pieces.iter().any(|p| matches!(p, Piece::Var(n) if n == name));
    for piece in &pieces {
        if let Piece::Var(name) = piece {
            value(name).ok_or_else(|| TemplateError::Missing { name: name.clone() })?;
        }
    }
    if let Some(&(name, _)) = vars.iter().find(|&&(name, _)| !uses(name)) {
        return Err(TemplateError::Unused { name: name.to_string() });
    }
    // Subtle: each value is inserted once, as it is, and never read as a template again.
    // Replacing `{name}` by its value one variable after another would substitute inside a
    // value that happens to contain `{other}` (a user's text is not the template's author).
    Ok(pieces
        .iter()
        .map(|p| match p {
            Piece::Text(text) => text.as_str(),
            Piece::Var(name) => value(name).unwrap_or_default(),
        })
        .collect())
}
// ANCHOR_END: render_template

/// A template whose variables are known before it is used (LangChain's `input_variables`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromptTemplate {
    template: String,
    variables: Vec<String>,
}

impl PromptTemplate {
    /// Checks the syntax once, and lists the variables in order of first appearance.
    pub fn new(template: &str) -> Result<Self, TemplateError> {
        let mut variables: Vec<String> = vec![];
        for piece in parse_template(template)? {
            match piece {
                Piece::Var(name) if !variables.contains(&name) => variables.push(name),
                _ => {}
            }
        }
        Ok(Self { template: template.to_string(), variables })
    }

    pub fn variables(&self) -> &[String] {
        &self.variables
    }

    pub fn template(&self) -> &str {
        &self.template
    }

    pub fn format(&self, vars: &[(&str, &str)]) -> Result<String, TemplateError> {
        render_template(&self.template, vars)
    }
}

/// Worked examples before the question: `prefix`, each example rendered by `example`,
/// then `suffix`, joined by `separator` (LangChain's default is a blank line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FewShotTemplate {
    /// A template, filled with the same values as `suffix` (often an instruction).
    pub prefix: String,
    /// How one example is laid out, e.g. `"Q: {question}\nA: {answer}"`.
    pub example: PromptTemplate,
    /// The examples' values, one list of (name, value) pairs per example.
    pub examples: Vec<Vec<(String, String)>>,
    /// The template of the request itself, e.g. `"Q: {question}\nA:"`.
    pub suffix: String,
    pub separator: String,
}

impl FewShotTemplate {
    // ANCHOR: few_shot
    /// The prompt for `vars`: the prefix and suffix are filled with them, the examples with
    /// their own values. An example that does not fit `example` names its index.
    pub fn format(&self, vars: &[(&str, &str)]) -> Result<String, TemplateError> {
        let mut parts = vec![self.prefix.clone()];
        for (index, values) in self.examples.iter().enumerate() {
            let values: Vec<(&str, &str)> =
                values.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let shot = self
                .example
                .format(&values)
                .map_err(|e| TemplateError::Example { index, error: Box::new(e) })?;
            // Subtle: the rendered examples become part of one template with the prefix and
            // suffix, so their braces are doubled: an example holding JSON must stay text.
            parts.push(shot.replace('{', "{{").replace('}', "}}"));
        }
        parts.push(self.suffix.clone());
        parts.retain(|p| !p.is_empty());
        render_template(&parts.join(&self.separator), vars)
    }
    // ANCHOR_END: few_shot
}

#[cfg(test)]
mod tests;
