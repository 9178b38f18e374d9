//! §6.2 The ReAct loop (ReAct 智能体循环): thought, action, observation, until an answer.
//!
//! Yao et al. 2022, "ReAct: Synergizing Reasoning and Acting in Language Models", arXiv
//! 2210.03629, §2–3. One transcript grows step by step. The model writes a `Thought:` and an
//! `Action: tool[input]`, and generation stops at `Observation:`. The program runs the tool
//! and appends `Observation: result`, then the model continues with the whole transcript as
//! its prompt, until it writes `Final Answer:`. LangChain's equivalent is
//! `create_react_agent` run by an `AgentExecutor(max_iterations=...,
//! handle_parsing_errors=True)`.
//!
//! Everything the model gets wrong becomes an observation it can read and fix: a reply
//! without an action, an action that is not `tool[input]`, a tool that does not exist, a
//! tool that fails. Only the step limit ends a loop without an answer.

use crate::applications::language_model::LanguageModel;
use crate::applications::tools::ToolRegistry;
use std::fmt;

/// Where generation stops: after an action, the program writes the observation, not the
/// model.
pub const STOP: &str = "Observation:";

/// A reply of the model, understood.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Parsed {
    /// `Action: tool[input]`, both trimmed.
    Action { tool: String, input: String },
    /// `Final Answer: answer`, trimmed.
    FinalAnswer(String),
}

/// Why a reply could not be understood. `line` is the offending line, trimmed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseError {
    /// No line starts with `Action:` or `Final Answer:`.
    NoAction,
    /// An `Action:` line that is not `tool[input]`: no `[`, or it does not end with `]`.
    NotToolInput { line: String },
    /// An `Action:` line with nothing before the `[`.
    NoToolName { line: String },
    /// `Final Answer:` followed by nothing.
    EmptyAnswer,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::NoAction => {
                write!(f, "your reply has no line starting with \"Action:\" or \"Final Answer:\"")
            }
            ParseError::NotToolInput { line } => {
                write!(f, "\"{line}\" is not of the form \"Action: tool[input]\"")
            }
            ParseError::NoToolName { line } => write!(f, "\"{line}\" names no tool"),
            ParseError::EmptyAnswer => write!(f, "your \"Final Answer:\" is empty"),
        }
    }
}

// ANCHOR: parse_action
/// Reads the model's reply: the first line that starts (after indentation) with `Action:`
/// or `Final Answer:` decides. An action is `tool[input]`: the tool is the text before the
/// first `[`, the input the text between it and the `]` that ends the line, both trimmed,
/// so an input may hold brackets of its own. A final answer is everything after
/// `Final Answer:`, later lines included, trimmed.
///
/// Worked example: "Thought: divide.\nAction: calculator[ 2048 / 4 ]" is the action
/// `calculator` with input `2048 / 4`; "Action: lookup[a[0]]" looks up `a[0]`;
/// "Final Answer: 512" is the answer `512`; "Thought: hmm" is `ParseError::NoAction`.
///
/// ```
/// use solutions::applications::react::{parse_action, Parsed};
/// let reply = "Thought: divide.\nAction: calculator[ 2048 / 4 ]\n";
/// let action = Parsed::Action { tool: "calculator".into(), input: "2048 / 4".into() };
/// assert_eq!(parse_action(reply), Ok(action));
/// assert_eq!(parse_action("Final Answer: 512"), Ok(Parsed::FinalAnswer("512".into())));
/// ```
pub fn parse_action(reply: &str) -> Result<Parsed, ParseError> {
    let lines: Vec<&str> = reply.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("Final Answer:") {
            // An answer may run over several lines: keep them all.
            let answer = std::iter::once(rest).chain(lines[i + 1..].iter().copied());
            let answer = answer.collect::<Vec<_>>().join("\n").trim().to_string();
            return if answer.is_empty() {
                Err(ParseError::EmptyAnswer)
            } else {
                Ok(Parsed::FinalAnswer(answer))
            };
        }
        let Some(rest) = line.strip_prefix("Action:") else { continue };
        // Subtle: the input runs to the *last* `]`, so `lookup[a[0]]` keeps its brackets.
        let (Some(open), true) = (rest.find('['), rest.ends_with(']')) else {
            return Err(ParseError::NotToolInput { line: line.into() });
        };
        let tool = rest[..open].trim();
        if tool.is_empty() {
            return Err(ParseError::NoToolName { line: line.into() });
        }
        let input = rest[open + 1..rest.len() - 1].trim();
        return Ok(Parsed::Action { tool: tool.into(), input: input.into() });
    }
    Err(ParseError::NoAction)
}
// ANCHOR_END: parse_action

/// The text of a run so far: the prompt, then every reply and observation. It is the
/// model's only memory: what a step does not write here, the next call does not see.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Transcript {
    pub text: String,
}

impl Transcript {
    pub fn new(prompt: &str) -> Transcript {
        Transcript { text: prompt.to_string() }
    }
}

/// What one step of the loop ended with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// An observation was appended: call the model again.
    Continue,
    /// The model gave its final answer.
    Answer(String),
}

// ANCHOR: agent_step
/// One step of ReAct. Calls the model on the whole `transcript.text` with the stop string
/// [`STOP`], appends its reply (trimmed at the end, then a newline), and reads it with
/// [`parse_action`]. A final answer ends the loop. An action runs its tool, and the step
/// appends one line `Observation: {result}\n`. Every failure is appended the same way, as
/// an observation that says what went wrong and lists the valid tools
/// (`ToolRegistry::names`): a reply that cannot be parsed (its `ParseError`), an unknown
/// tool, a tool's error (its `ToolError`). None of them ends the loop.
///
/// Worked example: with the transcript "Question: 2048 / 4?\n" and the reply "Thought:
/// divide.\nAction: calculator[2048 / 4]\n", the transcript becomes "Question: 2048 /
/// 4?\nThought: divide.\nAction: calculator[2048 / 4]\nObservation: 512\n" and the step
/// returns `Step::Continue`.
///
/// ```
/// use solutions::applications::language_model::ScriptedModel;
/// use solutions::applications::react::{agent_step, Step, Transcript};
/// use solutions::applications::tools::{calculator, ToolRegistry};
/// let tools = ToolRegistry::new().with(calculator());
/// let mut model = ScriptedModel::new(["Thought: divide.\nAction: calculator[2048 / 4]\n"]);
/// let mut transcript = Transcript::new("Question: 2048 / 4?\n");
/// assert_eq!(agent_step(&mut model, &tools, &mut transcript), Step::Continue);
/// assert!(transcript.text.ends_with("Action: calculator[2048 / 4]\nObservation: 512\n"));
/// ```
pub fn agent_step(
    model: &mut dyn LanguageModel,
    tools: &ToolRegistry,
    transcript: &mut Transcript,
) -> Step {
    let reply = model.complete(&transcript.text, &[STOP]);
    // The reply joins the transcript whatever it says: the next prompt must show the
    // model its own mistake next to the observation about it.
    transcript.text.push_str(reply.trim_end());
    transcript.text.push('\n');
    let result = match parse_action(&reply) {
        Ok(Parsed::FinalAnswer(answer)) => return Step::Answer(answer),
        Ok(Parsed::Action { tool, input }) => tools.call(&tool, &input).map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    };
    // An error is not the end of the run: the model reads what was wrong and tries again.
    let observation = result.unwrap_or_else(|e| {
        let names = tools.names().join(", ");
        format!(
            "{e}. Reply with \"Action: tool[input]\", where tool is one of {names}, or with \
             \"Final Answer: your answer\""
        )
    });
    transcript.text.push_str(&format!("{STOP} {observation}\n"));
    Step::Continue
}
// ANCHOR_END: agent_step

// ANCHOR: react_prompt
/// The opening of a ReAct transcript: the tools, the format, the question (LangChain's
/// `hwchase17/react` prompt, with the paper's `tool[input]` actions).
pub fn react_prompt(tools: &ToolRegistry, question: &str) -> String {
    format!(
        "Answer the question. You can use these tools:\n{}\nUse this format:\n\
         Question: the question to answer\n\
         Thought: what to do next, and why\n\
         Action: tool[input], where tool is one of {}\n\
         Observation: the tool's result\n\
         ... (Thought, Action and Observation repeat as needed)\n\
         Thought: I know the answer\n\
         Final Answer: the answer to the question\n\n\
         Question: {question}\n",
        tools.describe(),
        tools.names().join(", ")
    )
}
// ANCHOR_END: react_prompt

/// How a run ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AgentOutcome {
    Answered(String),
    /// `max_steps` model calls without a final answer.
    StepLimit,
}

/// A finished run: how it ended, the model calls it made, and the whole transcript.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgentRun {
    pub outcome: AgentOutcome,
    pub steps: usize,
    pub transcript: String,
}

// ANCHOR: run_agent
/// Runs ReAct on `question` for at most `max_steps` model calls.
///
/// Subtle: the limit is what makes the loop terminate. A model that never writes a final
/// answer (a small model that repeats an action, or one that keeps misformatting) would
/// otherwise run for ever; the run then ends with [`AgentOutcome::StepLimit`], which the
/// caller can tell apart from an answer.
pub fn run_agent(
    model: &mut dyn LanguageModel,
    tools: &ToolRegistry,
    question: &str,
    max_steps: usize,
) -> AgentRun {
    let mut transcript = Transcript::new(&react_prompt(tools, question));
    for steps in 1..=max_steps {
        if let Step::Answer(answer) = agent_step(model, tools, &mut transcript) {
            let outcome = AgentOutcome::Answered(answer);
            return AgentRun { outcome, steps, transcript: transcript.text };
        }
    }
    AgentRun { outcome: AgentOutcome::StepLimit, steps: max_steps, transcript: transcript.text }
}
// ANCHOR_END: run_agent

#[cfg(test)]
mod tests;
