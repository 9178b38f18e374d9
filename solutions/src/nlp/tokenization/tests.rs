use super::*;

#[test]
fn words_are_runs_of_letters_and_runs_of_punctuation() {
    assert_eq!(word_tokenize("  Hello, world!! x_1 "), ["Hello", ",", "world", "!!", "x_1"]);
    assert_eq!(word_tokenize("café…ok"), ["café", "…", "ok"]);
    assert!(word_tokenize(" \n\t").is_empty());
    assert_eq!(char_tokenize("a 中"), ["a", " ", "中"]);
}

#[test]
fn the_worked_example() {
    let train = word_tokenize("the cat sat on the mat");
    let vocab = word_vocab(&train, 3);
    assert_eq!(vocab, ["the", "cat", "mat"]);
    // All 5 distinct words when the size allows more, still by count then by word.
    assert_eq!(word_vocab(&train, 100), ["the", "cat", "mat", "on", "sat"]);
    let held = word_tokenize("the dog sat on the mat");
    // 3 unknown tokens of 6; counted over distinct words it would be 3 of 5.
    assert_eq!(oov_rate(&vocab, &held), 0.5);
    assert_eq!(oov_rate(&vocab, &[]), 0.0);
}

#[test]
fn every_fifth_line_is_held_out() {
    let text = "1\n2\n\n3\n4\n5\n6\n7\n8\n9\n10\n11";
    let (train, held) = split_lines(text, 5);
    assert_eq!(held, ["5", "10"]);
    assert_eq!(train.len(), 9);
}
