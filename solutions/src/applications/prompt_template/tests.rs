use super::*;

fn missing(name: &str) -> TemplateError {
    TemplateError::Missing { name: name.into() }
}

#[test]
fn variables_are_filled_and_double_braces_are_literal() {
    let t = "Return {{\"city\": \"{city}\"}} for {city}; {{city}} is not a variable.";
    let out = render_template(t, &[("city", "Paris")]).unwrap();
    assert_eq!(out, "Return {\"city\": \"Paris\"} for Paris; {city} is not a variable.");
    // Python's `str.format` agrees on the corner cases of brace runs.
    assert_eq!(render_template("{{{n}}}", &[("n", "1")]).unwrap(), "{1}");
    assert_eq!(render_template("{n}}}", &[("n", "1")]).unwrap(), "1}");
    assert_eq!(render_template("", &[]).unwrap(), "");
}

#[test]
fn a_value_is_never_read_as_a_template() {
    let t = "Q: {question}\nA: {answer}";
    let out = render_template(t, &[("question", "what is {answer}?"), ("answer", "42")]);
    assert_eq!(out.unwrap(), "Q: what is {answer}?\nA: 42");
    let out = render_template("{a}", &[("a", "}{")]).unwrap();
    assert_eq!(out, "}{", "a value with unbalanced braces is text too");
}

/// A template, its values and the error they must give.
type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], TemplateError);

#[test]
fn every_mistake_is_a_named_error() {
    use TemplateError::*;
    let cases: [Case; 7] = [
        ("Hi {name}, {day}", &[("name", "Ann")], missing("day")),
        ("Hi {name}", &[("name", "Ann"), ("nmae", "Bob")], Unused { name: "nmae".into() }),
        ("Hi {name", &[("name", "Ann")], Unclosed { at: 3 }),
        ("Hi } {name}", &[("name", "Ann")], Stray { at: 3 }),
        ("Hi { name }", &[("name", "Ann")], BadName { name: " name ".into(), at: 3 }),
        ("{}", &[], BadName { name: "".into(), at: 0 }),
        ("{1st}", &[], BadName { name: "1st".into(), at: 0 }),
    ];
    for (t, vars, want) in cases {
        assert_eq!(render_template(t, vars), Err(want), "{t:?}");
    }
    // Syntax first, then missing, then unused.
    assert_eq!(render_template("{a} }", &[("b", "1")]), Err(Stray { at: 4 }));
    assert_eq!(render_template("{a}", &[("b", "1")]), Err(missing("a")));
}

#[test]
fn error_messages_say_what_to_fix() {
    let unused = render_template("Hi", &[("nmae", "Bob")]).unwrap_err().to_string();
    assert_eq!(unused, "a value was given for `nmae`, but the template has no {nmae} (misspelt?)");
    let stray = render_template("a } b", &[]).unwrap_err().to_string();
    assert!(stray.contains("byte 2") && stray.contains("`}}`"), "{stray}");
}

#[test]
fn a_template_knows_its_variables() {
    let t = PromptTemplate::new("{b} and {a} and {b} again, {{c}}").unwrap();
    assert_eq!(t.variables(), ["b", "a"]);
    assert_eq!(t.format(&[("a", "1"), ("b", "2")]).unwrap(), "2 and 1 and 2 again, {c}");
    assert_eq!(PromptTemplate::new("{oops"), Err(TemplateError::Unclosed { at: 0 }));
}

fn antonyms() -> FewShotTemplate {
    let ex =
        |w: &str, a: &str| vec![("word".to_string(), w.to_string()), ("antonym".into(), a.into())];
    FewShotTemplate {
        prefix: "Give the antonym of every {kind}.".into(),
        example: PromptTemplate::new("Word: {word}\nAntonym: {antonym}").unwrap(),
        examples: vec![ex("happy", "sad"), ex("{tall}", "short")],
        suffix: "Word: {input}\nAntonym:".into(),
        separator: "\n\n".into(),
    }
}

#[test]
fn a_few_shot_prompt_puts_the_examples_before_the_question() {
    let prompt = antonyms().format(&[("kind", "adjective"), ("input", "big")]).unwrap();
    let want = "Give the antonym of every adjective.\n\n\
                Word: happy\nAntonym: sad\n\n\
                Word: {tall}\nAntonym: short\n\n\
                Word: big\nAntonym:";
    assert_eq!(prompt, want, "an example's braces stay text");
}

#[test]
fn a_bad_example_or_a_missing_value_names_itself() {
    let mut t = antonyms();
    t.examples[1].pop();
    let err = t.format(&[("kind", "adjective"), ("input", "big")]).unwrap_err();
    assert_eq!(err, TemplateError::Example { index: 1, error: Box::new(missing("antonym")) });
    assert_eq!(
        err.to_string(),
        "few-shot example 1: the template uses {antonym}, but no value was given for `antonym`"
    );
    let err = antonyms().format(&[("input", "big")]).unwrap_err();
    assert_eq!(err, missing("kind"), "the prefix's variable");
}
