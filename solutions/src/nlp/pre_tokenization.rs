//! §2.3 and §2.5 pre-tokenization (预分词): cutting text into the "words" a tokenizer then
//! works on, in the two BERT-style variants the course needs.
//!
//! Both follow BERT's `BasicTokenizer` (Devlin et al., *BERT*, 2018, arXiv 1810.04805;
//! `tokenization.py` in google-research/bert): break at whitespace, and make every
//! punctuation mark a word of its own. Hugging Face: `pre_tokenizers::BertPreTokenizer`
//! (both splits) and `BasicTokenizer` in `transformers.models.bert.tokenization_bert`.
//! They differ in two ways, each forced by what comes after them:
//!
//! | | [`pre_tokenize_for_subwords`] (§2.3) | [`pre_tokenize_for_words`] (§2.5) |
//! |---|---|---|
//! | case | kept | lower-cased (BERT *uncased*) |
//! | Chinese | a run between punctuation stays one word | every CJK character a word |
//! | punctuation | ASCII, CJK and full-width marks | every character neither letter nor digit |
//! | feeds | a subword trainer (WordPiece, Unigram) | a word-level vocabulary |
//!
//! Subtle: a subword trainer can only merge *inside* a word, so splitting Chinese into
//! characters first would leave WordPiece nothing to learn there; a word-level vocabulary
//! has no later step to cut a clause, so a Chinese clause kept whole would almost always be
//! `[UNK]`. BERT's own code splits CJK characters before WordPiece; §2.3 does not, to show
//! merges on Chinese.

/// A punctuation mark for [`pre_tokenize_for_subwords`]: ASCII punctuation and the CJK and
/// full-width marks. Letters, digits, CJK ideographs and other symbols are not.
pub fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || ('\u{3000}'..='\u{303f}').contains(&c) // 、。「」《》 …
        || ('\u{ff00}'..='\u{ff0f}').contains(&c) // ！＂（），．／
        || ('\u{ff1a}'..='\u{ff20}').contains(&c) // ：；？＠
        || ('\u{2010}'..='\u{2027}').contains(&c) // – — ‘ ’ “ ” …
}

/// The words a subword trainer sees (§2.3, and the `tokenizers` peers): split on
/// whitespace, and make every [`is_punctuation`] mark a word of its own. Case is kept, and
/// a Chinese clause between punctuation marks stays one word, so that merges can form
/// multi-character Chinese pieces. The words borrow from `text`.
/// ```
/// # use solutions::nlp::pre_tokenization::pre_tokenize_for_subwords;
/// assert_eq!(pre_tokenize_for_subwords("Hi, 你好。"), ["Hi", ",", "你好", "。"]);
/// ```
pub fn pre_tokenize_for_subwords(text: &str) -> Vec<&str> {
    let mut words = vec![];
    for chunk in text.split_whitespace() {
        let mut start = 0;
        for (i, c) in chunk.char_indices() {
            if is_punctuation(c) {
                words.extend([&chunk[start..i], &chunk[i..i + c.len_utf8()]]);
                start = i + c.len_utf8();
            }
        }
        words.push(&chunk[start..]);
    }
    words.retain(|w| !w.is_empty());
    words
}

/// The words of a word-level vocabulary (§2.5's [`WordVocab`]): BERT's uncased basic
/// split. Lower-case, break at whitespace, and make every character that is neither a
/// letter nor a digit, and every CJK character ([`corpus::is_cjk`]), a word of its own.
/// No accent stripping.
///
/// [`WordVocab`]: crate::nlp::bert_text::WordVocab
/// [`corpus::is_cjk`]: crate::nlp::corpus::is_cjk
/// ```
/// # use solutions::nlp::pre_tokenization::pre_tokenize_for_words;
/// assert_eq!(pre_tokenize_for_words("Hi, 你好。"), ["hi", ",", "你", "好", "。"]);
/// ```
pub fn pre_tokenize_for_words(sentence: &str) -> Vec<String> {
    let (mut out, mut word) = (vec![], String::new());
    for c in sentence.chars().flat_map(char::to_lowercase) {
        let cjk = crate::nlp::corpus::is_cjk(c);
        if c.is_alphanumeric() && !cjk {
            word.push(c);
            continue;
        }
        if !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
        if !c.is_whitespace() {
            out.push(c.to_string());
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// Each distinct word of `text` under [`pre_tokenize_for_subwords`], with its count, sorted
/// by word so that training is deterministic: what WordPiece and Unigram train on.
pub fn subword_word_counts(text: &str) -> Vec<(String, u64)> {
    crate::nlp::bpe::word_counts(pre_tokenize_for_subwords(text))
        .into_iter()
        .map(|(w, n)| (w.to_owned(), n))
        .collect()
}

#[cfg(test)]
mod tests;
