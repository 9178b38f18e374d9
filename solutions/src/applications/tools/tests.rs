use super::*;
use crate::nlp::corpus::embedded;

#[test]
fn the_calculator_follows_arithmetic_not_integer_division() {
    let calc = calculator();
    for (expr, want) in [
        ("2048 / 4", "512"),
        ("7 / 2", "3.5"),
        ("3 * (4 + 5)", "27"),
        ("2 ^ 10", "1024"),
        ("-3 + 0.5", "-2.5"),
        ("sqrt(16)", "4"),
        ("log2(8)", "3"),
        ("max(2, 7)", "7"),
        // f64, not exact decimals: the model sees what an f64 holds.
        ("0.1 + 0.2", "0.30000000000000004"),
    ] {
        assert_eq!(calc.call(expr), Ok(want.to_string()), "calculator[{expr}]");
    }
}

#[test]
fn calculator_errors_are_messages_not_panics() {
    let calc = calculator();
    let cases = [
        ("1 / 0", "not a finite number"),
        ("0 / 0", "not a finite number"),
        ("2 +", "cannot evaluate \"2 +\""),
        ("  ", "give an expression"),
        ("1 < 2", "cannot evaluate"),
        ("two plus two", "cannot evaluate"),
    ];
    for (expr, fragment) in cases {
        let err = calc.call(expr).expect_err(expr);
        assert!(err.contains(fragment), "calculator[{expr}]: {err:?} lacks {fragment:?}");
        assert!(!err.contains('\n'), "an observation is one line: {err:?}");
    }
}

#[test]
fn lookup_finds_sentences_of_the_embedded_corpus_in_both_languages() {
    let lookup = corpus_lookup(&embedded());
    let got = lookup.call("2048-token").unwrap();
    assert!(got.starts_with("There are no unknown words") && got.contains("four pages"), "{got}");
    assert!(!got.contains("more)"), "one sentence holds the keyword: {got}");
    // Chinese has no spaces or case; the same substring search works.
    let zh = lookup.call("分词").unwrap();
    assert!(zh.contains("分词"), "{zh}");
    // A frequent word: three sentences and the count of the rest.
    let many = lookup.call(" Tokenizer ").unwrap();
    let n = documents(&embedded())
        .into_iter()
        .flatten()
        .filter(|s| s.to_lowercase().contains("tokenizer"))
        .count();
    assert!(n > LOOKUP_LIMIT, "{n}");
    assert!(many.ends_with(&format!("({} more)", n - LOOKUP_LIMIT)), "{many}");
}

#[test]
fn lookup_failures_say_what_to_do() {
    let lookup = corpus_lookup(&embedded());
    assert_eq!(lookup.call("  "), Err("give a keyword to look up, e.g. lookup[tokenizer]".into()));
    assert_eq!(lookup.call("xylophone"), Err("no sentence contains \"xylophone\"".into()));
}

#[test]
fn the_registry_finds_tools_by_exact_name_and_reports_the_rest() {
    let tools = ToolRegistry::new().with(calculator()).with(corpus_lookup("A cat."));
    assert_eq!(tools.names(), ["calculator", "lookup"]);
    assert_eq!(tools.call("calculator", "1 + 1"), Ok("2".into()));
    assert_eq!(
        tools.call("Calculator", "1 + 1"),
        Err(ToolError::Unknown { name: "Calculator".into() })
    );
    let failed = tools.call("lookup", "dog").unwrap_err();
    assert_eq!(failed.to_string(), "lookup failed: no sentence contains \"dog\"");
    let description = tools.describe();
    assert!(description.starts_with("calculator: evaluates") && description.contains("\nlookup: "));
}

#[test]
#[should_panic(expected = "two tools are named \"calculator\"")]
fn two_tools_with_one_name_are_a_bug() {
    let _ = ToolRegistry::new().with(calculator()).with(calculator());
}
