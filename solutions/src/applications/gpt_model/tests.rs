use super::*;
use crate::architectures::gpt::Positions;
use crate::inference::greedy::gpt_next_logits;
use crate::training::adamw_groups::{AdamW, AdamWConfig};
use crate::training::checkpoint::{save, RunState};

const TEXT: &str = "the cat sat on the mat.\nQ: A:";

/// A tiny GPT with random weights over the characters of `TEXT`.
fn tiny() -> GptModel {
    let tokenizer = Tokenizer::chars(TEXT);
    let cfg = GptConfig {
        vocab: tokenizer.vocab_size(),
        context: 16,
        d_model: 16,
        heads: 2,
        layers: 1,
        positions: Positions::Learned,
    };
    GptModel::new(Gpt::new(&Dev::seed_from_u64(3), cfg), tokenizer)
}

#[test]
fn a_reply_is_chapter_5_s_greedy_continuation_decoded() {
    let mut lm = tiny();
    lm.max_new_tokens = 20;
    let reply = lm.complete("the cat", &[]);
    // The same tokens from one call of `generate`, without the cache or the token loop.
    let ids: Vec<usize> =
        lm.tokenizer.encode("the cat").unwrap().iter().map(|&t| t as usize).collect();
    let config = DecodeConfig::default();
    let want = generate(
        |s| gpt_next_logits(&lm.model, s),
        &ids,
        20,
        &config,
        None,
        &mut seeded_rng(0),
        |_| {},
    );
    let want = lm.tokenizer.decode(&want.iter().map(|&t| t as u32).collect::<Vec<_>>());
    assert_eq!(reply, want);
    assert_eq!((reply.chars().count(), lm.last_new_tokens), (20, 20));
}

#[test]
fn a_stop_string_ends_the_reply_early_and_is_not_returned() {
    let mut lm = tiny();
    lm.max_new_tokens = 24;
    let full = lm.complete("Q:", &[]);
    // Stop at two characters of the free-running reply, wherever they first occur.
    let chars: Vec<char> = full.chars().collect();
    let stop: String = chars[5..7].iter().collect();
    let reply = lm.complete("Q:", &[stop.as_str(), "never there"]);
    assert_eq!(reply, cut_at_stop(&full, &[&stop]), "stop {stop:?} in {full:?}");
    let ends = full.find(&stop).unwrap() + stop.len(); // bytes = characters: ASCII text
    assert_eq!(lm.last_new_tokens, ends, "decoding must stop at the token that completes it");
    assert!(lm.last_new_tokens < 24);
}

#[test]
fn sampling_is_repeatable_from_a_seed() {
    let mut lm = tiny();
    lm.config = DecodeConfig { do_sample: true, temperature: 1.5, ..DecodeConfig::default() };
    lm.seed(7);
    let a = lm.complete("the", &[]);
    lm.seed(7);
    assert_eq!(lm.complete("the", &[]), a);
}

#[test]
fn a_character_outside_the_vocabulary_is_an_error() {
    let mut lm = tiny();
    assert_eq!(lm.try_complete("the dog", &[]), Err(UnknownChar('d')));
}

#[test]
fn a_checkpoint_of_cargo_course_train_loads_with_its_tokenizer() {
    // The shape of `checkpoint.json` that `cargo course train` writes (its `Stored`), with
    // a field this loader does not read.
    #[derive(serde::Serialize)]
    struct Run {
        model: GptConfig,
        iters: u64,
    }
    #[derive(serde::Serialize)]
    struct Stored {
        run: Run,
        corpus: String,
        tokenizer: TokenizerSpec,
    }
    let mut lm = tiny();
    let dir = std::env::temp_dir().join(format!("llm-course-{}-gpt-model", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let config = Stored {
        run: Run { model: lm.model.config, iters: 0 },
        corpus: "test".into(),
        tokenizer: lm.tokenizer.spec(),
    };
    let run = RunState { config, step: 0, seed: 0, losses: vec![], val_losses: vec![] };
    let opt = AdamW::new(&lm.model, AdamWConfig::nanogpt());
    save(&dir, &lm.model, &opt, &run).unwrap();
    let mut loaded = GptModel::from_checkpoint(&dir).unwrap();
    assert_eq!(loaded.complete("the mat", &["."]), lm.complete("the mat", &["."]));
    let _ = std::fs::remove_dir_all(&dir);
    let err = GptModel::from_checkpoint(&dir).err().unwrap();
    assert!(format!("{err:#}").contains("checkpoint.json: cannot read"), "{err:#}");
}
