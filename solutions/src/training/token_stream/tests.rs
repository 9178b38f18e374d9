use super::{CharVocab, Tokenizer, UnknownChar};

#[test]
fn hand_worked_hello() {
    let v = CharVocab::from_text("hello");
    assert_eq!(v.chars(), ['e', 'h', 'l', 'o']);
    assert_eq!(v.encode("hello"), Ok(vec![1, 0, 2, 2, 3]));
    assert_eq!(v.decode(&[1, 0, 2, 2, 3]), "hello");
    assert_eq!(v.encode("help"), Err(UnknownChar('p')));
}

#[test]
fn both_tokenizations_round_trip_english_and_chinese() {
    let text = crate::nlp::corpus::embedded();
    // Twenty lines of English and the last twenty, Chinese.
    let lines: Vec<&str> = text.lines().filter(|l| !l.is_empty()).collect();
    let sample = [&lines[..20], &lines[lines.len() - 20..]].concat().join("\n");
    assert!(sample.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "no Chinese");
    for tok in [Tokenizer::chars(&sample), Tokenizer::byte_bpe(&sample, 256 + 64)] {
        let ids = tok.encode(&sample).unwrap();
        assert!(ids.iter().all(|&i| (i as usize) < tok.vocab_size()), "id out of range");
        assert_eq!(tok.decode(&ids), sample, "decode(encode(text)) must give the text back");
        let again = Tokenizer::from_spec(&tok.spec());
        assert_eq!(again.encode(&sample).unwrap(), ids, "spec round trip changed the ids");
    }
    // The character vocabulary is sorted by code point, so CJK comes after ASCII.
    let Tokenizer::Char(v) = Tokenizer::chars("语a言b") else { unreachable!() };
    assert_eq!(v.chars(), ['a', 'b', '言', '语']);
}
