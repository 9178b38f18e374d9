pub mod byte_level;
pub mod tokenization;
