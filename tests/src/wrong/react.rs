//! §6.2: plausible wrong ReAct readers and steps.

use solutions::applications::language_model::LanguageModel;
use solutions::applications::react::{parse_action, ParseError, Parsed, Step, Transcript, STOP};
use solutions::applications::tools::ToolRegistry;

/// Reads the last action line instead of the first.
pub fn parse_last_action(reply: &str) -> Result<Parsed, ParseError> {
    let reversed: Vec<&str> = reply.lines().rev().collect();
    parse_action(&reversed.join("\n"))
}

/// Keeps the spaces around the tool's name and its input.
pub fn parse_untrimmed(reply: &str) -> Result<Parsed, ParseError> {
    let parsed = parse_action(reply)?;
    let Parsed::Action { .. } = parsed else { return Ok(parsed) };
    let line = reply.lines().map(str::trim).find(|l| l.starts_with("Action:")).unwrap();
    let rest = &line["Action:".len()..];
    let open = rest.find('[').unwrap();
    Ok(Parsed::Action {
        tool: rest[..open].to_string(),
        input: rest[open + 1..rest.len() - 1].to_string(),
    })
}

/// Ends the input at the first `]`, cutting `a[0]` to `a[0`.
pub fn parse_first_bracket(reply: &str) -> Result<Parsed, ParseError> {
    match parse_action(reply)? {
        Parsed::Action { tool, input } => {
            let input = input.split(']').next().unwrap_or("").trim().to_string();
            Ok(Parsed::Action { tool, input })
        }
        answer => Ok(answer),
    }
}

/// The library's step with the mistakes switched on: no stop string (`stop` empty), the
/// reply not kept, errors ending the loop, no observation appended.
fn step_with(
    model: &mut dyn LanguageModel,
    tools: &ToolRegistry,
    transcript: &mut Transcript,
    stop: &[&str],
    keep_reply: bool,
    errors_end: bool,
    observe: bool,
) -> Step {
    let reply = model.complete(&transcript.text, stop);
    if keep_reply {
        transcript.text.push_str(reply.trim_end());
        transcript.text.push('\n');
    }
    let observation = match parse_action(&reply) {
        Ok(Parsed::FinalAnswer(answer)) => return Step::Answer(answer),
        Ok(Parsed::Action { tool, input }) => match tools.call(&tool, &input) {
            Ok(result) => result,
            Err(e) if errors_end => return Step::Answer(e.to_string()),
            Err(e) => format!("{e}; the tools are {}", tools.names().join(", ")),
        },
        Err(e) if errors_end => return Step::Answer(e.to_string()),
        Err(e) => format!("{e}; the tools are {}", tools.names().join(", ")),
    };
    if observe {
        transcript.text.push_str(&format!("{STOP} {observation}\n"));
    }
    Step::Continue
}

/// Calls the model without the stop string, so it writes the observation itself.
pub fn step_without_stop(m: &mut dyn LanguageModel, t: &ToolRegistry, s: &mut Transcript) -> Step {
    step_with(m, t, s, &[], true, false, true)
}

/// Runs the tool but never appends the observation.
pub fn step_no_observation(
    m: &mut dyn LanguageModel,
    t: &ToolRegistry,
    s: &mut Transcript,
) -> Step {
    step_with(m, t, s, &[STOP], true, false, false)
}

/// Appends the observation but not the model's own reply.
pub fn step_reply_dropped(m: &mut dyn LanguageModel, t: &ToolRegistry, s: &mut Transcript) -> Step {
    step_with(m, t, s, &[STOP], false, false, true)
}

/// Ends the loop on a tool's error (as `?` would), reporting it as the answer.
pub fn step_error_ends_loop(
    m: &mut dyn LanguageModel,
    t: &ToolRegistry,
    s: &mut Transcript,
) -> Step {
    step_with(m, t, s, &[STOP], true, true, true)
}
