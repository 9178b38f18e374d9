pub mod bert_data;
pub mod bpe;
pub mod byte_level;
pub mod perplexity;
pub mod tokenization;
pub mod wordpiece;
