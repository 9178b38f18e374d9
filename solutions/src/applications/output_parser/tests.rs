use super::*;

#[test]
fn the_three_list_forms() {
    let want = ["Paris", "Lyon", "Nice"];
    for text in [
        "1. Paris\n2. Lyon\n3. Nice",
        "1) Paris\n2) Lyon\n3) Nice\n",
        "- Paris\n* Lyon\n• Nice",
        "\n  - Paris  \n\n  - Lyon\n  - Nice\n\n",
        "Paris, Lyon, Nice",
        "Paris，Lyon、 Nice",
    ] {
        assert_eq!(parse_list(text).unwrap(), want, "{text:?}");
    }
    assert_eq!(parse_list("Paris").unwrap(), ["Paris"], "one item, no comma");
}

#[test]
fn markers_need_a_space_so_numbers_are_not_lists() {
    assert_eq!(parse_list("-5 °C, 3.14, 2)").unwrap(), ["-5 °C", "3.14", "2)"]);
    assert_eq!(parse_list("1. 3.14\n2. -5").unwrap(), ["3.14", "-5"]);
    assert_eq!(parse_list("12. twelve\n100. hundred").unwrap(), ["twelve", "hundred"]);
}

#[test]
fn errors_say_what_was_expected_and_quote_what_was_found() {
    let cases = [
        ("", "an empty reply"),
        ("  \n\n ", "an empty reply"),
        ("Sure! Here they are:\n1. Paris", "2 lines, the first of them `Sure! Here they are:`"),
        ("1. Paris\n2.\n3. Nice", "line 2 `2.` with no item"),
        ("1. Paris\n2. Lyon\non the Rhône", "line 3 `on the Rhône`"),
        ("- Paris\n1. Lyon", "line 2 `1. Lyon`"),
        ("Paris,, Nice", "item 2 empty in `Paris,, Nice`"),
        ("Paris, Lyon,", "item 3 empty in `Paris, Lyon,`"),
    ];
    for (text, found) in cases {
        let err = parse_list(text).unwrap_err();
        assert_eq!(err.found, found, "{text:?}");
        assert!(!err.expected.is_empty());
    }
    let err = parse_list("- Paris\n1. Lyon").unwrap_err();
    assert_eq!(
        err.to_string(),
        "expected a bulleted item (`- …`) on every line, as the list started, found line 2 \
         `1. Lyon`"
    );
}

#[derive(Debug, PartialEq, serde::Deserialize)]
struct Film {
    title: String,
    year: u16,
}

fn films() -> JsonParser<Film> {
    JsonParser::new(r#"{"title": string, "year": integer}"#)
}

#[test]
fn json_becomes_a_typed_value_with_or_without_a_markdown_fence() {
    let want = Film { title: "Spirited Away".into(), year: 2001 };
    let plain = r#"{"title": "Spirited Away", "year": 2001}"#;
    assert_eq!(films().parse(plain).unwrap(), want);
    let fenced = format!("```json\n{plain}\n```\n");
    assert_eq!(films().parse(&fenced).unwrap(), want);
    assert!(films().instructions().contains(r#""year": integer"#));
}

#[test]
fn json_errors_name_the_field_the_type_and_the_place() {
    let cases = [
        (r#"{"title": "Spirited Away"}"#, "missing field `year` at line 1 column 26"),
        (r#"{"title": "Spirited Away", "year": "2001"}"#, "expected u16"),
        (r#"{"title": "Spirited Away", "year": 2001"#, "EOF while parsing an object"),
        ("The film is Spirited Away (2001).", "expected value at line 1 column 1"),
    ];
    for (text, part) in cases {
        let err = films().parse(text).unwrap_err();
        assert!(err.found.contains(part), "{text}: {err}");
        assert!(err.found.contains(text), "the reply is quoted: {err}");
        assert_eq!(err.expected, r#"JSON {"title": string, "year": integer}"#);
    }
    let long = format!("{{\"title\": \"{}\"", "a".repeat(200));
    let err = films().parse(&long).unwrap_err();
    assert!(err.found.ends_with("aaa…`"), "a long reply is cut at 80 characters: {err}");
}
