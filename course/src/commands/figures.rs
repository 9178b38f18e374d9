//! `course figures [--check]`: (re)draws every book figure into `chapters/figures/`.

use anyhow::{Context, Result};
use std::path::Path;

/// Threads the figures are drawn with, whatever the machine has.
///
/// Subtle: some figures come from training runs, and training splits each batch over the
/// threads (`solutions/src/training/data_parallel.rs`), whose sums round differently for
/// another thread count. A fixed count makes the SVGs the same bytes on every machine with
/// the same CPU features, so `--check` compares like with like.
const FIGURE_THREADS: usize = 2;

/// Writes every figure, or with `check` only compares, returning the stale ones.
pub fn run(root: &Path, check: bool) -> Result<Vec<String>> {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(FIGURE_THREADS).build()?;
    pool.install(|| draw(root, check))
}

fn draw(root: &Path, check: bool) -> Result<Vec<String>> {
    let dir = root.join("chapters/figures");
    std::fs::create_dir_all(&dir)?;
    let mut stale = vec![];
    for figure in solutions::figures::all() {
        let svg = (figure.render)().map_err(|e| anyhow::anyhow!("drawing {}: {e}", figure.file))?;
        let path = dir.join(figure.file);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(svg.as_str()) {
            stale.push(figure.file.to_string());
            if !check {
                std::fs::write(&path, svg)
                    .with_context(|| format!("writing {}", path.display()))?;
            }
        }
    }
    Ok(stale)
}
