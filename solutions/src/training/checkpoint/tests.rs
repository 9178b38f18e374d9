use super::{ensure_same_config, load, load_run, save, RunState, MODEL_FILE, OPTIMIZER_FILE};
use crate::training::adamw_groups::{AdamW, AdamWConfig};
use crate::training::named_params::for_each_param_and_grad;
use crate::training::test_model::{bigram, Bigram, C};
use crate::training::train_loop::{train_step, training_batch, LoopConfig};
use crate::Dev;
use dfdx::nn::{builders, DeviceBuildExt, ZeroGrads};
use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
struct Config {
    vocab: usize,
    width: usize,
    recipe: String,
}

fn config() -> Config {
    Config { vocab: 7, width: C, recipe: "test".into() }
}

const LOOP: LoopConfig = LoopConfig {
    batch: 3,
    context: 5,
    warmup: 2,
    max_steps: 12,
    max_lr: 2e-2,
    min_lr: 2e-3,
    grad_clip: 1.0,
};

/// A fresh directory for one test (tests run in parallel threads of one process).
fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("llm-course-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn data() -> Vec<u32> {
    (0..300u32).map(|i| (i * i + 3 * i) % 7).collect()
}

/// Trains `model` from step `from` to `to` with the given seed, returning the losses.
fn train(model: &mut Bigram, opt: &mut AdamW, from: u64, to: u64, seed: u64) -> Vec<f32> {
    let (data, mut grads) = (data(), model.alloc_grads());
    (from..to)
        .map(|step| {
            let (x, y) = training_batch(&data, &LOOP, seed, step);
            train_step(model, opt, &mut grads, (&x, &y), step, &LOOP).unwrap().loss
        })
        .collect()
}

/// Every weight of the model, as bits.
fn weight_bits(model: &mut Bigram) -> Vec<u32> {
    let (mut out, mut grads) = (vec![], model.alloc_grads());
    for_each_param_and_grad(model, &mut grads, |_, p, _| out.extend(p.iter().map(|x| x.to_bits())))
        .unwrap();
    out
}

fn run_state(step: u64, losses: Vec<f32>) -> RunState<Config> {
    RunState { config: config(), step, seed: 11, losses, val_losses: vec![(step, 1.5)] }
}

#[test]
fn save_then_load_is_bit_exact() {
    let dir = scratch("roundtrip").join("ckpt");
    let (mut model, mut opt) = (bigram(1), AdamW::new(&bigram(1), AdamWConfig::nanogpt()));
    let losses = train(&mut model, &mut opt, 0, 4, 11);
    save(&dir, &model, &opt, &run_state(4, losses.clone())).unwrap();
    let mut loaded = bigram(2); // other random weights, all to be overwritten
    let mut loaded_opt = AdamW::new(&loaded, AdamWConfig::nanogpt());
    let run: RunState<Config> = load(&dir, &mut loaded, &mut loaded_opt).unwrap();
    assert_eq!(run, run_state(4, losses), "checkpoint.json did not round-trip");
    assert_eq!(weight_bits(&mut loaded), weight_bits(&mut model), "weights changed on disk");
    assert_eq!(loaded_opt.step_count(), 4);
    for (a, b) in loaded_opt.params().iter().zip(opt.params()) {
        let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!((bits(&a.m), bits(&a.v)), (bits(&b.m), bits(&b.v)), "moments of {}", a.name);
    }
    // Saving again replaces the checkpoint and leaves no temporary directory behind.
    save(&dir, &model, &opt, &run_state(4, vec![])).unwrap();
    assert!(load_run::<Config>(&dir).unwrap().losses.is_empty(), "the second save was lost");
    let names: Vec<String> = std::fs::read_dir(dir.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["ckpt"], "left behind next to the checkpoint: {names:?}");
}

#[test]
fn resumed_run_equals_uninterrupted_run_bit_for_bit() {
    let dir = scratch("resume").join("ckpt");
    let (n, seed) = (12, 11);
    let (mut model, mut opt) = (bigram(1), AdamW::new(&bigram(1), AdamWConfig::nanogpt()));
    let straight = train(&mut model, &mut opt, 0, n, seed);

    let (mut first, mut opt1) = (bigram(1), AdamW::new(&bigram(1), AdamWConfig::nanogpt()));
    let half = train(&mut first, &mut opt1, 0, n / 2, seed);
    save(&dir, &first, &opt1, &run_state(n / 2, half)).unwrap();
    drop((first, opt1)); // nothing survives but the directory
    let mut resumed = bigram(99);
    let mut opt2 = AdamW::new(&resumed, AdamWConfig::nanogpt());
    let run: RunState<Config> = load(&dir, &mut resumed, &mut opt2).unwrap();
    let mut losses = run.losses;
    losses.extend(train(&mut resumed, &mut opt2, run.step, n, run.seed));

    let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    assert_eq!(
        bits(&losses),
        bits(&straight),
        "resumed losses {losses:?} differ from the uninterrupted run's {straight:?}"
    );
    assert_eq!(weight_bits(&mut resumed), weight_bits(&mut model), "final weights differ");
    assert!(straight[n as usize - 1] < straight[0], "the run should learn: {straight:?}");
}

/// Error text as the CLI prints it: `{:#}`, one line.
fn error_of<T>(r: anyhow::Result<T>) -> String {
    let text = format!("{:#}", r.err().expect("expected an error"));
    assert!(!text.contains('\n'), "error is not one line: {text}");
    text
}

#[test]
fn damaged_or_missing_files_are_one_line_errors_naming_the_file() {
    let dir = scratch("damaged").join("ckpt");
    let (model, opt) = (bigram(1), AdamW::new(&bigram(1), AdamWConfig::nanogpt()));
    save(&dir, &model, &opt, &run_state(0, vec![])).unwrap();
    let fresh = || (bigram(3), AdamW::new(&bigram(3), AdamWConfig::nanogpt()));

    // Truncated weights, as a save killed half-way without the temp-dir swap would leave.
    let path = dir.join(MODEL_FILE);
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    let (mut m, mut o) = fresh();
    let text = error_of(load::<Config, _>(&dir, &mut m, &mut o));
    assert!(
        text.contains("model.safetensors") && text.contains("not a valid safetensors"),
        "{text}"
    );
    std::fs::write(&path, &bytes).unwrap();

    // Missing optimizer state.
    std::fs::remove_file(dir.join(OPTIMIZER_FILE)).unwrap();
    let (mut m, mut o) = fresh();
    let text = error_of(load::<Config, _>(&dir, &mut m, &mut o));
    assert!(text.contains("optimizer.safetensors") && text.contains("cannot read"), "{text}");

    // A checkpoint.json that is not JSON.
    std::fs::write(dir.join("checkpoint.json"), "{ step: ").unwrap();
    let text = error_of(load_run::<Config>(&dir));
    assert!(text.contains("checkpoint.json"), "{text}");

    // A save stopped between its two renames: the checkpoint is aside, and the error says where.
    std::fs::rename(&dir, dir.with_file_name(".ckpt.old")).unwrap();
    let text = error_of(load_run::<Config>(&dir));
    assert!(text.contains("cannot read checkpoint") && text.contains(".ckpt.old"), "{text}");
}

#[test]
fn a_model_of_another_shape_is_refused_with_the_tensor_named() {
    let dir = scratch("mismatch").join("ckpt");
    let (model, opt) = (bigram(1), AdamW::new(&bigram(1), AdamWConfig::nanogpt()));
    save(&dir, &model, &opt, &run_state(0, vec![])).unwrap();
    // Vocabulary 9 instead of 7: the embedding and the head have other shapes.
    type Wider = (builders::Embedding<9, C>, builders::LayerNorm1D<C>, builders::Linear<C, 9>);
    let mut wider = Dev::default().build_module::<Wider, f32>();
    let mut opt = AdamW::new(&wider, AdamWConfig::nanogpt());
    let text = error_of(load::<Config, _>(&dir, &mut wider, &mut opt));
    assert!(
        text.contains("model.safetensors")
            && text.contains("`0.weight`")
            && text.contains("[7, 6]")
            && text.contains("[9, 6]"),
        "{text}"
    );
    // The config a resumed run asks for differs from the stored one.
    let stored = load_run::<Config>(&dir).unwrap().config;
    let wanted = Config { vocab: 9, ..config() };
    assert!(ensure_same_config(&dir, &stored, &stored).is_ok());
    let text = error_of(ensure_same_config(&dir, &stored, &wanted));
    assert!(
        text.contains("checkpoint.json") && text.contains("vocab = 7 in the checkpoint, 9 now"),
        "{text}"
    );
}
