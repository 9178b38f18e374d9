use super::*;
use crate::applications::language_model::ScriptedModel;
use crate::applications::output_parser::{JsonParser, ListParser};

fn template(t: &str) -> PromptTemplate {
    PromptTemplate::new(t).unwrap()
}

#[test]
fn prompt_then_model_then_parser() {
    let chain =
        template("List three {things}.\n").then(Complete::until(&["\n\n"])).then(Parse(ListParser));
    let mut lm = ScriptedModel::new(["1. Paris\n2. Lyon\n3. Nice\n\nAnything else?"]);
    let cities = chain.run(&mut lm, vars([("things", "French cities")])).unwrap();
    assert_eq!(cities, ["Paris", "Lyon", "Nice"], "the reply is cut at the stop string first");
    assert_eq!(lm.prompts, ["List three French cities.\n"]);
}

#[derive(Debug, PartialEq, serde::Deserialize)]
struct Film {
    title: String,
    year: u16,
}

#[test]
fn json_replies_become_typed_values() {
    let parser = JsonParser::<Film>::new(r#"{"title": string, "year": integer}"#);
    let prompt = format!(
        "{}\nFilm: {{film}}\nJSON:",
        parser.instructions().replace('{', "{{").replace('}', "}}")
    );
    let chain = template(&prompt).then(Complete::default()).then(Parse(parser));
    let mut lm = ScriptedModel::new([r#" {"title": "Spirited Away", "year": 2001}"#]);
    let film = chain.run(&mut lm, vars([("film", "千与千寻")])).unwrap();
    assert_eq!(film, Film { title: "Spirited Away".into(), year: 2001 });
    assert!(lm.prompts[0].ends_with(
        r#"{"title": string, "year": integer}
Film: 千与千寻
JSON:"#
    ));
}

/// LangChain's classic sequential chain: a synopsis from a title, then a review of it.
fn synopsis_then_review() -> impl Step<Input = Vars, Output = String> {
    // ANCHOR: sequential
    let synopsis = template("Title: {title}\nSynopsis:").then(Complete::until(&["\nTitle:"]));
    let review = template("Synopsis: {synopsis}\nReview:").then(Complete::default());
    synopsis.then(map(|s: String| vars([("synopsis", s.trim())]))).then(review)
    // ANCHOR_END: sequential
}

#[test]
fn a_chain_of_chains_feeds_one_reply_into_the_next_prompt() {
    let mut lm = ScriptedModel::new([" A girl works in a bathhouse.\nTitle: next", " Enchanting."]);
    let review = synopsis_then_review().run(&mut lm, vars([("title", "Spirited Away")])).unwrap();
    assert_eq!(review, " Enchanting.");
    assert_eq!(
        lm.prompts,
        ["Title: Spirited Away\nSynopsis:", "Synopsis: A girl works in a bathhouse.\nReview:"]
    );
}

#[test]
fn the_first_error_stops_the_chain_before_the_model_is_called_again() {
    let mut lm = ScriptedModel::new(["never used"]);
    let err = synopsis_then_review().run(&mut lm, vars([("titel", "Spirited Away")])).unwrap_err();
    assert_eq!(err, ChainError::Template(TemplateError::Missing { name: "title".into() }));
    assert_eq!(lm.remaining(), 1, "the model was called after the template failed");

    let chain = Complete::default().then(Parse(ListParser)).then(map(|v: Vec<String>| v.join("+")));
    let mut lm = ScriptedModel::new(["Sure:\n1. a"]);
    let err = chain.run(&mut lm, "List.".into()).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("the model's reply: {}", ListParser.parse("Sure:\n1. a").unwrap_err())
    );
}

#[test]
fn retry_shows_the_model_its_parse_error_and_asks_again() {
    let retry = Retry { parser: ListParser, stop: vec![], attempts: 3 };
    let mut lm = ScriptedModel::new(["Sure! Here:\n1. tea", "1. tea\n2. 茶"]);
    let items = retry.run(&mut lm, "Name two drinks.\n".into()).unwrap();
    assert_eq!(items, ["tea", "茶"]);
    let error = ListParser.parse("Sure! Here:\n1. tea").unwrap_err();
    assert_eq!(lm.prompts.len(), 2);
    assert!(lm.prompts[1].contains(&error.to_string()), "{}", lm.prompts[1]);
    assert!(lm.prompts[1].starts_with("Name two drinks.\nSure! Here:\n1. tea\n\n"));
    assert!(
        lm.prompts[1].ends_with(&format!("{}\n\nName two drinks.\n", ListParser.instructions()))
    );

    let mut lm = ScriptedModel::new(["Sure:\n1. a", "a,,b"]);
    let retry = Retry { parser: ListParser, stop: vec![], attempts: 2 };
    let err = retry.run(&mut lm, "Name two drinks.\n".into()).unwrap_err();
    assert!(matches!(err, ChainError::GaveUp { attempts: 2, .. }), "{err}");
    assert_eq!(lm.remaining(), 0);
}
