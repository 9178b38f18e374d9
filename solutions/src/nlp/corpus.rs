//! The course corpus (语料): the embedded default, or a file of the learner's.
//!
//! Every chapter-2 experiment reads its text through this module, so that each of them
//! also runs on `--corpus FILE` and every bad file fails the same way: one line that names
//! the file and says what is wrong with it, never a panic.
//!
//! The embedded corpus is the project's own writing, in two files: `data/corpus/en.txt`
//! (English) and `data/corpus/zh.txt` (中文), one paragraph per line. They are kept apart
//! so that §2.4 can train a tokenizer on English alone and then on both.

use std::fmt;
use std::path::{Path, PathBuf};

/// The English half of the embedded corpus.
pub const ENGLISH: &str = include_str!("../../../data/corpus/en.txt");
/// The Chinese half of the embedded corpus.
pub const CHINESE: &str = include_str!("../../../data/corpus/zh.txt");

/// The whole embedded corpus: the English lines, then the Chinese ones.
pub fn embedded() -> String {
    format!("{}\n{}", ENGLISH.trim_end(), CHINESE.trim_end())
}

/// Where a corpus comes from: what the CLI's `--corpus FILE` chooses between.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Source {
    /// The embedded corpus (English and Chinese).
    #[default]
    Embedded,
    /// A UTF-8 text file of the learner's.
    File(PathBuf),
}

impl Source {
    /// `None` means the embedded corpus, as when `--corpus` is not given.
    pub fn from_option(path: Option<PathBuf>) -> Source {
        path.map_or(Source::Embedded, Source::File)
    }

    /// Reads the text, checked as [`load`] checks a file.
    pub fn read(&self) -> Result<String, CorpusError> {
        match self {
            Source::Embedded => Ok(embedded()),
            Source::File(path) => load(path),
        }
    }

    /// A short name for reports: `embedded corpus` or the file's path.
    pub fn name(&self) -> String {
        match self {
            Source::Embedded => "embedded corpus".into(),
            Source::File(path) => path.display().to_string(),
        }
    }
}

/// Why a corpus file cannot be used. Each variant's message is one line naming the file.
#[derive(Debug, PartialEq, Eq)]
pub enum CorpusError {
    Missing(PathBuf),
    NotAFile(PathBuf),
    Unreadable {
        path: PathBuf,
        reason: String,
    },
    Empty(PathBuf),
    /// A NUL byte, which no text file holds, at this byte offset.
    Binary {
        path: PathBuf,
        offset: usize,
    },
    /// The first byte that is not valid UTF-8.
    InvalidUtf8 {
        path: PathBuf,
        offset: usize,
    },
}

impl fmt::Display for CorpusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CorpusError::Missing(p) => write!(f, "corpus file {}: no such file", p.display()),
            CorpusError::NotAFile(p) => {
                write!(f, "corpus file {}: is a directory, not a text file", p.display())
            }
            CorpusError::Unreadable { path, reason } => {
                write!(f, "corpus file {}: cannot be read ({reason})", path.display())
            }
            CorpusError::Empty(p) => {
                let p = p.display();
                write!(f, "corpus file {p}: is empty (or only whitespace); give it some text")
            }
            CorpusError::Binary { path, offset } => write!(
                f,
                "corpus file {}: looks binary (a NUL byte at offset {offset}); \
                 give a UTF-8 text file",
                path.display()
            ),
            CorpusError::InvalidUtf8 { path, offset } => write!(
                f,
                "corpus file {}: is not valid UTF-8 (bad byte at offset {offset}); \
                 convert it, e.g. `iconv -t UTF-8`",
                path.display()
            ),
        }
    }
}

impl std::error::Error for CorpusError {}

/// Reads a corpus file and checks that it is non-empty UTF-8 text.
///
/// Binary input is caught before the UTF-8 check because a NUL byte is valid UTF-8, and
/// a file of NULs would otherwise pass as text.
pub fn load(path: &Path) -> Result<String, CorpusError> {
    let bytes = std::fs::read(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => CorpusError::Missing(path.into()),
        _ if path.is_dir() => CorpusError::NotAFile(path.into()),
        _ => CorpusError::Unreadable { path: path.into(), reason: e.to_string() },
    })?;
    check_text(path, bytes)
}

/// The checks of [`load`] on bytes already read; `path` only names them in errors.
pub fn check_text(path: &Path, bytes: Vec<u8>) -> Result<String, CorpusError> {
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(CorpusError::Binary { path: path.into(), offset });
    }
    let text = String::from_utf8(bytes).map_err(|e| CorpusError::InvalidUtf8 {
        path: path.into(),
        offset: e.utf8_error().valid_up_to(),
    })?;
    if text.trim().is_empty() {
        return Err(CorpusError::Empty(path.into()));
    }
    Ok(text)
}

/// A CJK unified ideograph (the common block U+4E00–U+9FFF or extension A): the
/// characters that make a text "Chinese" for the chapter's measurements.
pub fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3400}'..='\u{4dbf}').contains(&c)
}

/// The non-empty lines of a text, trimmed: the unit every round-trip test iterates over.
pub fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().map(str::trim).filter(|l| !l.is_empty())
}

#[cfg(test)]
mod tests;
