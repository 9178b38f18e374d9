use super::*;

/// The counts Hugging Face's `num_parameters()` reports for `gpt2`, `gpt2-medium`,
/// `Llama-2-7b-hf` and `Llama-2-70b-hf`.
#[test]
fn matches_the_published_models() {
    assert_eq!(gpt_param_count(GPT2_SMALL), 124_439_808);
    let medium = GptDims { d_model: 1024, layers: 24, ..GPT2_SMALL };
    assert_eq!(gpt_param_count(medium), 354_823_168);
    assert_eq!(llama_param_count(LLAMA2_7B), 6_738_415_616);
    assert_eq!(llama_param_count(LLAMA2_70B), 68_976_648_192);
}

#[test]
fn nanogpt_reports_the_count_without_position_embeddings() {
    // nanoGPT's get_num_params() subtracts wpe: 123.65M for gpt2.
    assert_eq!(gpt_param_count(GPT2_SMALL) - 1024 * 768, 123_653_376);
}
