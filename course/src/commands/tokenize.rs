//! `cargo course tokenize`: train the chapter-2 tokenizers on a corpus and show the pieces
//! they cut a text into, side by side.

use crate::commands::corpus::CorpusArg;
use anyhow::Result;
use clap::ValueEnum;
use solutions::nlp::{byte_bpe::ByteBpe, char_bpe::CharBpe, pre_tokenization, unigram, wordpiece};
use std::collections::{HashMap, HashSet};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Model {
    /// Character-level BPE with `</w>` on the last character of a word (§2.2).
    CharBpe,
    /// Byte-level BPE, GPT-2 style: never out of vocabulary (§2.2, §2.4).
    ByteBpe,
    /// WordPiece: greedy longest match with `##` continuations (§2.3).
    Wordpiece,
    /// Unigram LM: the most probable segmentation, by Viterbi (§2.3).
    Unigram,
}

#[derive(clap::Args)]
pub struct Args {
    /// Texts to tokenize; without any, each line of standard input.
    pub text: Vec<String>,
    #[command(flatten)]
    pub corpus: CorpusArg,
    /// Which tokenizers to train (repeat or comma-separate); all four by default.
    #[arg(long, short, value_enum, value_delimiter = ',')]
    pub model: Vec<Model>,
    /// The vocabulary size each tokenizer is trained to.
    #[arg(long, default_value_t = 4000, value_name = "N")]
    pub vocab: usize,
}

/// A trained tokenizer, reduced to what this command needs: text in, pieces out.
type Cutter = Box<dyn Fn(&str) -> Vec<String>>;

pub fn run(args: Args) -> Result<()> {
    if args.vocab < 300 {
        return Err(crate::user_error(format!(
            "--vocab {}: too small; byte-level BPE alone starts with 256 symbols (try 1000)",
            args.vocab
        )));
    }
    let text = args.corpus.read()?;
    let models = if args.model.is_empty() { Model::value_variants().to_vec() } else { args.model };
    let mut cutters: Vec<(Model, Cutter)> = vec![];
    for model in models {
        let bar = crate::commands::corpus::spinner(&format!(
            "training {model:?} to {} pieces on the {}",
            args.vocab,
            args.corpus.source().name()
        ));
        cutters.push((model, train(model, &text, args.vocab)));
        bar.finish_and_clear();
    }
    let inputs: Vec<String> = if args.text.is_empty() {
        std::io::stdin().lines().collect::<std::io::Result<_>>()?
    } else {
        args.text
    };
    for input in inputs {
        println!("{input}");
        for (model, cut) in &cutters {
            let pieces = cut(&input);
            println!("  {:<10} {:>3} │ {}", format!("{model:?}"), pieces.len(), pieces.join(" │ "));
        }
    }
    Ok(())
}

fn train(model: Model, text: &str, vocab: usize) -> Cutter {
    match model {
        Model::CharBpe => {
            // The alphabet comes first; the rest of the vocabulary is merges.
            let alphabet = CharBpe::train(text, 0).alphabet_size();
            let bpe = CharBpe::train(text, vocab.saturating_sub(alphabet));
            Box::new(move |s| bpe.pieces(s))
        }
        Model::ByteBpe => {
            let bpe = ByteBpe::train(text, vocab);
            Box::new(move |s| bpe.pieces(s))
        }
        Model::Wordpiece => {
            let vocab: HashSet<String> =
                wordpiece::train_wordpiece(&pre_tokenization::subword_word_counts(text), vocab).vocab_set();
            Box::new(move |s| wordpiece::wordpiece_tokenize(s, &vocab))
        }
        Model::Unigram => {
            let pieces: HashMap<String, f64> =
                unigram::train_unigram(&pre_tokenization::subword_word_counts(text), vocab, 8)
                    .into_iter()
                    .collect();
            Box::new(move |s| {
                let words = pre_tokenization::pre_tokenize_for_subwords(s);
                words.into_iter().flat_map(|w| unigram::unigram_viterbi(w, &pieces)).collect()
            })
        }
    }
}
