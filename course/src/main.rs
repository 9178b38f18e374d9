//! `cargo course <command>`: the course's command line. `cargo course --help` lists the
//! commands; every command has its own `--help`.

use anyhow::Result;
use clap::{Parser, Subcommand};
use course::{commands, root, UserError};
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "course", version, about = "A Rust course on large language models: book, notebooks, graded exercises.", long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// First run: install the missing tools (mdBook, evcxr, Jupyter), register the Rust
    /// kernel, build the book, show your progress.
    Start {
        /// Install without asking (the default when stdin is not a terminal, as in CI).
        #[arg(long, short)]
        yes: bool,
    },
    /// Build the book into book/ (or serve it with live reload).
    Book {
        /// Serve at http://localhost:3000 and rebuild on every save.
        #[arg(long)]
        serve: bool,
        /// Open the book in the browser.
        #[arg(long)]
        open: bool,
    },
    /// Launch Jupyter in notebooks/ (or execute the notebooks headless).
    Notebook {
        /// Run every notebook, or those whose name starts with NAME (e.g. 1.1), top to
        /// bottom in the Rust kernel; fail on any error.
        #[arg(long, value_name = "NAME", num_args = 0..=1, default_missing_value = "")]
        execute: Option<String>,
        /// Fail if a notebook has outputs or execution counts (they are committed clean).
        #[arg(long, conflicts_with = "execute")]
        check_clean: bool,
    },
    /// Redraw the book's figures from code (fixed seeds) into chapters/figures/.
    Figures {
        /// Only compare with the committed figures; fail if any differs.
        #[arg(long)]
        check: bool,
    },
    /// Regenerate the exercise stubs in exercises/ from the library and exercises/info.toml.
    Stubs {
        /// Only compare with the files in exercises/; fail if any differs.
        #[arg(long)]
        check: bool,
        /// Overwrite exercises/ (this discards your work in it).
        #[arg(long)]
        force: bool,
    },
    /// Show per-chapter and per-section progress (from your last gradings) and the next exercise.
    Progress,
}

fn run(cli: Cli) -> Result<()> {
    let root = root::find()?;
    match cli.command {
        Command::Start { yes } => commands::start::run(&root, yes)?,
        Command::Book { serve, open } => commands::book::run(&root, serve, open)?,
        Command::Notebook { execute, check_clean } => match (execute, check_clean) {
            (_, true) => commands::notebook::check_clean(&root)?,
            (Some(name), _) => {
                let name = Some(name.as_str()).filter(|n| !n.is_empty());
                commands::notebook::execute(&root, name)?
            }
            (None, false) => commands::notebook::launch(&root)?,
        },
        Command::Figures { check } => {
            let stale = commands::figures::run(&root, check)?;
            if check && !stale.is_empty() {
                return Err(course::user_error(format!(
                    "figures out of date: {} (run `cargo course figures`)",
                    stale.join(", ")
                )));
            }
            println!(
                "figures: {} up to date, {} written",
                solutions::figures::all().len() - stale.len(),
                if check { 0 } else { stale.len() }
            );
        }
        Command::Stubs { check, force } => {
            if check {
                let stale = stubgen::stale_files(&root)?;
                if !stale.is_empty() {
                    let names: Vec<String> =
                        stale.iter().map(|p| p.display().to_string()).collect();
                    return Err(course::user_error(format!(
                        "stubs out of date: {} (run `cargo course stubs --force`)",
                        names.join(", ")
                    )));
                }
                println!("stubs: up to date");
            } else if force {
                for path in stubgen::write_all(&root)? {
                    println!("wrote {}", path.display());
                }
            } else {
                return Err(course::user_error("`stubs` overwrites your exercises: pass --force to do it, or --check to compare"));
            }
        }
        Command::Progress => commands::progress::print_dashboard(&root)?,
    }
    Ok(())
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => match e.downcast_ref::<UserError>() {
            Some(user) => {
                eprintln!("error: {user}");
                ExitCode::from(2)
            }
            None => {
                eprintln!("error: {e:#}");
                ExitCode::FAILURE
            }
        },
    }
}
