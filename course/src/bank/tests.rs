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
         title_en = \"Q\"\ntitle_zh = \"问\"\nanswer = \"A.\"\nanswer_zh = \"答。\"\n{extra}"
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
    // Unchecked, so that this test does not also fail while a translation is missing.
    for bank in load_all_unchecked(&root).unwrap_or_else(|e| panic!("{e}")).0 {
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
           title_en = \"Q\"\ntitle_zh = \"问\"\nanswer = \"A.\"\nanswer_zh = \"答。\"\n\
           options = [\"x\", \"y\"]\ncorrect = 1\nexplanations = [\"no\", \"yes\"]\n\
           options_zh = [\"甲\", \"乙\"]\nexplanations_zh = [\"不对。\", \"对。\"]\n"
        + "\n[[question]]\nid = \"9.1.c\"\nsection = \"9.1\"\nkind = \"numeric\"\ndifficulty = 3\n\
           title_en = \"Q\"\ntitle_zh = \"问\"\nanswer = \"A.\"\nanswer_zh = \"答。\"\nvalue = 2\n\
           tolerance = 0.5\nunit = \"bytes\"\nunit_zh = \"字节\"\n";
    let bank = parse("t.toml", &format!("{HEADER}{body}")).unwrap();
    assert_eq!(bank.questions.len(), 3);
    assert!(bank.questions[0].seed && bank.questions[0].kind == Kind::Open);
    assert_eq!(bank.questions[0].line, 12);
    assert_eq!(bank.questions[0].answer_zh, "答。");
    let Kind::Choice { correct: 1, options_zh, explanations_zh, .. } = &bank.questions[1].kind
    else {
        panic!("{:?}", bank.questions[1].kind)
    };
    assert_eq!(*options_zh, ["甲", "乙"]);
    assert_eq!(*explanations_zh, ["不对。", "对。"]);
    let numeric = Kind::Numeric {
        value: 2.0,
        tolerance: 0.5,
        unit: "bytes".into(),
        unit_zh: "字节".into(),
        computed_by: None,
    };
    assert_eq!(bank.questions[2].kind, numeric);
}

#[test]
fn duplicate_ids_are_reported_with_both_lines() {
    let body = open("9.1.a", "") + &open("9.1.a", "");
    assert_one(&body, 22, "duplicate id `9.1.a` (first at line 12)");
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
            "options = [\"x\", \"y\", \"z\"]\ncorrect = {correct}\nexplanations = {explanations}\n\
             options_zh = [\"甲\", \"乙\", \"丙\"]\nexplanations_zh = [\"甲。\", \"乙。\", \"丙。\"]\n"
        ),
    )
    .replace("\"open\"", "\"choice\"")
}

#[test]
fn a_bad_correct_index_is_reported() {
    assert_one(
        &choice("3", "[\"a\", \"b\", \"c\"]"),
        21,
        "correct = 3, but the options are numbered 0 to 2",
    );
    assert_one(&choice("-1", "[\"a\", \"b\", \"c\"]"), 21, "correct = -1");
}

#[test]
fn explanations_must_match_the_options_one_to_one() {
    assert_one(&choice("0", "[\"a\", \"b\"]"), 22, "2 explanation(s) for 3 option(s)");
}

#[test]
fn an_unknown_computation_is_reported_with_the_known_ones() {
    let body = open(
        "9.1.a",
        "value = 1\ntolerance = 0\nunit = \"x\"\nunit_zh = \"个\"\ncomputed_by = \"guess\"\n",
    )
    .replace("\"open\"", "\"numeric\"");
    assert_one(&body, 24, "unknown computed_by `guess` (known: mha_params_d512_h8");
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
    assert_one(&open("9.1.a", "answr = \"typo\"\n"), 20, "unknown field `answr`");
    // An unclosed array is noticed at the end of the file, the line after it.
    assert_one(&open("9.1.a", "tags = [\n"), 21, "invalid array: expected `]`");
}

#[test]
fn a_missing_or_empty_chinese_answer_is_reported_at_its_line() {
    let body = open("9.1.a", "").replace("answer_zh = \"答。\"\n", "");
    assert_one(&body, 12, "`9.1.a`: `answer_zh` (Chinese answer) is missing");
    let body = open("9.1.a", "").replace("answer_zh = \"答。\"", "answer_zh = '''\n'''");
    assert_one(&body, 19, "`9.1.a`: `answer_zh` (Chinese answer) is empty");
}

#[test]
fn chinese_options_explanations_and_units_are_required_one_per_option() {
    let body =
        choice("1", "[\"a\", \"b\", \"c\"]").replace("options_zh = [\"甲\", \"乙\", \"丙\"]\n", "");
    assert_one(&body, 12, "`options_zh` (Chinese options) is missing (one per option");
    let body = choice("1", "[\"a\", \"b\", \"c\"]").replace("\"乙。\", ", "");
    assert_one(&body, 24, "`explanations_zh` (Chinese explanations): 2 item(s) for 3 option(s)");
    let body = choice("1", "[\"a\", \"b\", \"c\"]").replace("\"乙\"", "\"\"");
    assert_one(&body, 23, "`options_zh` (Chinese options)[1] is empty");
    let numeric = |unit_zh: &str| {
        open("9.1.a", &format!("value = 1\ntolerance = 0\nunit = \"x\"\n{unit_zh}"))
            .replace("\"open\"", "\"numeric\"")
    };
    assert_one(&numeric(""), 12, "`9.1.a`: `unit_zh` (Chinese unit) is missing");
    assert!(problems(&numeric("unit_zh = \"个\"\n")).is_empty());
    // Chinese fields of another kind are mistakes too.
    assert_one(&open("9.1.a", "unit_zh = \"个\"\n"), 14, "`unit_zh` does not belong to a `open`");
}

#[test]
fn ascii_punctuation_in_chinese_prose_is_reported_at_its_line_in_context() {
    let answer = "answer_zh = '''\n先算 $QK^\\top/\\sqrt{d_k}$，再 softmax。\n\
                  然后乘以 V, 得到输出(形状不变)，完成.\n'''";
    let body = open("9.1.a", "").replace("answer_zh = \"答。\"", answer);
    let found = problems(&body);
    assert_eq!(found.len(), 1, "{found:#?}");
    // The answer starts on line 19, so its second line is line 21 of the file.
    assert!(found[0].starts_with("21: `9.1.a`: `answer_zh` (Chinese answer): ASCII"), "{found:?}");
    for mark in ["`,` (write `，`)", "`(` (write `（`)", "`)` (write `）`)", "`.` (write `。`)"]
    {
        assert!(found[0].contains(mark), "{mark} not in {found:?}");
    }
    assert!(found[0].contains("然后乘以 V, 得到输出(形”"), "{found:?}");
    // An option's problem points at that option's own line.
    let body = choice("1", "[\"a\", \"b\", \"c\"]").replace(
        "options_zh = [\"甲\", \"乙\", \"丙\"]",
        "options_zh = [\n\"甲\",\n\"乙?\",\n\"丙\",\n]",
    );
    assert_one(
        &body,
        25,
        "`options_zh` (Chinese options)[1]: ASCII punctuation in Chinese text: `?`",
    );
}
