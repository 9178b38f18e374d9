//! `cargo course tot`: §6.4's Game of 24 table. IO, CoT, self-consistency and Tree of
//! Thoughts (b = 1 and b = 5) on all 1,362 solvable puzzles, with the stochastic stand-ins
//! for the LM of `solutions::applications::tot_simulation` (a simulation with stated error
//! rates, not a language model), next to GPT-4's rates from the paper.

use anyhow::{Context, Result};
use solutions::applications::tot_simulation::{full_table, SimConfig};
use std::path::{Path, PathBuf};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Probability that the proposer leaves out a given valid thought.
    #[arg(long, default_value_t = SimConfig::default().miss, value_name = "Q")]
    pub miss: f64,
    /// Probability that one judgement is replaced by a wrong label.
    #[arg(long, default_value_t = SimConfig::default().mislabel, value_name = "E")]
    pub mislabel: f64,
    /// Probability that a CoT step keeps 24 reachable (when the proposer offered one).
    #[arg(long, default_value_t = SimConfig::default().skill, value_name = "S")]
    pub skill: f64,
    /// IO and CoT samples per puzzle.
    #[arg(long, default_value_t = SimConfig::default().samples, value_name = "N")]
    pub samples: usize,
    /// Chains per self-consistency vote.
    #[arg(long, default_value_t = SimConfig::default().sc_chains, value_name = "K")]
    pub chains: usize,
    #[arg(long, default_value_t = SimConfig::default().seed)]
    pub seed: u64,
    /// Write the whole run (every puzzle's row) as JSON, e.g. data/bench/game24_tot.json,
    /// from which the book's figure is drawn.
    #[arg(long, value_name = "FILE")]
    pub save: Option<PathBuf>,
}

pub fn run(root: &Path, args: Args) -> Result<()> {
    for (name, p) in [("--miss", args.miss), ("--mislabel", args.mislabel), ("--skill", args.skill)]
    {
        if !(0.0..=1.0).contains(&p) {
            return Err(crate::user_error(format!("{name} {p}: a probability, in [0, 1]")));
        }
    }
    let cfg = SimConfig {
        miss: args.miss,
        mislabel: args.mislabel,
        skill: args.skill,
        samples: args.samples.max(1),
        sc_chains: args.chains.max(1),
        seed: args.seed,
    };
    eprintln!("running 5 methods on every solvable Game of 24 puzzle ({cfg:?}) ...");
    let table = full_table(&cfg);
    println!("A simulation with stated error rates, not a language model.\n");
    print!("{}", table.markdown());
    if let Some(path) = args.save {
        let path = if path.is_absolute() { path } else { root.join(path) };
        let json = serde_json::to_string(&table)? + "\n";
        std::fs::write(&path, json).with_context(|| format!("writing {}", path.display()))?;
        println!("\nsaved {} rows to {}", table.rows.len(), path.display());
    }
    Ok(())
}
