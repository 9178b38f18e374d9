//! Finding the course's root folder, wherever the CLI is started from.

use anyhow::Result;
use std::path::{Path, PathBuf};

/// The course root: the nearest folder at or above the current directory that holds
/// `book.toml` and `exercises/info.toml`; failing that, the folder this binary was built
/// from (so `cargo course` works from anywhere inside the checkout).
pub fn find() -> Result<PathBuf> {
    let is_root =
        |p: &Path| p.join("book.toml").is_file() && p.join("exercises/info.toml").is_file();
    let cwd = std::env::current_dir()?;
    if let Some(found) = cwd.ancestors().find(|p| is_root(p)) {
        return Ok(found.to_path_buf());
    }
    let built = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    if is_root(&built) {
        return Ok(built.canonicalize()?);
    }
    Err(crate::user_error(format!(
        "no course found at or above {}: run this inside the course checkout",
        cwd.display()
    )))
}
