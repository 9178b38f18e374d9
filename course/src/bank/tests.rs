//! The bank's validator: the real files pass, and each kind of mistake is reported at
//! its line with a message that says what to fix.

use super::*;

const HEADER: &str = r#"chapter = 9
title_en = "Test chapter"
title_zh = "测试章"
page = "09-test/interview.md"

[[section]]
id = "9.1"
title_en = "A section"
title_zh = "一节"
"#;

/// An open question; `extra` is appended inside it.
fn open(id: &str, extra: &str) -> String {
    format!(
        "\n[[question]]\nid = \"{id}\"\nsection = \"9.1\"\nkind = \"open\"\ndifficulty = 1\n\
         title_en = \"Q\"\ntitle_zh = \"问\"\nanswer = \"A.\"\n{extra}"
    )
}

/// The problems `parse` finds in HEADER + `body`, as "line: message".
fn problems(body: &str) -> Vec<String> {
    match parse("t.toml", &format!("{HEADER}{body}")) {
        Ok(_) => vec![],
        Err(BankError(found)) => {
            found.iter().map(|p| format!("{}: {}", p.line, p.message)).collect()
        }
    }
}

/// Asserts exactly one problem, on `line`, whose message contains `needle`.
fn assert_one(body: &str, line: usize, needle: &str) {
    let found = problems(body);
    assert_eq!(found.len(), 1, "expected one problem about {needle:?}, got {found:#?}");
    assert!(found[0].starts_with(&format!("{line}: ")), "wrong line: {found:?}");
    assert!(found[0].contains(needle), "expected {needle:?} in {found:?}");
}

#[test]
fn every_real_bank_file_is_valid() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let banks = load_all(&root).unwrap_or_else(|e| panic!("{e}"));
    assert!(banks.iter().any(|b| b.chapter == 1), "no chapter 1 bank");
    for bank in &banks {
        assert!(!bank.questions.is_empty(), "{} has no questions", bank.file);
    }
}

/// Numeric answers that the library can compute must agree with it.
#[test]
fn computed_answers_agree_with_the_library() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut checked = 0;
    for bank in load_all(&root).unwrap_or_else(|e| panic!("{e}")) {
        for q in &bank.questions {
            if let Kind::Numeric { value, tolerance, computed_by: Some(name), .. } = &q.kind {
                let computation = computed::find(name).unwrap();
                let got = (computation.compute)();
                assert!(
                    (got - value).abs() <= *tolerance,
                    "{}:{}: `{}` says {value} (± {tolerance}), but {} is {got}",
                    bank.file,
                    q.line,
                    q.id,
                    computation.what
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 0, "no numeric answer names a computation");
}

#[test]
fn a_valid_file_parses_into_its_kinds() {
    let body = open("9.1.a", "seed = true\ntags = [\"x\"]")
        + "\n[[question]]\nid = \"9.1.b\"\nsection = \"9.1\"\nkind = \"choice\"\ndifficulty = 2\n\
           title_en = \"Q\"\ntitle_zh = \"问\"\nanswer = \"A.\"\noptions = [\"x\", \"y\"]\n\
           correct = 1\nexplanations = [\"no\", \"yes\"]\n"
        + "\n[[question]]\nid = \"9.1.c\"\nsection = \"9.1\"\nkind = \"numeric\"\ndifficulty = 3\n\
           title_en = \"Q\"\ntitle_zh = \"问\"\nanswer = \"A.\"\nvalue = 2\ntolerance = 0.5\n\
           unit = \"bytes\"\n";
    let bank = parse("t.toml", &format!("{HEADER}{body}")).unwrap();
    assert_eq!(bank.questions.len(), 3);
    assert!(bank.questions[0].seed && bank.questions[0].kind == Kind::Open);
    assert_eq!(bank.questions[0].line, 12);
    assert!(matches!(bank.questions[1].kind, Kind::Choice { correct: 1, .. }));
    let numeric =
        Kind::Numeric { value: 2.0, tolerance: 0.5, unit: "bytes".into(), computed_by: None };
    assert_eq!(bank.questions[2].kind, numeric);
}

#[test]
fn duplicate_ids_are_reported_with_both_lines() {
    let body = open("9.1.a", "") + &open("9.1.a", "");
    assert_one(&body, 21, "duplicate id `9.1.a` (first at line 12)");
}

#[test]
fn a_missing_translation_is_reported() {
    let body = open("9.1.a", "").replace("title_zh = \"问\"\n", "");
    assert_one(&body, 12, "`9.1.a`: `title_zh` (Chinese title) is missing");
    let body = open("9.1.a", "").replace("title_zh = \"问\"", "title_zh = \" \"");
    assert_one(&body, 17, "`title_zh` (Chinese title) is empty");
}

#[test]
fn ascii_punctuation_in_a_chinese_title_is_reported() {
    let body = open("9.1.a", "").replace("title_zh = \"问\"", "title_zh = \"为什么?\"");
    assert_one(&body, 12, "`9.1.a`: `title_zh`: ASCII punctuation in a Chinese title: `?` at 3");
    let header = HEADER.replace("title_zh = \"一节\"", "title_zh = \"一节(上)\"");
    let found = match parse("t.toml", &format!("{header}{}", open("9.1.a", ""))) {
        Ok(_) => vec![],
        Err(BankError(found)) => found.iter().map(|p| p.message.clone()).collect(),
    };
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("section `9.1`") && found[0].contains("(write `（`)"), "{found:?}");
}

#[test]
fn an_unknown_kind_is_reported() {
    assert_one(&open("9.1.a", "").replace("\"open\"", "\"essay\""), 14, "unknown kind `essay`");
}

fn choice(correct: &str, explanations: &str) -> String {
    open(
        "9.1.a",
        &format!(
            "options = [\"x\", \"y\", \"z\"]\ncorrect = {correct}\nexplanations = {explanations}\n"
        ),
    )
    .replace("\"open\"", "\"choice\"")
}

#[test]
fn a_bad_correct_index_is_reported() {
    assert_one(
        &choice("3", "[\"a\", \"b\", \"c\"]"),
        20,
        "correct = 3, but the options are numbered 0 to 2",
    );
    assert_one(&choice("-1", "[\"a\", \"b\", \"c\"]"), 20, "correct = -1");
}

#[test]
fn explanations_must_match_the_options_one_to_one() {
    assert_one(&choice("0", "[\"a\", \"b\"]"), 21, "2 explanation(s) for 3 option(s)");
}

#[test]
fn an_unknown_computation_is_reported_with_the_known_ones() {
    let body = open("9.1.a", "value = 1\ntolerance = 0\nunit = \"x\"\ncomputed_by = \"guess\"\n")
        .replace("\"open\"", "\"numeric\"");
    assert_one(&body, 22, "unknown computed_by `guess` (known: mha_params_d512_h8");
}

#[test]
fn fields_of_another_kind_are_rejected() {
    assert_one(&open("9.1.a", "value = 1\n"), 14, "`value` does not belong to a `open` question");
}

#[test]
fn difficulty_section_and_id_are_checked() {
    assert_one(&open("9.1.a", "").replace("difficulty = 1", "difficulty = 4"), 15, "difficulty 4");
    assert_one(&open("9.2.a", "").replace("\"9.1\"", "\"9.2\""), 12, "section `9.2` is not listed");
    assert_one(&open("x.a", ""), 12, "must start with its section");
}

#[test]
fn toml_errors_and_unknown_keys_point_at_their_line() {
    assert_one(&open("9.1.a", "answr = \"typo\"\n"), 19, "unknown field `answr`");
    // An unclosed array is noticed at the end of the file, the line after it.
    assert_one(&open("9.1.a", "tags = [\n"), 20, "invalid array: expected `]`");
}
