use super::*;

#[test]
fn sentences_split_at_english_and_chinese_stops() {
    let s = split_sentences("He said \"Stop.\" Then 3.5 km later, he ran! 你好。再见？好");
    assert_eq!(s, ["He said \"Stop.\"", "Then 3.5 km later, he ran!", "你好。", "再见？", "好"]);
}

#[test]
fn the_vocabulary_starts_with_the_specials_then_words_by_frequency() {
    let v = WordVocab::new(["the cat saw the dog", "a cat"]);
    // Specials first, then by frequency (the 2, cat 2), ties alphabetical.
    assert_eq!(v.decode(&[0, 4, 5, 6, 7]), "[PAD] [MASK] cat the a");
    assert_eq!(v.encode("The bird"), [6, UNK]);
    assert_eq!(v.token(99), "[UNK]", "an id out of range");
}

#[test]
fn each_special_id_names_its_token() {
    let v = WordVocab::new(["x"]);
    let named = [(PAD, "[PAD]"), (UNK, "[UNK]"), (CLS, "[CLS]"), (SEP, "[SEP]"), (MASK, "[MASK]")];
    for (id, token) in named {
        assert_eq!(v.token(id), token);
        assert_eq!(SPECIAL[id as usize], id);
    }
    assert_eq!(SPECIAL.len(), SPECIAL_TOKENS.len());
}
