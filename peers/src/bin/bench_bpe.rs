//! §2.2 benchmark: the course's naive and efficient BPE trainers against Hugging Face's
//! `BpeTrainer`, byte level, same words, same vocabulary size, in one run.
//!
//! Each time covers reading the words off the text, counting them and learning the merges
//! (HF: `feed` with the course's pre-tokenizer, then `train`). Each is the median of
//! `--runs` runs. Run it in release: `cargo course bench bpe [--corpus FILE] [--vocab N]
//! [--plot FILE]`, or `cargo run --release -p peers --bin bench_bpe -- --help`.

use anyhow::Result;
use clap::Parser;
use peers::bpe::train_hf_bytes;
use plotters::prelude::*;
use solutions::nlp::byte_bpe::{ByteBpe, Trainer};
use solutions::nlp::corpus::{self, Source};
use std::path::PathBuf;
use std::time::Instant;

#[derive(Parser)]
#[command(about = "Times BPE training: naive, efficient (incremental) and HF BpeTrainer")]
struct Args {
    /// A UTF-8 text file to train on (default: the embedded corpus).
    #[arg(long, value_name = "FILE")]
    corpus: Option<PathBuf>,
    /// The vocabulary size to train to: 256 bytes + merges.
    #[arg(long, value_name = "N", default_value_t = 1024)]
    vocab: usize,
    /// Runs per trainer; the median is reported.
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// Also time 1/8, 1/4, 1/2 and all of the corpus, and 1/4, 1/2 and all of the merges,
    /// and draw the scaling as an SVG here.
    #[arg(long, value_name = "FILE")]
    plot: Option<PathBuf>,
}

/// The median wall-clock seconds of `runs` calls of `f`.
fn median_secs(runs: usize, mut f: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..runs.max(1))
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

/// The three medians (naive, efficient, HF) on `text`.
fn time_all(text: &str, vocab: usize, runs: usize) -> Result<[f64; 3]> {
    let naive = median_secs(runs, || {
        ByteBpe::train_with(text, vocab, Trainer::Naive);
    });
    let fast = median_secs(runs, || {
        ByteBpe::train_with(text, vocab, Trainer::Fast);
    });
    let mut error = None;
    let hf = median_secs(runs, || {
        if let Err(e) = train_hf_bytes(text, vocab.saturating_sub(256)) {
            error = Some(e);
        }
    });
    match error {
        Some(e) => Err(e),
        None => Ok([naive, fast, hf]),
    }
}

/// The first `num / den` of the lines of `text`.
fn prefix(text: &str, num: usize, den: usize) -> String {
    let lines: Vec<&str> = corpus::lines(text).collect();
    lines[..(lines.len() * num).div_ceil(den)].join("\n")
}

/// One panel: the three trainers' times against `x`, on a log time axis.
fn panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    points: &[(f64, [f64; 3])],
    caption: &str,
    x_desc: &str,
) -> Result<()>
where
    DB::ErrorType: 'static,
{
    let x_max = points.iter().map(|p| p.0).fold(0.0, f64::max) * 1.05;
    let ys = points.iter().flat_map(|p| p.1);
    let (lo, hi) = ys.fold((f64::MAX, 0.0f64), |(lo, hi), y| (lo.min(y), hi.max(y)));
    let mut chart = ChartBuilder::on(area)
        .caption(caption, ("sans-serif", 16))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(64)
        // Room above the curves for the legend.
        .build_cartesian_2d(0.0..x_max, (lo / 2.0..hi * 10.0).log_scale())?;
    chart
        .configure_mesh()
        .x_desc(x_desc)
        .y_desc("training time (s, log scale)")
        .y_label_formatter(&|y| format!("{y:.0e}"))
        .draw()?;
    let names = ["naive (recount every merge)", "efficient (incremental)", "HF BpeTrainer"];
    for (i, (name, color)) in names.iter().zip([RED, BLUE, BLACK]).enumerate() {
        let series: Vec<(f64, f64)> = points.iter().map(|p| (p.0, p.1[i])).collect();
        chart
            .draw_series(LineSeries::new(series.clone(), color.stroke_width(2)))?
            .label(*name)
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 18, y)], color.stroke_width(2)));
        chart.draw_series(series.into_iter().map(|p| Circle::new(p, 3, color.filled())))?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .border_style(BLACK)
        .background_style(WHITE)
        .draw()?;
    Ok(())
}

fn plot(
    path: &PathBuf,
    by_size: &[(f64, [f64; 3])],
    by_merges: &[(f64, [f64; 3])],
    vocab: usize,
) -> Result<()> {
    let root = SVGBackend::new(path, (1100, 440)).into_drawing_area();
    root.fill(&WHITE)?;
    let (left, right) = root.split_horizontally(550);
    panel(
        &left,
        by_size,
        &format!("vocabulary {vocab}, growing corpus"),
        "corpus size (KB of UTF-8)",
    )?;
    panel(&right, by_merges, "whole corpus, growing vocabulary", "merges learned")?;
    root.present()?;
    Ok(())
}

fn main() -> Result<()> {
    let args = Args::parse();
    let source = Source::from_option(args.corpus.clone());
    let text = match source.read() {
        Ok(text) => text,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let (vocab, runs) = (args.vocab.max(257), args.runs);
    let words: usize = corpus::lines(&text).map(|l| solutions::nlp::byte_bpe::words(l).len()).sum();
    println!(
        "BPE training, byte level, vocabulary {vocab} (256 bytes + {} merges)\ncorpus: {} \
         ({:.0} KB, {words} words); median of {runs} runs each",
        vocab - 256,
        source.name(),
        text.len() as f64 / 1024.0
    );
    // The two trainers must agree before their times mean anything.
    let same = ByteBpe::train_with(&text, vocab, Trainer::Naive).merges()
        == ByteBpe::train_with(&text, vocab, Trainer::Fast).merges();
    let [naive, fast, hf] = time_all(&text, vocab, runs)?;
    println!("\n{:<32} {:>12}", "trainer", "time (s)");
    for (name, t) in [("naive (recount every merge)", naive), ("efficient (incremental)", fast)] {
        println!("{name:<32} {t:>12.4}");
    }
    println!("{:<32} {hf:>12.4}", "HF tokenizers BpeTrainer");
    println!("\nnaive and efficient merges identical: {}", if same { "yes" } else { "NO" });
    println!("naive / efficient: {:.1}×", naive / fast);
    println!("efficient / HF: {:.2}× (target ≤ 2×)", fast / hf);
    if let Some(path) = &args.plot {
        let mut by_size = vec![];
        for den in [8, 4, 2, 1] {
            let part = prefix(&text, 1, den);
            let times = if den == 1 { [naive, fast, hf] } else { time_all(&part, vocab, runs)? };
            println!("1/{den} of the corpus ({:.0} KB): {times:.4?}", part.len() as f64 / 1024.0);
            by_size.push((part.len() as f64 / 1024.0, times));
        }
        let mut by_merges = vec![];
        let merges = vocab - 256;
        for m in [merges / 4, merges / 2, merges] {
            let times =
                if m == merges { [naive, fast, hf] } else { time_all(&text, 256 + m, runs)? };
            println!("{m} merges on the whole corpus: {times:.4?}");
            by_merges.push((m as f64, times));
        }
        plot(path, &by_size, &by_merges, vocab)?;
        println!("wrote {}", path.display());
    }
    Ok(())
}
