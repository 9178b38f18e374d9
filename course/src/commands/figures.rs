//! `course figures [--check]`: (re)draws every book figure into `chapters/figures/`.

use anyhow::{Context, Result};
use std::path::Path;

/// Writes every figure, or with `check` only compares, returning the stale ones.
pub fn run(root: &Path, check: bool) -> Result<Vec<String>> {
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
