//! Graded suite for §6.2, `parse_action` and `agent_step`: hand-written replies for every
//! rule of the format, and scripted transcripts for every path of one step (a result, a
//! final answer, a malformed reply, an unknown tool, a failing tool). The scripted model
//! records its prompts, so the suite checks what the agent sent back.

use crate::{Check, Failure};
use solutions::applications::language_model::{LanguageModel, ScriptedModel};
use solutions::applications::react::{self as lib, ParseError, Parsed, Step, Transcript};
use solutions::applications::tools::{calculator, Tool, ToolRegistry};

/// A reply, the rule it tests, and what a reader gets wrong when it fails.
const PARSE_CASES: [(&str, &str); 14] = [
    ("Thought: divide.\nAction: calculator[ 2048 / 4 ]\n", "the worked example"),
    ("Action: calculator[1]\nAction: lookup[2]", "two actions"),
    (
        "Thought: plan.\nAction: lookup[tokens]\nThought: then.\nAction: calculator[1 + 1]",
        "two actions",
    ),
    ("Action:   lookup [  BPE ]  ", "spaces around the tool and the input"),
    ("Action: lookup[a[0]]", "brackets inside the input"),
    ("Action: calculator[(2 + 3) * [4]]", "brackets inside the input"),
    ("Final Answer: 512", "a final answer"),
    ("Thought: done.\nFinal Answer: four pages,\nso 512 tokens each.\n", "a final answer"),
    ("Final Answer: 4\nAction: calculator[2 + 2]", "an answer before an action"),
    ("Thought: let me think.", "no action at all"),
    ("Action: calculator 2 + 2", "no brackets"),
    ("Action: calculator[2 + 2", "no closing bracket at the end"),
    ("Action: [2 + 2]", "no tool name"),
    ("Final Answer:   ", "an empty answer"),
];

/// What each rule means, said to a learner whose reader broke it.
fn rule(case: &str) -> &'static str {
    match case {
        "two actions" => {
            "the last action was read: the first line that starts with \"Action:\" or \"Final \
             Answer:\" decides (a model may plan ahead; only its first action runs)"
        }
        "spaces around the tool and the input" => {
            "the tool and the input were not trimmed: a model writes \"lookup [ BPE ]\" as \
             often as \"lookup[BPE]\", and \" BPE \" is not the keyword BPE"
        }
        "brackets inside the input" => {
            "the input stopped at the first `]`: it runs from the first `[` to the `]` that ends \
             the line, so an input may hold brackets of its own"
        }
        "a final answer" => {
            "the final answer is everything after \"Final Answer:\", later lines included, \
             trimmed"
        }
        "an answer before an action" => "a final answer that comes first ends the reply",
        "no action at all" => "with neither line, the error is ParseError::NoAction",
        "no brackets" | "no closing bracket at the end" => {
            "an action must be `tool[input]` with the `]` ending the line; otherwise the error is \
             ParseError::NotToolInput holding the trimmed line"
        }
        "no tool name" => "nothing before the `[` is ParseError::NoToolName with the trimmed line",
        "an empty answer" => "\"Final Answer:\" with nothing after it is ParseError::EmptyAnswer",
        _ => "read the doc comment of parse_action again",
    }
}

/// Grades `parse_action(reply)`.
pub fn check_parse_action<F>(f: F) -> Check
where
    F: Fn(&str) -> Result<Parsed, ParseError>,
{
    for (reply, case) in PARSE_CASES {
        let (got, want) = (f(reply), lib::parse_action(reply));
        if got != want {
            return Err(Failure::new(format!(
                "parse_action({reply:?}) [{case}] is {got:?}, expected {want:?}: {}.",
                diagnose(&got, &want).unwrap_or(rule(case))
            )));
        }
    }
    Ok(())
}

/// The mistakes that show in the value whatever the case: an action right but for spaces
/// (not trimmed), or an input cut short at an inner `]`.
fn diagnose(
    got: &Result<Parsed, ParseError>,
    want: &Result<Parsed, ParseError>,
) -> Option<&'static str> {
    let (Ok(Parsed::Action { tool: gt, input: gi }), Ok(Parsed::Action { tool: wt, input: wi })) =
        (got, want)
    else {
        return None;
    };
    if gt.trim() == wt && gi.trim() == wi {
        Some(rule("spaces around the tool and the input"))
    } else if gt == wt && gi.len() < wi.len() && wi.starts_with(gi.as_str()) {
        Some(rule("brackets inside the input"))
    } else {
        None
    }
}

/// The tools of the suite: the calculator, a tool that repeats its input in brackets (so
/// that the exact input shows), and one that always fails.
fn suite_tools() -> ToolRegistry {
    ToolRegistry::new()
        .with(calculator())
        .with(Tool::new("echo", "repeats its input", |s| Ok(format!("<{s}>"))))
        .with(Tool::new("fail", "always fails", |_| Err("the disk is on fire".into())))
}

const START: &str = "Question: what is 2 + 2?\n";

/// One step of `f` on a fresh transcript: the step, the transcript after, and the prompts.
fn one_step<F>(f: &F, reply: &str) -> (Step, String, Vec<String>)
where
    F: Fn(&mut dyn LanguageModel, &ToolRegistry, &mut Transcript) -> Step,
{
    let mut model = ScriptedModel::new([reply]);
    let mut transcript = Transcript::new(START);
    let step = f(&mut model, &suite_tools(), &mut transcript);
    (step, transcript.text, model.prompts)
}

/// Grades `agent_step(model, tools, transcript)`.
pub fn check_agent_step<F>(f: F) -> Check
where
    F: Fn(&mut dyn LanguageModel, &ToolRegistry, &mut Transcript) -> Step,
{
    // A model that goes on to invent the observation, as real ones do.
    let reply = "Thought: add.\nAction: calculator[2 + 2]\nObservation: 5\nFinal Answer: 5";
    let (step, transcript, prompts) = one_step(&f, reply);
    if prompts != [START] {
        return Err(Failure::new(format!(
            "the model was called with {prompts:?}; expected one call with the transcript \
             {START:?}: the prompt is the whole transcript so far."
        )));
    }
    let want = format!("{START}Thought: add.\nAction: calculator[2 + 2]\nObservation: 4\n");
    if transcript != want || step != Step::Continue {
        let cause = if transcript.contains("Observation: 5") {
            "the model was called without the stop string \"Observation:\" (`STOP`), so its \
             invented \"Observation: 5\" entered the transcript"
        } else if !transcript.contains("Thought: add.") {
            "the model's reply was not appended before the observation: the next prompt must \
             show the model its own thought and action"
        } else if !transcript.contains("Observation:") {
            "no observation was appended: after an action the step adds the line \
             \"Observation: {result}\\n\""
        } else {
            "append the reply (trimmed at the end, then \"\\n\"), then \"Observation: \
             {result}\\n\", and return Step::Continue"
        };
        return Err(Failure::new(format!(
            "one step on the reply {reply:?} returned {step:?} and left the transcript \
             {transcript:?}, expected Step::Continue and {want:?}: {cause}."
        )));
    }
    // The input reaches the tool trimmed; the answer ends the step without an observation.
    let (_, transcript, _) = one_step(&f, "Action: echo[ a b ]");
    let want = format!("{START}Action: echo[ a b ]\nObservation: <a b>\n");
    if transcript != want {
        return Err(Failure::new(format!(
            "after \"Action: echo[ a b ]\" the transcript is {transcript:?}, expected {want:?}: \
             the tool gets the input that parse_action returns."
        )));
    }
    let (step, transcript, _) = one_step(&f, "Thought: easy.\nFinal Answer: 4\n");
    let want = format!("{START}Thought: easy.\nFinal Answer: 4\n");
    if step != Step::Answer("4".into()) || transcript != want {
        return Err(Failure::new(format!(
            "on \"Final Answer: 4\" the step returned {step:?} with the transcript \
             {transcript:?}, expected Step::Answer(\"4\") and {want:?}: the reply is appended, \
             and there is no tool to run."
        )));
    }
    // Every failure is an observation the model reads, and the loop goes on.
    let failures = [
        ("Action: fail[x]", "a failing tool", "the disk is on fire"),
        ("Action: search[BPE]", "an unknown tool", "search"),
        ("Thought: let me think.", "a reply without an action", "Action:"),
        ("Action: calculator 2 + 2", "a malformed action", "Action: calculator 2 + 2"),
    ];
    for (reply, what, key) in failures {
        let (step, transcript, _) = one_step(&f, reply);
        if step != Step::Continue {
            return Err(Failure::new(format!(
                "on {reply:?} ({what}) the step returned {step:?}: a tool's error or a bad reply \
                 ended the loop. It must become an observation that the model reads, and the \
                 step returns Step::Continue so the model can try again."
            )));
        }
        let prefix = format!("{START}{reply}\nObservation: ");
        let observation = transcript.strip_prefix(&prefix).unwrap_or("");
        let lists_tools = ["calculator", "echo", "fail"].iter().all(|t| observation.contains(t));
        if observation.is_empty() || !observation.ends_with('\n') {
            return Err(Failure::new(format!(
                "on {reply:?} ({what}) the transcript became {transcript:?}; expected the reply, \
                 then one line \"Observation: ...\\n\" that says what went wrong."
            )));
        }
        if !observation.contains(key) || !lists_tools {
            return Err(Failure::new(format!(
                "on {reply:?} ({what}) the observation is {observation:?}: it should say what \
                 went wrong (mention {key:?}) and list the valid tools (calculator, echo, fail), \
                 so that the model can correct itself."
            )));
        }
    }
    // Two steps: the second prompt is the transcript the first one left.
    let mut model = ScriptedModel::new(["Action: echo[1]", "Final Answer: <1>"]);
    let mut transcript = Transcript::new(START);
    f(&mut model, &suite_tools(), &mut transcript);
    let after_one = transcript.text.clone();
    let step = f(&mut model, &suite_tools(), &mut transcript);
    if model.prompts != [START.to_string(), after_one.clone()] || step != Step::Answer("<1>".into())
    {
        return Err(Failure::new(format!(
            "over two steps the model saw {:?} and the second step returned {step:?}; expected \
             the prompts [{START:?}, {after_one:?}] and Step::Answer(\"<1>\"): each step sends \
             the transcript as the previous step left it.",
            model.prompts
        )));
    }
    Ok(())
}
