//! §6.5's measurement: chapter 3's tiny GPT distilled into a smaller student, against the
//! same student trained on the data alone, over several seeds
//! (`applications::distil_gpt::distillation_experiment` with `BOOK`'s sizes).
//!
//! `cargo run -p solutions --bin measure_distillation -- --save data/bench/distillation.json`
//! prints each seed's final held-out losses and stores the whole run as JSON; the book's
//! figure `distillation_students.svg` and the tests in `distil_gpt/tests.rs` read the stored
//! file. Flags: `--seeds N` (default 5), `--save FILE`.

use solutions::applications::distil_gpt::{distillation_experiment, BOOK};

fn main() {
    let (mut seeds, mut save) = (5u64, None);
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        match (flag.as_str(), args.next()) {
            ("--seeds", Some(n)) => seeds = n.parse().unwrap_or_else(|_| fail("--seeds N")),
            ("--save", Some(path)) => save = Some(path),
            _ => fail(&format!("unknown flag or missing value: {flag}")),
        }
    }
    let seeds: Vec<u64> = (0..seeds).collect();
    let mut m = distillation_experiment(&BOOK, &seeds);
    let profile = if cfg!(debug_assertions) { "dev" } else { "release" };
    m.provenance = format!(
        "cargo run -p solutions --bin measure_distillation ({profile} build), seeds {seeds:?}, \
         {:.0} s",
        m.seconds
    );
    println!(
        "teacher: {} parameters, held-out loss {:.4}; student: {} parameters",
        m.teacher_params, m.teacher_loss, m.student_params
    );
    for r in &m.runs {
        println!(
            "seed {}: data only {:.4} (KL {:.4}), distilled {:.4} (KL {:.4}), gain {:+.4}",
            r.seed,
            r.data_only.final_loss(),
            r.data_only.kl.last().unwrap(),
            r.distilled.final_loss(),
            r.distilled.kl.last().unwrap(),
            r.gain()
        );
    }
    let (mean, se) = m.mean_gain();
    println!("mean gain {mean:+.4} ± {se:.4} (standard error); {:.0} s", m.seconds);
    if let Some(path) = save {
        let json = serde_json::to_string_pretty(&m).expect("the measurement serialises");
        std::fs::write(&path, json + "\n").unwrap_or_else(|e| fail(&format!("{path}: {e}")));
        println!("saved {path}");
    }
}

fn fail(message: &str) -> ! {
    eprintln!("measure_distillation: {message}");
    std::process::exit(2)
}
