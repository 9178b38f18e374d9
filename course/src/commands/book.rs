//! `course book [--serve] [--open]`: builds the book with mdBook (maths rendered by
//! mdbook-katex), checks its links ([`super::linkcheck`]), or serves it with live reload.

use super::tools;
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// Builds, or serves, the book at `root`.
pub fn run(root: &Path, serve: bool, open: bool) -> Result<()> {
    // book.toml names the preprocessors; without them mdbook fails with a message about
    // a missing command that does not say how to get it, so check first.
    tools::require(&["mdbook", "mdbook-katex"])?;
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
        let index = index_path(root);
        let broken = super::linkcheck::check_site(index.parent().unwrap_or(root))?;
        for b in &broken {
            eprintln!("broken link in {}: {} ({})", b.page.display(), b.link, b.reason);
        }
        if !broken.is_empty() {
            return Err(crate::user_error(format!("the book has {} broken link(s)", broken.len())));
        }
        println!("book: {} (links checked)", index.display());
    }
    Ok(())
}

/// The built book's front page, `<build-dir>/index.html` (mdBook writes there when HTML is
/// its only renderer, as in the course's book.toml).
pub fn index_path(root: &Path) -> PathBuf {
    let build_dir = std::fs::read_to_string(root.join("book.toml"))
        .ok()
        .and_then(|text| text.parse::<toml::Table>().ok())
        .and_then(|t| t.get("build")?.get("build-dir")?.as_str().map(String::from))
        .unwrap_or_else(|| "book".into());
    root.join(build_dir).join("index.html")
}
