//! Graded suite for §6.1's `render_template`: the worked example, each rule of the syntax
//! and each error on a case of its own, then seeded random templates, all against the
//! library exactly; each known mistake is recomputed and named.

use crate::{Check, Failure};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use solutions::applications::prompt_template::{self as lib, Piece, TemplateError};

/// What `render_template` returns.
type Rendered = Result<String, TemplateError>;
/// A named case: its name, the template and the values.
type Case<'a> = (&'a str, &'a str, Vec<(&'a str, &'a str)>);
type OwnedCase = (String, String, Vec<(String, String)>);

/// The mistake of rendering without turning `{{` and `}}` into single braces.
pub fn with_doubled_braces_kept(template: &str, vars: &[(&str, &str)]) -> Rendered {
    lib::render_template(template, vars)?;
    // Every brace left in the parsed text came from an escape: write it doubled again.
    let pieces = lib::parse_template(template)?;
    let value = |name: &str| vars.iter().find(|(k, _)| *k == name).map_or("", |(_, v)| *v);
    let text = pieces.iter().map(|p| match p {
        Piece::Text(t) => t.replace('{', "{{").replace('}', "}}"),
        Piece::Var(name) => value(name).to_string(),
    });
    Ok(text.collect())
}

/// The mistake of replacing `{name}` by its value one variable after another.
pub fn by_successive_replaces(template: &str, vars: &[(&str, &str)]) -> String {
    let s = vars.iter().fold(template.to_string(), |s, (k, v)| s.replace(&format!("{{{k}}}"), v));
    s.replace("{{", "{").replace("}}", "}")
}

fn show(r: &Rendered) -> String {
    match r {
        Ok(s) => format!("Ok({s:?})"),
        Err(e) => format!("Err({e:?})"),
    }
}

/// Why `got` differs from `want` on `template` with `vars`.
fn diagnose(template: &str, vars: &[(&str, &str)], got: &Rendered, want: &Rendered) -> String {
    match (got, want) {
        (Ok(g), Ok(_)) if Ok(g) == with_doubled_braces_kept(template, vars).as_ref() => {
            "`{{` and `}}` stand for literal braces (so that a JSON example can sit in a \
             prompt): they become `{` and `}` in the result, and never start a variable"
                .into()
        }
        (Ok(g), Ok(_)) if *g == by_successive_replaces(template, vars) => {
            "a value was read as a template: `{answer}` inside another variable's value was \
             replaced too. Replacing each `{name}` in turn scans the values already inserted; \
             read the template once, left to right, and insert each value as it is"
                .into()
        }
        (Ok(g), Err(TemplateError::Missing { name })) if g.contains(&format!("{{{name}}}")) => {
            format!(
                "you left the placeholder {{{name}}} in the prompt: a variable without a value \
                 is an error (`TemplateError::Missing`), or the model is sent a broken prompt"
            )
        }
        (Ok(_), Err(TemplateError::Missing { name })) => format!(
            "`{name}` has no value: return `TemplateError::Missing`, not a prompt without it"
        ),
        (Ok(_), Err(TemplateError::Unused { name })) => format!(
            "`{name}` was given but the template never uses it: usually a misspelt name, \
             so it is an error (`TemplateError::Unused`) rather than a value silently dropped"
        ),
        (Ok(_), Err(e)) => format!("the template is malformed, so the result is an error: {e}"),
        (Err(TemplateError::BadName { .. }), Ok(_)) if template.contains("{{") => {
            "this template renders: `{{` is an escaped brace, not the start of a variable".into()
        }
        (Err(_), Ok(_)) => "this template and these values render without an error".into(),
        (Err(_), Err(_)) => "the wrong error: the first syntax error by position comes \
                             first, then the first variable (in template order) without a value, \
                             then the first value (in the order given) that is not used"
            .into(),
        (Ok(_), Ok(_)) => "each `{name}` becomes its value, the text around it stays".into(),
    }
}

/// Seeded random templates: text (with Chinese and escaped braces), variables, values that
/// may hold braces, and sometimes a value missing or one too many.
fn random_case(rng: &mut StdRng) -> (String, Vec<(String, String)>) {
    let names = ["a", "b", "city", "x_1"];
    let texts = ["Hi ", " and ", "，你好", "{{", "}}", "\n", "{{json}}", "."];
    let mut template = String::new();
    let mut used = vec![];
    for _ in 0..rng.gen_range(0..7) {
        if rng.gen_bool(0.5) {
            let name = names[rng.gen_range(0..names.len())];
            template += &format!("{{{name}}}");
            used.push(name);
        } else {
            template += texts[rng.gen_range(0..texts.len())];
        }
    }
    used.sort_unstable();
    used.dedup();
    let values = ["Paris", "{a}", "}{", "猫", ""];
    let mut vars: Vec<(String, String)> = used
        .iter()
        .map(|n| (n.to_string(), values[rng.gen_range(0..values.len())].into()))
        .collect();
    if !vars.is_empty() && rng.gen_bool(0.15) {
        vars.remove(rng.gen_range(0..vars.len()));
    }
    if rng.gen_bool(0.15) {
        vars.push(("unused".into(), "1".into()));
    }
    (template, vars)
}

/// Grades `render_template(template, vars)`.
pub fn check_render_template<F>(f: F) -> Check
where
    F: Fn(&str, &[(&str, &str)]) -> Result<String, TemplateError>,
{
    // Ordered so that each typical mistake meets the case that names it first.
    let fixed: Vec<Case> = vec![
        (
            "the worked example",
            "Translate {text} into {language}.",
            vec![("text", "猫"), ("language", "English")],
        ),
        ("a variable used twice", "{a} and {a} again", vec![("a", "x")]),
        (
            "a value that holds a placeholder",
            "Q: {question}\nA: {answer}",
            vec![("question", "what is {answer}?"), ("answer", "42")],
        ),
        ("escaped braces", "{{\"answer\": {n}}} and {{n}}", vec![("n", "42")]),
        ("a variable without a value", "Hello {name}, today is {day}.", vec![("name", "Ann")]),
        (
            "a value the template does not use",
            "Hello {name}.",
            vec![("name", "Ann"), ("nmae", "Bob")],
        ),
        ("an unclosed brace", "Hello {name", vec![("name", "Ann")]),
        ("a stray closing brace", "Hello } {name}", vec![("name", "Ann")]),
        ("braces around a non-name", "Hello { name }", vec![("name", "Ann")]),
        ("empty braces", "{}", vec![]),
        ("a syntax error and an unused value", "{a} }", vec![("b", "1")]),
        ("a missing and an unused value", "{a}", vec![("b", "1")]),
        ("no variables at all", "plain text", vec![]),
    ];
    let mut cases: Vec<OwnedCase> = fixed
        .into_iter()
        .map(|(c, t, v)| {
            (
                c.to_string(),
                t.to_string(),
                v.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            )
        })
        .collect();
    let mut rng = StdRng::seed_from_u64(61);
    for i in 0..60 {
        let (t, v) = random_case(&mut rng);
        cases.push((format!("seeded case {i}"), t, v));
    }
    for (case, template, vars) in &cases {
        let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let got = f(template, &vars);
        let want = lib::render_template(template, &vars);
        if got != want {
            let cause = diagnose(template, &vars, &got, &want);
            return Err(Failure::new(format!(
                "render_template({template:?}, {vars:?}) [{case}] gives {}, expected {}: \
                 {cause}.",
                show(&got),
                show(&want)
            )));
        }
    }
    Ok(())
}
