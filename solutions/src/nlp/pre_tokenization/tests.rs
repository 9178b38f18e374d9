use super::*;

#[test]
fn the_subword_split_keeps_case_and_chinese_runs() {
    assert_eq!(
        pre_tokenize_for_subwords("Hi, there! 你好，世界。"),
        ["Hi", ",", "there", "!", "你好", "，", "世界", "。"]
    );
    // An apostrophe is ASCII punctuation; a symbol such as `$` is too, `€` is not.
    assert_eq!(pre_tokenize_for_subwords("don't pay €5$"), ["don", "'", "t", "pay", "€5", "$"]);
}

#[test]
fn the_word_split_lower_cases_and_cuts_every_cjk_character() {
    assert_eq!(
        pre_tokenize_for_words("Don't stop, 语言模型!"),
        ["don", "'", "t", "stop", ",", "语", "言", "模", "型", "!"]
    );
    assert_eq!(pre_tokenize_for_words("don't pay €5$"), ["don", "'", "t", "pay", "€", "5", "$"]);
}

#[test]
fn the_two_splits_differ_only_in_case_chinese_and_symbols() {
    // On lower-case text without CJK characters or symbols outside the punctuation set the
    // two agree, word for word: the differences are exactly the ones the file's table names.
    let text = "the cat, (it said) sat on the mat; 3.5 km!";
    let subwords: Vec<String> =
        pre_tokenize_for_subwords(text).into_iter().map(String::from).collect();
    assert_eq!(subwords, pre_tokenize_for_words(text));
}

#[test]
fn word_counts_are_summed_and_sorted() {
    assert_eq!(
        subword_word_counts("b a, b"),
        [(",".to_string(), 1), ("a".to_string(), 1), ("b".to_string(), 2)]
    );
}
