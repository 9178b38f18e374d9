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
    /// Render the interview pages of the book from the question bank (data/questions/).
    Pages {
        /// Only compare with the pages in chapters/; fail if any is out of date.
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
    /// Grade your exercises: a table of passes and failures, then the first failure in full.
    ///
    /// Exit status: 0 when every graded exercise passes, 1 otherwise, 2 for a bad argument.
    Grade {
        /// A section (`1.1`) or one exercise (`1.1.split_heads`); all of them if omitted.
        #[arg(value_name = "SECTION_OR_ID")]
        target: Option<String>,
    },
    /// Re-grade whenever you save a file in exercises/src (only the section you edited).
    Watch,
    /// Show the next hint for an exercise, and where to read about it.
    ///
    /// Hints are graded: the first gives the idea, each later one is more specific, the
    /// last names the exact dfdx calls. Each `hint ID` shows one more ("hint 2 of 3") and
    /// remembers how many you have seen in .course-state.json; when all are shown it says
    /// so. `--all` shows the ones seen so far again, `--reset` starts over from the first.
    Hint {
        /// The exercise id, e.g. `1.1.split_heads`.
        id: String,
        /// Show every hint seen so far again (without revealing a new one).
        #[arg(long, conflicts_with = "reset")]
        all: bool,
        /// Forget the hints seen for this exercise: the next `hint ID` shows the first.
        #[arg(long)]
        reset: bool,
    },
    /// Show the library's solution of an exercise (freely once it passes).
    Solution {
        /// The exercise id, e.g. `1.1.split_heads`.
        id: String,
        /// Show it even though the exercise has not passed yet, without asking.
        #[arg(long, short)]
        yes: bool,
    },
    /// Put back the pristine stub of one exercise, or of a whole section's file.
    Reset {
        /// An exercise (`1.1.split_heads`) or a section (`1.1`).
        #[arg(value_name = "ID_OR_SECTION")]
        target: String,
        /// Do not ask for confirmation (your code in it is lost).
        #[arg(long, short)]
        yes: bool,
    },
    /// Show per-chapter and per-section progress (from your last gradings) and the next exercise.
    Progress,
    /// Drill interview questions: choice and numeric answers are checked, open ones
    /// self-rated; a spaced-repetition schedule (FSRS) decides what comes back when.
    ///
    /// Due questions come first, then new ones. Answer choice questions with a letter,
    /// numeric ones with a number (`24`, `2.4e1`, `1,050,624`, `24 GB`); for open ones,
    /// press Enter to see the model answer and rate yourself 1–4 (Again, Hard, Good, Easy).
    /// Each answer is saved to .course-state.json at once; Ctrl-D ends the session.
    Drill(commands::drill::Args),
    /// Describe a corpus and measure chapter 2 on it: §2.1's tokenizer comparison (vocabulary
    /// size against OOV rate) and §2.6's character n-gram baseline (bits per character).
    Corpus {
        #[command(flatten)]
        corpus: commands::corpus::CorpusArg,
    },
    /// Train the chapter-2 tokenizers on a corpus and show how each cuts your text.
    ///
    /// Example: `cargo course tokenize "unbelievable 大语言模型"`, or
    /// `cargo course tokenize --model byte-bpe,unigram --vocab 2000 < notes.txt`.
    Tokenize(commands::tokenize::Args),
    /// Train the tiny GPT of §3.5 on a corpus: progress bar, validation loss and samples at
    /// each evaluation, checkpoints, a loss curve. Ctrl-C saves; `--resume DIR` continues.
    ///
    /// Example: `cargo course train`, or `cargo course train --corpus shakespeare.txt
    /// --iters 2000 --out runs/shakespeare`.
    Train(commands::train::Args),
    /// Continue a prompt with a checkpoint of `train` (chapter 5): greedy by default,
    /// sampling with --temperature/--top-k/--top-p, beam search with --num-beams.
    ///
    /// Example: `cargo course generate "ROMEO:" --temperature 0.8 --top-p 0.9`.
    /// Exit status 2 for a missing or corrupt checkpoint, an out-of-range value or a prompt
    /// outside the vocabulary.
    Generate(commands::generate::Args),
    /// Fine-tune a checkpoint of `train` on your text with LoRA (§4.5), or every parameter
    /// with --full, and save the merged model for `generate`.
    ///
    /// Example: `cargo course finetune --from target/course-train --corpus notes.txt
    /// --lora-rank 8 --out runs/notes`, then `cargo course generate --checkpoint runs/notes
    /// "..."`. `--compare` reproduces §4.5's table (LoRA against full fine-tuning).
    Finetune(commands::finetune::Args),
    /// §6.4's Game of 24 table: IO, CoT, self-consistency and Tree of Thoughts on all
    /// 1,362 puzzles, with stochastic stand-ins for the LM (stated error rates).
    ///
    /// Example: `cargo course tot`, or `cargo course tot --mislabel 0.3 --miss 0.5`;
    /// `--save data/bench/game24_tot.json` stores the run the book's figure is drawn from.
    Tot(commands::tot::Args),
    /// Time the course's code against an outside peer in the same run (release build).
    Bench {
        #[command(subcommand)]
        target: commands::bench::Target,
    },
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
        Command::Pages { check } => commands::pages::run(&root, check)?,
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
        Command::Grade { target } => {
            if !commands::grade::run_command(&root, target.as_deref())? {
                // Not every exercise passes: exit 1, like a failing `cargo test`.
                std::process::exit(1);
            }
        }
        Command::Watch => commands::watch::run(&root)?,
        Command::Hint { id, all, reset } => {
            use commands::exercise::HintMode;
            let mode = match (all, reset) {
                (true, _) => HintMode::All,
                (_, true) => HintMode::Reset,
                _ => HintMode::Next,
            };
            commands::exercise::hint(&root, &id, mode)?
        }
        Command::Solution { id, yes } => commands::exercise::solution(&root, &id, yes)?,
        Command::Reset { target, yes } => commands::exercise::reset(&root, &target, yes)?,
        Command::Progress => commands::progress::print_dashboard(&root)?,
        Command::Drill(args) => commands::drill::run(&root, args)?,
        Command::Corpus { corpus } => commands::corpus::report(&corpus)?,
        Command::Tokenize(args) => commands::tokenize::run(args)?,
        Command::Train(args) => commands::train::run(&root, args)?,
        Command::Generate(args) => commands::generate::run(&root, args)?,
        Command::Finetune(args) => commands::finetune::run(&root, args)?,
        Command::Tot(args) => commands::tot::run(&root, args)?,
        Command::Bench { target } => commands::bench::run(&root, target)?,
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
