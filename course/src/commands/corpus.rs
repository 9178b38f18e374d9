//! `--corpus FILE`, shared by every command that reads text, and `cargo course corpus`.

use anyhow::Result;
use clap::Args;
use solutions::nlp::corpus::Source;
use std::path::PathBuf;

/// The corpus option. Without it, commands use the embedded corpus (English and Chinese).
#[derive(Args, Clone, Debug, Default)]
pub struct CorpusArg {
    /// A UTF-8 text file to use instead of the embedded corpus.
    #[arg(long, value_name = "FILE")]
    pub corpus: Option<PathBuf>,
}

impl CorpusArg {
    pub fn source(&self) -> Source {
        Source::from_option(self.corpus.clone())
    }

    /// The text, or the corpus module's one-line error as a user error (exit 2).
    pub fn read(&self) -> Result<String> {
        self.source().read().map_err(|e| crate::user_error(e.to_string()))
    }
}
