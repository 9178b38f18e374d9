//! Chapter 2 · NLP foundations (自然语言处理基础).

pub mod bert_data;
pub mod bert_proportions;
pub mod bert_text;
pub mod bpe;
pub mod byte_bpe;
pub mod byte_level;
pub mod char_bpe;
pub mod corpus;
pub mod fast_bpe;
pub mod markov_source;
pub mod ngram;
pub mod perplexity;
pub mod pre_tokenization;
pub mod tokenization;
pub mod tokenizer_comparison;
pub mod unigram;
pub mod vocab_extension;
pub mod wordpiece;
