use super::*;
use crate::applications::language_model::ScriptedModel;
use crate::applications::tools::{calculator, corpus_lookup, Tool};
use crate::nlp::corpus::embedded;

fn tools() -> ToolRegistry {
    ToolRegistry::new().with(calculator()).with(corpus_lookup(&embedded()))
}

fn action(tool: &str, input: &str) -> Result<Parsed, ParseError> {
    Ok(Parsed::Action { tool: tool.into(), input: input.into() })
}

/// The run the page and the notebook show: a lookup, then a calculation, then the answer.
const QUESTION: &str = "According to the course text, how many pages of words fit \
    in a 2048-token window, and how many tokens is that per page?";
const SCRIPT: [&str; 3] = [
    "Thought: I should find what the text says about a 2048-token window.\n\
     Action: lookup[2048-token]\n",
    "Thought: Four pages fit in 2048 tokens, so one page is 2048 / 4 tokens.\n\
     Action: calculator[2048 / 4]\nObservation: 500\n",
    "Thought: I know the answer.\nFinal Answer: four pages, so about 512 tokens per page.",
];

#[test]
fn parse_action_reads_the_first_action_or_answer() {
    assert_eq!(
        parse_action("Thought: add.\nAction: calculator[1 + 1]\n"),
        action("calculator", "1 + 1")
    );
    assert_eq!(parse_action("Action:   lookup [  BPE ]  "), action("lookup", "BPE"));
    assert_eq!(parse_action("Action: lookup[a[0]]"), action("lookup", "a[0]"));
    assert_eq!(parse_action("Action: calculator[]"), action("calculator", ""));
    let two = "Action: calculator[1]\nAction: lookup[2]";
    assert_eq!(parse_action(two), action("calculator", "1"), "the first action decides");
    let answer = "Thought: done.\nFinal Answer: 512\ntokens\n";
    assert_eq!(parse_action(answer), Ok(Parsed::FinalAnswer("512\ntokens".into())));
    let answer_first = "Final Answer: 4\nAction: calculator[2 + 2]";
    assert_eq!(
        parse_action(answer_first),
        Ok(Parsed::FinalAnswer("4\nAction: calculator[2 + 2]".into()))
    );
    assert_eq!(
        parse_action("  Action: lookup[x]"),
        action("lookup", "x"),
        "indentation is allowed"
    );
}

#[test]
fn parse_action_names_each_way_a_reply_is_malformed() {
    assert_eq!(parse_action("Thought: hmm."), Err(ParseError::NoAction));
    assert_eq!(parse_action(""), Err(ParseError::NoAction));
    assert_eq!(parse_action("Thought: my Action: lookup[x]"), Err(ParseError::NoAction));
    let line = |l: &str| l.to_string();
    let no_brackets = "Action: calculator 2 + 2";
    assert_eq!(
        parse_action(no_brackets),
        Err(ParseError::NotToolInput { line: line(no_brackets) })
    );
    let unclosed = "Action: calculator[2 + 2";
    assert_eq!(parse_action(unclosed), Err(ParseError::NotToolInput { line: line(unclosed) }));
    let trailing = "Action: calculator[2 + 2].";
    assert_eq!(parse_action(trailing), Err(ParseError::NotToolInput { line: line(trailing) }));
    let nameless = "Action: [2 + 2]";
    assert_eq!(parse_action(nameless), Err(ParseError::NoToolName { line: line(nameless) }));
    assert_eq!(parse_action("Final Answer:  \n "), Err(ParseError::EmptyAnswer));
}

#[test]
fn the_page_s_run_looks_up_then_calculates_then_answers() {
    let mut model = ScriptedModel::new(SCRIPT);
    let run = run_agent(&mut model, &tools(), QUESTION, 5);
    assert_eq!(
        run.outcome,
        AgentOutcome::Answered("four pages, so about 512 tokens per page.".into())
    );
    assert_eq!(run.steps, 3);
    let prompt = react_prompt(&tools(), QUESTION);
    let sentence = tools().call("lookup", "2048-token").unwrap();
    let step1 = format!("{}{STOP} {sentence}\n", SCRIPT[0]);
    // The second reply invents "Observation: 500"; the stop string drops it.
    let step2 = format!("{}{STOP} 512\n", SCRIPT[1].strip_suffix("Observation: 500\n").unwrap());
    assert!(!run.transcript.contains("500"), "an invented observation got through");
    // What the agent sent back: each prompt is the previous one plus a reply and its
    // observation.
    assert_eq!(
        model.prompts,
        [prompt.clone(), prompt.clone() + &step1, prompt.clone() + &step1 + &step2]
    );
    assert_eq!(run.transcript, format!("{prompt}{step1}{step2}{}\n", SCRIPT[2]));
}

#[test]
fn the_prompt_lists_every_tool_and_the_format() {
    let prompt = react_prompt(&tools(), "What is BPE?");
    for needle in
        ["calculator: evaluates", "lookup: returns", "one of calculator, lookup", "Final Answer:"]
    {
        assert!(prompt.contains(needle), "{needle:?} missing from\n{prompt}");
    }
    assert!(prompt.ends_with("Question: What is BPE?\n"), "{prompt}");
}

/// One step on `reply`, from a one-line transcript: the observation line it appended.
fn observation_after(reply: &str, tools: &ToolRegistry) -> (Step, String) {
    let mut model = ScriptedModel::new([reply]);
    let mut transcript = Transcript::new("Question: q\n");
    let step = agent_step(&mut model, tools, &mut transcript);
    assert_eq!(model.prompts, ["Question: q\n"], "the model sees the transcript as it was");
    let rest = transcript.text.strip_prefix("Question: q\n").unwrap();
    let reply = crate::applications::language_model::cut_at_stop(reply, &[STOP]);
    let rest =
        rest.strip_prefix(&format!("{}\n", reply.trim_end())).expect("the reply comes first");
    (step, rest.to_string())
}

#[test]
fn every_failure_becomes_an_observation_that_lists_the_tools() {
    let tools = tools();
    let listed = "one of calculator, lookup, or with \"Final Answer: your answer\"";
    let cases = [
        ("Thought: let me think.", "your reply has no line starting with \"Action:\""),
        ("Action: calculator 2 + 2", "\"Action: calculator 2 + 2\" is not of the form"),
        ("Action: [2 + 2]", "\"Action: [2 + 2]\" names no tool"),
        ("Final Answer:", "your \"Final Answer:\" is empty"),
        ("Action: search[BPE]", "there is no tool \"search\""),
        ("Action: calculator[1 / 0]", "calculator failed: \"1 / 0\" is not a finite number"),
        ("Action: lookup[xylophone]", "lookup failed: no sentence contains \"xylophone\""),
    ];
    for (reply, what) in cases {
        let (step, observation) = observation_after(reply, &tools);
        assert_eq!(step, Step::Continue, "{reply:?} must not end the loop");
        assert!(
            observation.starts_with("Observation: ") && observation.ends_with('\n'),
            "{observation:?}"
        );
        assert_eq!(observation.lines().count(), 1, "one line: {observation:?}");
        assert!(observation.contains(what), "{reply:?}: {observation:?} lacks {what:?}");
        assert!(observation.contains(listed), "{reply:?}: {observation:?} lacks the tool list");
    }
}

#[test]
fn the_stop_string_keeps_the_model_from_inventing_observations() {
    let reply = "Thought: add.\nAction: calculator[2 + 2]\nObservation: 5\nFinal Answer: 5";
    let (step, observation) = observation_after(reply, &tools());
    assert_eq!((step, observation.as_str()), (Step::Continue, "Observation: 4\n"));
}

#[test]
fn a_tool_s_input_arrives_trimmed_and_the_tool_runs_once() {
    let seen = std::rc::Rc::new(std::cell::RefCell::new(vec![]));
    let log = seen.clone();
    let echo = Tool::new("echo", "repeats its input", move |s| {
        log.borrow_mut().push(s.to_string());
        Ok(format!("<{s}>"))
    });
    let tools = ToolRegistry::new().with(echo);
    let (_, observation) = observation_after("Action: echo[  a b  ]", &tools);
    assert_eq!(observation, "Observation: <a b>\n");
    assert_eq!(*seen.borrow(), ["a b"]);
}

#[test]
fn a_model_that_never_answers_hits_the_step_limit() {
    let mut model = ScriptedModel::new(["Thought: again.\nAction: calculator[1 + 1]\n"; 4]);
    let run = run_agent(&mut model, &tools(), "Loop?", 3);
    assert_eq!((run.outcome, run.steps), (AgentOutcome::StepLimit, 3));
    assert_eq!(model.remaining(), 1, "the limit is three model calls, not four");
    assert_eq!(run.transcript.matches("Observation: 2\n").count(), 3);
    // A recovery: an unknown tool, then the right one, then the answer, within the limit.
    let mut model = ScriptedModel::new([
        "Action: search[2 + 2]",
        "Thought: the calculator, then.\nAction: calculator[2 + 2]",
        "Final Answer: 4",
    ]);
    let run = run_agent(&mut model, &tools(), "2 + 2?", 3);
    assert_eq!((run.outcome, run.steps), (AgentOutcome::Answered("4".into()), 3));
    let observation = "Observation: there is no tool \"search\". Reply with \"Action: \
                       tool[input]\", where tool is one of calculator, lookup, or with \"Final \
                       Answer: your answer\"\n";
    let want = format!("Action: search[2 + 2]\n{observation}");
    assert!(model.prompts[1].ends_with(&want), "{}", model.prompts[1]);
}

#[test]
fn the_page_shows_this_run_and_these_observations() {
    let page = include_str!("../../../../chapters/06-applications/02-tools-agents.md");
    let run = run_agent(&mut ScriptedModel::new(SCRIPT), &tools(), QUESTION, 5);
    let block = format!("```text\n{}```", run.transcript);
    assert!(page.contains(&block), "update the page's run to\n{block}");
    for reply in [
        "Thought: let me think.",
        "Action: calculator 2 + 2",
        "Action: [2 + 2]",
        "Final Answer:",
        "Action: search[BPE]",
        "Action: calculator[1 / 0]",
        "Action: lookup[xylophone]",
    ] {
        let (_, observation) = observation_after(reply, &tools());
        let what = observation.trim_start_matches("Observation: ").split(". Reply with").next();
        let row = format!("| `{reply}` | `{}` |", what.unwrap());
        assert!(page.contains(&row), "update the page's table: {row}");
    }
}
