//! `course start`: the first-run command. It checks every tool in [`tools::TOOLS`],
//! installs what is missing (with progress, one log per install), registers the
//! Rust Jupyter kernel, builds the book and ends with the learner's dashboard.
//!
//! It asks before a long install only when stdin is a terminal; in CI (no TTY) or
//! with `--yes` it goes ahead, so `.ci/run` can call it on any machine.

use super::tools::{self, Status, Tool};
use anyhow::Result;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::time::Instant;

/// Runs the whole first-run sequence from the course root.
pub fn run(root: &Path, yes: bool) -> Result<()> {
    let started = Instant::now();
    println!("Checking the tools the course uses:");
    let mut todo: Vec<&Tool> = vec![];
    for tool in tools::TOOLS {
        let wanted = match &tool.source {
            tools::Source::Cargo { version, .. } => version.to_string(),
            tools::Source::Pip { requirements, .. } => requirements.join(", "),
        };
        match tools::status(tool) {
            Status::Ready(v) => println!("  ✓ {:<17} {v:<8} {}", tool.name, tool.why),
            Status::Outdated(v) => {
                println!("  ✗ {:<17} {v} found, {wanted} wanted: will reinstall", tool.name);
                todo.push(tool);
            }
            Status::Missing => {
                println!("  ✗ {:<17} missing ({wanted}): will install", tool.name);
                todo.push(tool);
            }
        }
    }
    if !todo.is_empty() {
        if !confirm(&todo, yes)? {
            return Err(crate::user_error(
                "nothing installed: run `cargo course start` again when you are ready",
            ));
        }
        install_all(root, &todo)?;
    }

    step("Registering the Rust kernel with Jupyter (evcxr_jupyter --install)");
    let out = tools::command("evcxr_jupyter").arg("--install").output()?;
    if !out.status.success() {
        anyhow::bail!(
            "`evcxr_jupyter --install` failed: {}\nrun it by hand to see why",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }

    step("Building the book (mdbook build)");
    let log = root.join("target/course/logs/mdbook-build.log");
    let argv = ["mdbook", "build"].map(String::from);
    if !tools::run_logged("mdbook build", &argv, root, &log)? {
        anyhow::bail!("the book did not build: see {} (or run `cargo course book`)", log.display());
    }
    println!("  book: {}", super::book::index_path(root).display());

    println!(
        "\nReady in {}. Daily commands: `cargo course book --serve`, `cargo course notebook`, `cargo course grade`.\n",
        tools::elapsed(started.elapsed())
    );
    // The dashboard: per-chapter progress and the next exercise.
    super::progress::print_dashboard(root)
}

/// A bold-ish header for each step after the installs.
fn step(what: &str) {
    println!("\n→ {what}");
}

/// Asks before installing on a terminal (unless `--yes`); goes ahead otherwise.
fn confirm(todo: &[&Tool], yes: bool) -> Result<bool> {
    let names: Vec<&str> = todo.iter().map(|t| t.name).collect();
    if yes || !std::io::stdin().is_terminal() {
        println!("\nInstalling {}.", names.join(", "));
        return Ok(true);
    }
    print!(
        "\nInstall {}? Compiling from source takes a while (evcxr_jupyter about 10 minutes on 2 cores). [Y/n] ",
        names.join(", ")
    );
    std::io::stdout().flush()?;
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer)?;
    Ok(matches!(answer.trim().to_lowercase().as_str(), "" | "y" | "yes"))
}

/// Installs each tool in turn (one at a time: on 2 cores parallel builds only fight,
/// and the shared target folder lets later installs reuse earlier crates).
fn install_all(root: &Path, todo: &[&Tool]) -> Result<()> {
    let count = todo.len();
    for (i, tool) in todo.iter().enumerate() {
        let argv = tools::install_argv(tool);
        let line = tools::shell_line(&argv);
        let log = root.join(format!("target/course/logs/install-{}.log", tool.name));
        println!("[{}/{count}] {line} ({})", i + 1, tool.takes);
        let t0 = Instant::now();
        let ok = tools::run_logged(tool.name, &argv, root, &log)?;
        if !ok {
            eprintln!("  ✗ {} failed after {}", tool.name, tools::elapsed(t0.elapsed()));
            eprintln!("    its output: {}", log.display());
            eprintln!("    to retry by hand: {line}");
            anyhow::bail!("installing {} failed (log: {})", tool.name, log.display());
        }
        match tools::status(tool) {
            Status::Ready(v) => {
                println!("  ✓ {} {v} installed in {}", tool.name, tools::elapsed(t0.elapsed()))
            }
            _ => anyhow::bail!(
                "`{line}` succeeded but {} is still not found: is {} on your PATH? (log: {})",
                tool.name,
                if matches!(tool.source, tools::Source::Pip { .. }) {
                    "pip's install folder"
                } else {
                    "~/.cargo/bin"
                },
                log.display()
            ),
        }
    }
    Ok(())
}
