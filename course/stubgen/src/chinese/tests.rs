use super::*;

fn marks(title: &str) -> Vec<char> {
    ascii_punctuation(title).into_iter().map(|(_, c, _)| c).collect()
}

#[test]
fn ascii_marks_in_chinese_prose_are_found_with_their_position() {
    assert_eq!(ascii_punctuation("为什么?"), vec![(3, '?', '？')]);
    assert_eq!(marks("为什么要引入位置编码(Position Embedding)?"), vec!['(', ')', '?']);
    assert_eq!(marks("BERT 预训练数据:MLM 与 NSP"), vec![':']);
    assert_eq!(marks("使用多头注意力,而不是单头;对吗!"), vec![',', ';', '!']);
}

#[test]
fn full_width_titles_pass() {
    for title in [
        "为什么要引入位置编码（Position Embedding）？",
        "BERT 预训练数据：MLM 与 NSP",
        "位置编码：正弦与可学习",
    ] {
        assert!(ascii_punctuation(title).is_empty(), "{title}: {:?}", ascii_punctuation(title));
    }
}

#[test]
fn code_maths_quotes_numbers_and_function_calls_stay_ascii() {
    for title in [
        "BERT 为什么不把所有被选中的 token 都替换成 `[MASK]`？",
        "当 $f(x, y)$ 取最大值时？",
        "为什么要在模型写出 \"Observation:\" 时停止生成？",
        "GPT-2 词表有 50,257 个 token，比例为 4:1。",
        "第一个 token：P(A) = 0.6，P(B) = 0.4。",
    ] {
        assert!(ascii_punctuation(title).is_empty(), "{title}: {:?}", ascii_punctuation(title));
    }
    // A parenthesis after a Latin letter that holds Chinese is prose, not a call.
    assert_eq!(marks("长度惩罚(length penalty)是什么"), vec!['(', ')']);
    assert_eq!(marks("模型 A(字符级分词)"), vec!['(', ')']);
    assert_eq!(marks("什么是 Pattern-Exploiting Training(PET)？"), vec!['(', ')']);
    // Only a comma followed by exactly three digits is a thousands separator.
    assert_eq!(marks("词表 50,257,1024 个位置，宽度 768,12 层"), vec![',', ',']);
}

#[test]
fn the_problem_names_each_mark_and_its_replacement() {
    let problem = punctuation_problem("是什么?为什么,").unwrap();
    assert!(problem.contains("`?` at 3 (write `？`)"), "{problem}");
    assert!(problem.contains("`,` at 7 (write `，`)"), "{problem}");
    assert_eq!(punctuation_problem("是什么？"), None);
}
