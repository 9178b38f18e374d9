//! Chapter 2 · NLP foundations (自然语言处理基础).

pub mod byte_level;
pub mod perplexity;
