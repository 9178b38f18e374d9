pub mod beam_search;
pub mod repetition;
pub mod temperature;
pub mod truncation;
