pub mod distillation;
pub mod prompts;
pub mod react;
pub mod self_consistency;
pub mod tree_of_thoughts;
