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

/// Registers evcxr's kernel unless a `rust` kernel spec is in one of Jupyter's data
/// folders (looked up here: asking Jupyter itself costs seconds of Python start-up).
fn ensure_kernel() -> Result<()> {
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_default();
    let mut dirs: Vec<PathBuf> = ["JUPYTER_PATH", "JUPYTER_DATA_DIR"]
        .iter()
        .filter_map(std::env::var_os)
        .flat_map(|v| std::env::split_paths(&v).collect::<Vec<_>>())
        .collect();
    dirs.extend([
        home.join(".local/share/jupyter"),
        home.join("Library/Jupyter"),
        "/usr/local/share/jupyter".into(),
        "/usr/share/jupyter".into(),
    ]);
    if let Some(appdata) = std::env::var_os("APPDATA") {
        dirs.push(PathBuf::from(appdata).join("jupyter"));
    }
    if dirs.iter().any(|d| d.join("kernels/rust/kernel.json").is_file()) {
        return Ok(());
    }
    println!("Registering the Rust kernel (evcxr_jupyter --install)");
    let out = tools::command("evcxr_jupyter").arg("--install").output()?;
    if !out.status.success() {
        anyhow::bail!("`evcxr_jupyter --install` failed: {}", String::from_utf8_lossy(&out.stderr));
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
    // The runner is nbclient (what `jupyter nbconvert --execute` uses) plus per-cell
    // progress and readable errors; see notebook_run.py.
    std::fs::create_dir_all(&out_dir)?;
    let runner = out_dir.join("notebook_run.py");
    std::fs::write(&runner, include_str!("notebook_run.py"))?;
    // Keyed by checkout, so two clones never share (and fight over) a kernel folder.
    let checkout = {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        root.hash(&mut h);
        format!("{:016x}", h.finish())
    };
    let kernels = std::env::temp_dir().join("course-evcxr").join(checkout);
    let mut failed = vec![];
    for path in chosen {
        let t0 = Instant::now();
        let log = out_dir.join(format!("{}.log", stem(path)));
        let out = out_dir.join(path.file_name().unwrap_or_default());
        let argv: Vec<String> = [
            tools::python(),
            &runner.to_string_lossy(),
            &path.to_string_lossy(),
            &out.to_string_lossy(),
            &CELL_TIMEOUT_S.to_string(),
        ]
        .map(String::from)
        .into();
        // One kernel folder for every notebook, kept between runs: evcxr builds cells in
        // its `target/`, so the build of `solutions` (a path dependency, which evcxr's
        // `:cache` skips) is made once per optimisation level and reused by every later
        // notebook, instead of once per notebook. The notebooks run one after another, so
        // they never build in it at the same time. It sits outside the checkout: inside,
        // cargo would take it for a stray workspace member.
        std::fs::create_dir_all(&kernels)?;
        std::env::set_var("EVCXR_TMPDIR", &kernels);
        let ok = tools::run_logged(&stem(path), &argv, &root.join("notebooks"), &log)?;
        let took = tools::elapsed(t0.elapsed());
        if ok {
            println!("✓ {} ({took})", stem(path));
        } else {
            println!("✗ {} ({took})", stem(path));
            print_error(&log);
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

/// Prints the runner's report of the failing cell (everything after its first blank
/// line), or the log's last lines when the runner itself broke.
fn print_error(log: &Path) {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    let from = lines.iter().position(|l| l.starts_with("error in cell"));
    let shown = match from {
        Some(i) => &lines[i..],
        None => &lines[lines.len().saturating_sub(20)..],
    };
    // The first lines name a kernel that failed to start; the last ones, the rest.
    let head = if from.is_none() && lines.len() > 20 { &lines[..3] } else { &[][..] };
    for line in head.iter().chain(shown) {
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
