//! `course book [--serve] [--open]`: builds the book with mdBook (maths rendered by
//! mdbook-katex, links checked by mdbook-linkcheck), or serves it with live reload.

use super::tools;
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// Builds, or serves, the book at `root`.
pub fn run(root: &Path, serve: bool, open: bool) -> Result<()> {
    // book.toml names the preprocessors; without them mdbook fails with a message about
    // a missing command that does not say how to get it, so check first.
    let needed: &[&str] = if serve {
        &["mdbook", "mdbook-katex"]
    } else {
        &["mdbook", "mdbook-katex", "mdbook-linkcheck"]
    };
    tools::require(needed)?;
    let mut cmd = tools::command("mdbook");
    cmd.current_dir(root);
    if serve {
        // `serve` renders HTML only (no link check) and rebuilds on every save.
        cmd.arg("serve");
        println!("Serving the book at http://localhost:3000 (Ctrl-C to stop)");
    } else {
        cmd.arg("build");
    }
    if open {
        cmd.arg("--open");
    }
    let status = cmd.status().context("running mdbook")?;
    if !status.success() {
        anyhow::bail!(
            "mdbook {} failed (its messages are above)",
            if serve { "serve" } else { "build" }
        );
    }
    if !serve {
        println!("book: {}", index_path(root).display());
    }
    Ok(())
}

/// The built book's front page: `<build-dir>/html/index.html` when several renderers run
/// (html + linkcheck), `<build-dir>/index.html` when only html does.
pub fn index_path(root: &Path) -> PathBuf {
    let build_dir = std::fs::read_to_string(root.join("book.toml"))
        .ok()
        .and_then(|text| text.parse::<toml::Table>().ok())
        .and_then(|t| t.get("build")?.get("build-dir")?.as_str().map(String::from))
        .unwrap_or_else(|| "book".into());
    let dir = root.join(build_dir);
    let multi = dir.join("html/index.html");
    if multi.is_file() {
        multi
    } else {
        dir.join("index.html")
    }
}
