//! `course drill`: the interview drill in the terminal, on the question bank
//! (`data/questions/`), with an FSRS schedule kept in the learner-state file; and
//! `course drill --export-anki FILE`, the bank as an Anki deck.

use crate::bank;
use crate::drill::ui::{self, Msg};
use crate::drill::{self, anki, schedule, session, Filter, KindName, Lang};
use crate::state::State;
use anyhow::{Context, Result};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// The drill's command-line options.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only questions of this chapter (1–6).
    #[arg(long, value_name = "N")]
    pub chapter: Option<u32>,
    /// Only questions of this section, e.g. `1.1`.
    #[arg(long, value_name = "S")]
    pub section: Option<String>,
    /// Only questions with this tag, e.g. `attention`.
    #[arg(long, value_name = "T")]
    pub tag: Option<String>,
    /// Only questions of this kind.
    #[arg(long, value_enum)]
    pub kind: Option<KindName>,
    /// How many questions to ask: the due ones first, then new ones.
    #[arg(long, value_name = "K", default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..))]
    pub count: u32,
    /// The language of the drill: its prompts, feedback and summary, and the bank's
    /// questions, options, answers and explanations.
    #[arg(long, value_enum, default_value_t = Lang::En)]
    pub lang: Lang,
    /// Also ask questions that are not due yet (the schedule is still updated).
    #[arg(long)]
    pub all: bool,
    /// Write the bank (or the questions the filters select) as an Anki deck to FILE
    /// (tab-separated text: in Anki, File > Import), instead of drilling.
    #[arg(long, value_name = "FILE")]
    pub export_anki: Option<PathBuf>,
}

/// Runs the drill on stdin and stdout, or writes the Anki export.
pub fn run(root: &Path, args: Args) -> Result<()> {
    let banks = bank::load_all(root).map_err(|e| crate::user_error(e.to_string()))?;
    let filter = Filter {
        chapter: args.chapter,
        section: args.section.clone(),
        tag: args.tag.clone(),
        kind: args.kind,
    };
    let questions = filter.apply(&banks)?;
    if let Some(file) = &args.export_anki {
        let with_bank: Vec<_> = banks
            .iter()
            .flat_map(|b| b.questions.iter().map(move |q| (b, q)))
            .filter(|(_, q)| questions.iter().any(|p| p.id == q.id))
            .collect();
        std::fs::write(file, anki::render(&with_bank))
            .with_context(|| format!("writing {}", file.display()))?;
        println!(
            "wrote {} notes to {} (in Anki: File > Import, then pick it)",
            with_bank.len(),
            file.display()
        );
        return Ok(());
    }
    let now = chrono::Utc::now();
    let cards = schedule::Schedule::from_state(&State::load(root)?)?.cards;
    let picks = drill::select(&questions, &cards, now, args.count as usize, args.all);
    if picks.is_empty() {
        let next =
            drill::next_due(&questions, &cards).map(|due| schedule::humanize(due, now, args.lang));
        println!("{}", ui::text(args.lang, &Msg::NothingDue { next }));
        return Ok(());
    }
    let config = session::Config {
        lang: args.lang,
        color: std::io::stdout().is_terminal() && console::colors_enabled(),
        echo: !std::io::stdin().is_terminal(),
        // Long lines wrap at the terminal's width, at most 100 columns (easier to read).
        width: console::Term::stdout().size_checked().map_or(100, |(_, w)| (w as usize).min(100)),
    };
    let (stdin, stdout) = (std::io::stdin(), std::io::stdout());
    let mut clock = chrono::Utc::now;
    let mut save = |id: &str, card: &rs_fsrs::Card| schedule::save_card(root, id, card);
    session::run(&picks, &mut stdin.lock(), &mut stdout.lock(), config, &mut clock, &mut save)?;
    let file = crate::state::FILE.to_string();
    println!("{}", ui::text(args.lang, &Msg::ScheduleSaved { file }));
    Ok(())
}
