pub mod self_attention;
