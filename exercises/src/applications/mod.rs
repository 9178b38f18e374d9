pub mod distillation;
