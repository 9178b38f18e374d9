//! Chapter 2: each wrong variant is rejected with the message meant for its mistake.

mod bert_data;
mod bpe;
mod byte_level;
mod perplexity;
mod tokenization;
mod wordpiece;
