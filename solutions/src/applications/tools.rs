//! §6.2 Tools for an agent (智能体的工具): a registry, a calculator and a corpus lookup.
//!
//! A tool is a name, a description that the prompt shows the model, and a function from the
//! model's input text to a result or an error message. The model never runs a tool: it
//! writes `Action: calculator[2048 / 4]`, and the program looks the name up here and calls
//! it (Yao et al. 2022, "ReAct", arXiv 2210.03629, §2; Schick et al. 2023, "Toolformer",
//! arXiv 2302.04761, for tools learned in training instead). LangChain's equivalent is
//! `Tool(name=..., func=..., description=...)` and an agent's `tools=[...]` list.
//!
//! Both tools fail with a message rather than a panic: the agent shows the message to the
//! model as an observation, and a model that reads "division by zero" can try again.

use crate::nlp::bert_text::documents;
use std::fmt;

/// What a tool computes: the model's input in, a result or an error message out.
type ToolFn = Box<dyn Fn(&str) -> Result<String, String>>;

// ANCHOR: tool
/// One tool the agent may call.
pub struct Tool {
    /// The name the model writes in `Action: name[input]`.
    pub name: String,
    /// What the tool does and what input it takes, shown to the model in the prompt.
    pub description: String,
    run: ToolFn,
}

impl Tool {
    pub fn new(
        name: &str,
        description: &str,
        run: impl Fn(&str) -> Result<String, String> + 'static,
    ) -> Tool {
        Tool { name: name.into(), description: description.into(), run: Box::new(run) }
    }

    /// Runs the tool on the model's input.
    pub fn call(&self, input: &str) -> Result<String, String> {
        (self.run)(input)
    }
}
// ANCHOR_END: tool

/// Why a tool call produced no result. Its `Display` is written for the model to read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ToolError {
    /// The model named a tool that is not in the registry.
    Unknown { name: String },
    /// The tool ran and failed, with its own message.
    Failed { tool: String, message: String },
}

impl fmt::Display for ToolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ToolError::Unknown { name } => write!(f, "there is no tool \"{name}\""),
            ToolError::Failed { tool, message } => write!(f, "{tool} failed: {message}"),
        }
    }
}

// ANCHOR: registry
/// The tools an agent may call, looked up by exact name.
#[derive(Default)]
pub struct ToolRegistry {
    tools: Vec<Tool>,
}

impl ToolRegistry {
    pub fn new() -> ToolRegistry {
        ToolRegistry::default()
    }

    /// Adds a tool. Panics on a name already taken: two tools with one name would make
    /// `Action: name[...]` ambiguous, a bug in the program rather than in the model.
    pub fn with(mut self, tool: Tool) -> ToolRegistry {
        assert!(self.get(&tool.name).is_none(), "two tools are named {:?}", tool.name);
        self.tools.push(tool);
        self
    }

    pub fn get(&self, name: &str) -> Option<&Tool> {
        self.tools.iter().find(|t| t.name == name)
    }

    /// The tools' names, in the order they were added.
    pub fn names(&self) -> Vec<&str> {
        self.tools.iter().map(|t| t.name.as_str()).collect()
    }

    /// One line per tool, `name: description`, for the prompt.
    pub fn describe(&self) -> String {
        self.tools.iter().map(|t| format!("{}: {}\n", t.name, t.description)).collect()
    }

    /// Calls the tool `name` on `input`.
    pub fn call(&self, name: &str, input: &str) -> Result<String, ToolError> {
        let Some(tool) = self.get(name) else {
            return Err(ToolError::Unknown { name: name.into() });
        };
        tool.call(input).map_err(|message| ToolError::Failed { tool: name.into(), message })
    }
}
// ANCHOR_END: registry

// ANCHOR: calculator
/// A calculator on the `exmex` crate: `+ - * / ^`, parentheses, decimals, and functions such
/// as `sqrt`, `ln`, `log2`, `min` and `max`, in `f64`.
///
/// Why `exmex`: it is maintained, licensed MIT OR Apache-2.0 like this course, and computes
/// in floating point, so `7 / 2` is 3.5 as a person means it. `evalexpr`, the best-known
/// choice, is licensed AGPL-3.0-only from version 12 (its last MIT release, 11.3, is
/// frozen), which an MIT library cannot take on; `meval` has had no release since 2017.
///
/// ```
/// use solutions::applications::tools::calculator;
/// assert_eq!(calculator().call("2048 / 4"), Ok("512".into()));
/// assert_eq!(calculator().call("7 / 2"), Ok("3.5".into()));
/// assert!(calculator().call("1 / 0").unwrap_err().contains("not a finite number"));
/// ```
pub fn calculator() -> Tool {
    Tool::new(
        "calculator",
        "evaluates an arithmetic expression with + - * / ^ and parentheses, e.g. 3 * (4 + 5)",
        |input| {
            if input.trim().is_empty() {
                return Err("give an expression, e.g. calculator[3 * (4 + 5)]".into());
            }
            let x = exmex::eval_str::<f64>(input)
                .map_err(|e| format!("cannot evaluate \"{input}\": {e}"))?;
            // Subtle: f64 has no error for 1 / 0, only infinity; a model must hear that it
            // divided by zero, not read "inf" as a number.
            if !x.is_finite() {
                return Err(format!("\"{input}\" is not a finite number (a division by zero?)"));
            }
            // Display prints 512.0 as "512" and 3.5 as "3.5": what a person would write.
            Ok(x.to_string())
        },
    )
}
// ANCHOR_END: calculator

/// How many matching sentences one lookup returns: enough to answer, short enough for a
/// small context window.
pub const LOOKUP_LIMIT: usize = 3;

// ANCHOR: corpus_lookup
/// A lookup over a corpus: the first [`LOOKUP_LIMIT`] sentences that contain the keyword,
/// ignoring case, and how many more there are. The agent's knowledge base is the course's
/// own text (`nlp::corpus::embedded()`, the text `cargo course train` learns from).
///
/// ```
/// use solutions::applications::tools::corpus_lookup;
/// let lookup = corpus_lookup("Cats purr. Dogs bark. A cat sleeps.");
/// assert_eq!(lookup.call("CAT"), Ok("Cats purr. A cat sleeps.".into()));
/// assert!(lookup.call("bird").is_err());
/// ```
pub fn corpus_lookup(text: &str) -> Tool {
    let sentences: Vec<String> = documents(text).into_iter().flatten().collect();
    Tool::new(
        "lookup",
        "returns the sentences of the course's text that contain a keyword, e.g. tokenizer",
        move |input| {
            let keyword = input.trim().to_lowercase();
            if keyword.is_empty() {
                return Err("give a keyword to look up, e.g. lookup[tokenizer]".into());
            }
            let hits: Vec<&String> =
                sentences.iter().filter(|s| s.to_lowercase().contains(&keyword)).collect();
            if hits.is_empty() {
                return Err(format!("no sentence contains \"{}\"", input.trim()));
            }
            let shown: Vec<&str> = hits.iter().take(LOOKUP_LIMIT).map(|s| s.as_str()).collect();
            let more = hits.len().saturating_sub(LOOKUP_LIMIT);
            let tail = if more > 0 { format!(" ({more} more)") } else { String::new() };
            Ok(shown.join(" ") + &tail)
        },
    )
}
// ANCHOR_END: corpus_lookup

#[cfg(test)]
mod tests;
