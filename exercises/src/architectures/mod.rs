pub mod gqa;
pub mod lm_masks;
pub mod param_count;
