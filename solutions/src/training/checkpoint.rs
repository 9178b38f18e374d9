//! §3.5 Training checkpoints that resume exactly (检查点与断点续训).
//!
//! A checkpoint is a directory of three files:
//!
//! | file | holds | written with |
//! | --- | --- | --- |
//! | `model.safetensors` | the weights, under the model's dotted names | dfdx's `save_safetensors` |
//! | `optimizer.safetensors` | AdamW's `m.NAME` and `v.NAME`; its step in the metadata | the `safetensors` crate |
//! | `checkpoint.json` | the run's config, step, seed and loss history | serde_json |
//!
//! safetensors (Hugging Face) is the format the ecosystem reads: a JSON header of names,
//! dtypes, shapes and offsets, then the raw little-endian data; no code runs on loading,
//! unlike a pickled PyTorch `.pt`. PyTorch's equivalent of the whole directory is nanoGPT's
//! `ckpt.pt`, a `torch.save` of `model.state_dict()`, `optimizer.state_dict()`, the model
//! args, `iter_num`, `best_val_loss` and the config.
//!
//! **Exact resume.** Nothing random is left unsaved: the weights and the moments are stored
//! bit for bit, and the batches of step `s` come from `batch_rng(seed, s)`, so the seed and
//! the step are all of the data loader's state. Training `N` steps in one go and training
//! `N/2`, saving, loading and training `N/2` more give the same losses bit for bit (tested).
//!
//! **Crash safety.** [`save`] writes into a fresh sibling directory and swaps it in with
//! renames, so a Ctrl-C in the middle of a save leaves the previous checkpoint whole.
//! Every failure is one line that names the file (print it with `{:#}`).

use super::adamw_groups::AdamW;
use super::named_params::named_params;
use crate::Dev;
use anyhow::{bail, Context, Result};
use dfdx::nn::tensor_collection::TensorCollection;
use dfdx::nn::{LoadFromSafetensors, SaveToSafetensors};
use safetensors::tensor::{Dtype, SafeTensors, TensorView};
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The file names inside a checkpoint directory.
pub const MODEL_FILE: &str = "model.safetensors";
pub const OPTIMIZER_FILE: &str = "optimizer.safetensors";
pub const RUN_FILE: &str = "checkpoint.json";

/// Everything about a run that is not a tensor. `C` is the caller's config type (model
/// shape, recipe, tokenizer...), stored as it serialises.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunState<C> {
    pub config: C,
    /// Steps done; a resumed run continues with step `step`.
    pub step: u64,
    /// The seed of the run: the batch of step `s` is drawn from `batch_rng(seed, s)`.
    pub seed: u64,
    /// Training loss of every step so far (for the loss curve).
    pub losses: Vec<f32>,
    /// `(step, validation loss)` at each evaluation so far.
    pub val_losses: Vec<(u64, f32)>,
}

/// Saves `model`, `opt` and `run` into `dir`, replacing any checkpoint there, atomically.
pub fn save<C: Serialize, M: TensorCollection<f32, Dev>>(
    dir: &Path,
    model: &M,
    opt: &AdamW,
    run: &RunState<C>,
) -> Result<()> {
    let tmp = sibling(dir, "tmp")?;
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp)
            .with_context(|| format!("{}: cannot clear", tmp.display()))?;
    }
    std::fs::create_dir_all(&tmp).with_context(|| format!("{}: cannot create", tmp.display()))?;
    let path = tmp.join(MODEL_FILE);
    model.save_safetensors(&path).with_context(|| format!("{}: cannot write", path.display()))?;
    write_optimizer(&tmp.join(OPTIMIZER_FILE), opt)?;
    let path = tmp.join(RUN_FILE);
    let json = serde_json::to_string_pretty(run).context("cannot serialise the run state")?;
    std::fs::write(&path, json).with_context(|| format!("{}: cannot write", path.display()))?;
    for name in [MODEL_FILE, OPTIMIZER_FILE, RUN_FILE] {
        // Flush to disk before the rename makes the files visible as the checkpoint.
        let path = tmp.join(name);
        let file = std::fs::File::open(&path).with_context(|| format!("{}", path.display()))?;
        file.sync_all().with_context(|| format!("{}: cannot sync", path.display()))?;
    }
    // Subtle: a directory cannot be renamed over a non-empty one, so the old checkpoint is
    // moved aside first. Between the two renames `dir` is briefly missing, never half-written.
    let old = sibling(dir, "old")?;
    if dir.exists() {
        if old.exists() {
            std::fs::remove_dir_all(&old).with_context(|| format!("{}", old.display()))?;
        }
        std::fs::rename(dir, &old).with_context(|| format!("{}: cannot move", dir.display()))?;
    }
    std::fs::rename(&tmp, dir).with_context(|| format!("{}: cannot create", dir.display()))?;
    if old.exists() {
        std::fs::remove_dir_all(&old).with_context(|| format!("{}", old.display()))?;
    }
    Ok(())
}

/// `.NAME.KIND` next to `dir`: on the same file system, so renames are atomic.
fn sibling(dir: &Path, kind: &str) -> Result<PathBuf> {
    let name =
        dir.file_name().with_context(|| format!("{}: not a directory name", dir.display()))?;
    Ok(dir.with_file_name(format!(".{}.{kind}", name.to_string_lossy())))
}

/// Reads only `checkpoint.json`: what a resume needs first, to build the model from the
/// stored config before loading its weights with [`load`].
pub fn load_run<C: DeserializeOwned>(dir: &Path) -> Result<RunState<C>> {
    let path = dir.join(RUN_FILE);
    let text = std::fs::read_to_string(&path).with_context(|| {
        // A save stopped between its two renames leaves the previous checkpoint aside.
        let old = sibling(dir, "old").ok().filter(|o| o.exists());
        let hint =
            old.map_or(String::new(), |o| format!(" (the previous one is in {})", o.display()));
        format!("{}: cannot read checkpoint{hint}", path.display())
    })?;
    serde_json::from_str(&text).map_err(|e| {
        anyhow::anyhow!("{}: not a checkpoint of this run's kind ({e})", path.display())
    })
}

/// Loads the weights into `model` and the optimizer state into `opt` (both must have the
/// shape the checkpoint was saved from), and returns the run state.
pub fn load<C: DeserializeOwned, M: TensorCollection<f32, Dev>>(
    dir: &Path,
    model: &mut M,
    opt: &mut AdamW,
) -> Result<RunState<C>> {
    let run = load_run(dir)?;
    let path = dir.join(MODEL_FILE);
    let bytes = read_file(&path)?;
    let file = parse(&path, &bytes)?;
    // Check every name and shape first, so that a mismatch names the tensor; dfdx's own
    // loader would only say that two shapes differ.
    for p in named_params(model) {
        tensor(&path, &file, &p.name, &p.shape)?;
    }
    model.load_safetensors(&path).map_err(|e| anyhow::anyhow!("{}: {e:?}", path.display()))?;
    read_optimizer(&dir.join(OPTIMIZER_FILE), opt)?;
    Ok(run)
}

/// Fails with a one-line message naming `checkpoint.json` when the config stored in a
/// checkpoint differs from the one a resumed run asks for, listing the fields that differ.
pub fn ensure_same_config<C: Serialize>(dir: &Path, stored: &C, wanted: &C) -> Result<()> {
    let (a, b) = (serde_json::to_value(stored)?, serde_json::to_value(wanted)?);
    if a == b {
        return Ok(());
    }
    let diffs: Vec<String> = match (a.as_object(), b.as_object()) {
        (Some(a), Some(b)) => a
            .iter()
            .filter(|(k, v)| b.get(*k) != Some(v))
            .map(|(k, v)| {
                let now = b.get(k).map_or("absent".to_string(), |w| w.to_string());
                format!("{k} = {v} in the checkpoint, {now} now")
            })
            .collect(),
        _ => vec![format!("{a} in the checkpoint, {b} now")],
    };
    bail!(
        "{}: the checkpoint's config does not match this run ({}); resume without changing \
         these, or start a new run with another --out",
        dir.join(RUN_FILE).display(),
        diffs.join("; ")
    )
}

fn read_file(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("{}: cannot read checkpoint file", path.display()))
}

fn parse<'a>(path: &Path, bytes: &'a [u8]) -> Result<SafeTensors<'a>> {
    SafeTensors::deserialize(bytes).map_err(|e| {
        anyhow::anyhow!(
            "{}: not a valid safetensors file ({e}); was the save interrupted? Delete the \
             checkpoint or resume from another",
            path.display()
        )
    })
}

/// The bytes of tensor `name` of `file`, checked to be f32 of shape `shape`.
fn tensor<'a>(path: &Path, file: &'a SafeTensors, name: &str, shape: &[usize]) -> Result<&'a [u8]> {
    let t = file.tensor(name).map_err(|_| {
        anyhow::anyhow!(
            "{}: no tensor `{name}`; was it saved from a different model?",
            path.display()
        )
    })?;
    if t.dtype() != Dtype::F32 || t.shape() != shape {
        bail!(
            "{}: tensor `{name}` is {:?} {:?} in the file but F32 {shape:?} in the model; was \
             the checkpoint saved with another config?",
            path.display(),
            t.dtype(),
            t.shape()
        );
    }
    Ok(t.data())
}

fn write_optimizer(path: &Path, opt: &AdamW) -> Result<()> {
    let bytes = |v: &[f32]| -> Vec<u8> { v.iter().flat_map(|x| x.to_le_bytes()).collect() };
    let data: Vec<(String, Vec<usize>, Vec<u8>)> = opt
        .params()
        .iter()
        .flat_map(|p| {
            [
                (format!("m.{}", p.name), p.shape.clone(), bytes(&p.m)),
                (format!("v.{}", p.name), p.shape.clone(), bytes(&p.v)),
            ]
        })
        .collect();
    let views = data
        .iter()
        .map(|(name, shape, b)| Ok((name.as_str(), TensorView::new(Dtype::F32, shape.clone(), b)?)))
        .collect::<Result<Vec<_>, safetensors::SafeTensorError>>()?;
    let meta = HashMap::from([("step".to_string(), opt.step_count().to_string())]);
    safetensors::serialize_to_file(views, &Some(meta), path)
        .with_context(|| format!("{}: cannot write", path.display()))
}

fn read_optimizer(path: &Path, opt: &mut AdamW) -> Result<()> {
    let bytes = read_file(path)?;
    let file = parse(path, &bytes)?;
    let (_, meta) = SafeTensors::read_metadata(&bytes).map_err(|e| anyhow::anyhow!("{e}"))?;
    let step = meta.metadata().as_ref().and_then(|m| m.get("step")).and_then(|s| s.parse().ok());
    let Some(step) = step else {
        bail!("{}: no optimizer step in the metadata; not an AdamW checkpoint?", path.display());
    };
    for p in opt.params_mut() {
        for (kind, dst) in [("m", &mut p.m), ("v", &mut p.v)] {
            let data = tensor(path, &file, &format!("{kind}.{}", p.name), &p.shape)?;
            let src = data.chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]));
            dst.iter_mut().zip(src).for_each(|(d, s)| *d = s);
        }
    }
    opt.set_step_count(step);
    Ok(())
}

#[cfg(test)]
mod tests;
