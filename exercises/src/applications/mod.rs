pub mod self_consistency;
pub mod tree_of_thoughts;
pub mod react;
pub mod distillation;
