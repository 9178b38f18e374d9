//! `course notebook`: launches Jupyter in `notebooks/`; with `--execute [NAME]` runs
//! every notebook (or one) top to bottom, headless, in the real Jupyter + evcxr kernel;
//! with `--check-clean` fails when a committed notebook carries outputs.
//!
//! Executed copies and logs go to `target/notebooks/`, so the committed notebooks stay
//! clean and a failure can be opened and inspected.

use super::tools;
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Per-cell limit for `--execute`. The first cell that `:dep`s the library compiles
/// dfdx cold, which takes minutes on 2 cores; later runs hit evcxr's `:cache`.
const CELL_TIMEOUT_S: u32 = 1800;

/// The notebooks in `notebooks/`, sorted by name (which is section order).
pub fn list(root: &Path) -> Result<Vec<PathBuf>> {
    let dir = root.join("notebooks");
    let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "ipynb"))
        .collect();
    found.sort();
    Ok(found)
}

fn stem(path: &Path) -> String {
    path.file_stem().unwrap_or_default().to_string_lossy().into_owned()
}

/// Opens Jupyter on `notebooks/` in the browser.
pub fn launch(root: &Path) -> Result<()> {
    tools::require(&["jupyter", "evcxr_jupyter"])?;
    ensure_kernel()?;
    println!("Starting Jupyter in notebooks/ (Ctrl-C to stop). Pick the \"Rust\" kernel.");
    let status = tools::jupyter(&["notebook"]).current_dir(root.join("notebooks")).status()?;
    if !status.success() {
        anyhow::bail!("jupyter notebook exited with {status}");
    }
    Ok(())
}

/// Registers evcxr's kernel when Jupyter does not list a `rust` kernel yet.
fn ensure_kernel() -> Result<()> {
    let list = tools::jupyter(&["kernelspec", "list", "--json"]).output()?;
    let specs: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap_or_default();
    if specs["kernelspecs"].get("rust").is_none() {
        println!("Registering the Rust kernel (evcxr_jupyter --install)");
        let out = tools::command("evcxr_jupyter").arg("--install").output()?;
        if !out.status.success() {
            anyhow::bail!(
                "`evcxr_jupyter --install` failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
    Ok(())
}

/// Executes every notebook, or those whose name starts with `name` (e.g. `1.1`).
pub fn execute(root: &Path, name: Option<&str>) -> Result<()> {
    let all = list(root)?;
    let chosen: Vec<&PathBuf> = match name {
        Some(n) => all.iter().filter(|p| stem(p) == n || stem(p).starts_with(n)).collect(),
        None => all.iter().collect(),
    };
    if chosen.is_empty() {
        let names: Vec<String> = all.iter().map(|p| stem(p)).collect();
        return Err(crate::user_error(format!(
            "no notebook matches `{}`: the notebooks are {}",
            name.unwrap_or(""),
            if names.is_empty() { "(none)".into() } else { names.join(", ") }
        )));
    }
    tools::require(&["jupyter", "evcxr_jupyter"])?;
    ensure_kernel()?;
    let out_dir = root.join("target/notebooks");
    let mut failed = vec![];
    for path in chosen {
        let t0 = Instant::now();
        let log = out_dir.join(format!("{}.log", stem(path)));
        let argv: Vec<String> = [
            tools::python(),
            "-m",
            "jupyter",
            "nbconvert",
            "--to",
            "notebook",
            "--execute",
            "--ExecutePreprocessor.kernel_name=rust",
            &format!("--ExecutePreprocessor.timeout={CELL_TIMEOUT_S}"),
            "--output-dir",
            &out_dir.to_string_lossy(),
            &path.to_string_lossy(),
        ]
        .map(String::from)
        .into();
        let ok = tools::run_logged(&stem(path), &argv, &root.join("notebooks"), &log)?;
        let took = tools::elapsed(t0.elapsed());
        if ok {
            println!("✓ {} ({took})", stem(path));
        } else {
            println!("✗ {} ({took})", stem(path));
            print_tail(&log, 40);
            println!("  full log: {}", log.display());
            failed.push(stem(path));
        }
    }
    if !failed.is_empty() {
        anyhow::bail!("{} notebook(s) failed: {}", failed.len(), failed.join(", "));
    }
    println!("executed copies: {}", out_dir.display());
    Ok(())
}

/// Prints the last `n` lines of a log, indented: nbconvert ends with the failing
/// cell's source and the kernel's error.
fn print_tail(log: &Path, n: usize) {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    for line in &lines[lines.len().saturating_sub(n)..] {
        println!("  | {line}");
    }
}

/// Fails when a notebook under `notebooks/` has outputs or execution counts: they are
/// committed clean so diffs show only what the author wrote.
pub fn check_clean(root: &Path) -> Result<()> {
    let mut dirty = vec![];
    let notebooks = list(root)?;
    for path in &notebooks {
        let text = std::fs::read_to_string(path)?;
        let nb: serde_json::Value = serde_json::from_str(&text)
            .with_context(|| format!("{} is not valid notebook JSON", path.display()))?;
        let cells = nb["cells"].as_array().cloned().unwrap_or_default();
        for (i, cell) in cells.iter().enumerate() {
            let has_outputs = cell["outputs"].as_array().is_some_and(|o| !o.is_empty());
            let has_count = !cell["execution_count"].is_null();
            if has_outputs || has_count {
                dirty.push(format!("{} cell {}", stem(path), i + 1));
            }
        }
    }
    if !dirty.is_empty() {
        return Err(crate::user_error(format!(
            "notebooks have outputs: {} (clear them with `python3 -m jupyter nbconvert --clear-output --inplace notebooks/*.ipynb`)",
            dirty.join(", ")
        )));
    }
    println!("notebooks: {} clean", notebooks.len());
    Ok(())
}
