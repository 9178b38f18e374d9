//! The external tools the course runs: mdBook and its preprocessors, the evcxr Jupyter
//! kernel, and Jupyter itself. Their pinned versions live in [`TOOLS`], the one table
//! that `course start`, `course book`, `course notebook` and `.ci/run` all read.
//!
//! Installing one runs `cargo install --locked --version ...` (or `pip install`) with
//! its output sent to a log under `target/course/logs/`, behind a spinner that shows
//! the elapsed time and the line cargo is on.

use anyhow::Result;
use std::path::PathBuf;
use std::process::Command;

mod logged;
pub use logged::{elapsed, run_logged};

/// Where a tool comes from.
pub enum Source {
    /// A crates.io binary, installed with `cargo install --locked --version`.
    Cargo { krate: &'static str, version: &'static str },
    /// Python packages, present when every module imports.
    Pip { modules: &'static [&'static str], requirements: &'static [&'static str] },
}

/// One tool the course needs.
pub struct Tool {
    pub name: &'static str,
    pub source: Source,
    /// How long a from-source install takes on a 2-core machine (measured).
    pub takes: &'static str,
    pub why: &'static str,
}

/// Every tool, pinned. The cargo versions are the ones the book and CI are tested with.
pub const TOOLS: &[Tool] = &[
    Tool {
        name: "mdbook",
        source: Source::Cargo { krate: "mdbook", version: "0.4.52" },
        takes: "about 5 minutes",
        why: "builds the book",
    },
    Tool {
        name: "mdbook-katex",
        source: Source::Cargo { krate: "mdbook-katex", version: "0.9.4" },
        takes: "a few minutes",
        why: "renders the book's maths at build time",
    },
    Tool {
        name: "evcxr_jupyter",
        source: Source::Cargo { krate: "evcxr_jupyter", version: "0.22.0" },
        takes: "about 10 minutes",
        why: "the Rust kernel for the notebooks",
    },
    Tool {
        name: "jupyter",
        source: Source::Pip {
            modules: &["notebook", "nbconvert", "nbclient"],
            requirements: &["notebook>=7", "nbconvert>=7", "nbclient>=0.10"],
        },
        takes: "about a minute",
        why: "runs and executes the notebooks",
    },
];

/// The table entry called `name` (a programming error if absent).
pub fn tool(name: &str) -> &'static Tool {
    TOOLS.iter().find(|t| t.name == name).expect("tool in the TOOLS table")
}

/// What is on this machine.
pub enum Status {
    /// Present, with the version found (or "unknown" when it cannot tell).
    Ready(String),
    /// Present but at an incompatible version.
    Outdated(String),
    Missing,
}

/// The folder `cargo install` puts binaries in; it is often missing from `PATH` right
/// after rustup, so we look there too and add it to the `PATH` of what we run.
fn cargo_bin_dir() -> Option<PathBuf> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))?;
    Some(home.join("bin"))
}

/// The full path of an executable found on `PATH` or in cargo's bin folder.
pub fn find_bin(bin: &str) -> Option<PathBuf> {
    let file = format!("{bin}{}", std::env::consts::EXE_SUFFIX);
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(cargo_bin_dir())
        .map(|dir| dir.join(&file))
        .find(|p| p.is_file())
}

/// A command for `program` whose `PATH` also holds cargo's bin folder, so that mdbook
/// finds its preprocessors and Jupyter finds the kernel binary.
pub fn command(program: &str) -> Command {
    let mut cmd = Command::new(find_bin(program).unwrap_or_else(|| program.into()));
    if let Some(bin) = cargo_bin_dir() {
        let old = std::env::var_os("PATH").unwrap_or_default();
        let dirs = std::iter::once(bin).chain(std::env::split_paths(&old));
        if let Ok(joined) = std::env::join_paths(dirs) {
            cmd.env("PATH", joined);
        }
    }
    cmd
}

/// The Python interpreter: `python3`, or `python` where only that exists (Windows).
pub fn python() -> &'static str {
    if find_bin("python3").is_some() {
        "python3"
    } else {
        "python"
    }
}

/// `python3 -m jupyter <args...>`: works even when pip's script folder is not on `PATH`.
pub fn jupyter(args: &[&str]) -> Command {
    let mut cmd = command(python());
    cmd.args(["-m", "jupyter"]).args(args);
    cmd
}

/// The first `x.y.z` in a line like `mdbook v0.4.52`.
fn semver_in(text: &str) -> Option<String> {
    text.split(|c: char| c.is_whitespace() || c == 'v' || c == ':')
        .find(|w| w.split('.').count() == 3 && w.split('.').all(|p| p.parse::<u32>().is_ok()))
        .map(str::to_string)
}

/// The version of a cargo-installed binary: `--version` where it has one, else cargo's
/// own record (`cargo install --list`; evcxr_jupyter has no `--version`).
fn cargo_tool_version(krate: &str) -> Option<String> {
    let out = command(krate).arg("--version").output().ok();
    if let Some(v) = out
        .filter(|o| o.status.success())
        .and_then(|o| semver_in(String::from_utf8_lossy(&o.stdout).lines().next().unwrap_or("")))
    {
        return Some(v);
    }
    let list = Command::new(cargo()).args(["install", "--list"]).output().ok()?;
    String::from_utf8_lossy(&list.stdout)
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{krate} v")).and_then(semver_in))
}

/// Same 0.x minor (or same major from 1.0) counts as compatible, as in semver.
fn compatible(found: &str, wanted: &str) -> bool {
    let key = |v: &str| {
        let p: Vec<&str> = v.split('.').collect();
        if p[0] == "0" {
            p[..2].join(".")
        } else {
            p[0].to_string()
        }
    };
    key(found) == key(wanted)
}

/// Is `tool` here, and at which version?
pub fn status(tool: &Tool) -> Status {
    match &tool.source {
        Source::Cargo { krate, version } => {
            if find_bin(krate).is_none() {
                return Status::Missing;
            }
            match cargo_tool_version(krate) {
                Some(v) if compatible(&v, version) => Status::Ready(v),
                Some(v) => Status::Outdated(v),
                None => Status::Ready("unknown".into()),
            }
        }
        Source::Pip { modules, .. } => {
            // find_spec, not import: importing nbconvert takes seconds, finding it does not.
            let probe = format!(
                "import importlib.util as u, importlib.metadata as m\n\
                 if all(u.find_spec(x) for x in {modules:?}): print(m.version('{}'))",
                modules[0]
            );
            match command(python()).args(["-c", &probe]).output() {
                Ok(o) if o.status.success() && !o.stdout.is_empty() => {
                    Status::Ready(String::from_utf8_lossy(&o.stdout).trim().to_string())
                }
                _ => Status::Missing,
            }
        }
    }
}

/// The cargo that runs us (`cargo course ...` sets `CARGO`), else the one on `PATH`.
pub(crate) fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// The exact install command, as argv.
pub fn install_argv(tool: &Tool) -> Vec<String> {
    match &tool.source {
        Source::Cargo { krate, version } => ["cargo", "install", krate, "--version", version]
            .iter()
            .chain(&["--locked"])
            .map(|s| s.to_string())
            .collect(),
        Source::Pip { requirements, .. } => {
            let mut argv: Vec<String> = [python(), "-m", "pip", "install"].map(String::from).into();
            // Outside a virtualenv, site-packages is often read-only: install for the user.
            let probe = "import os,sys,sysconfig; print(sys.prefix==sys.base_prefix and not os.access(sysconfig.get_paths()['purelib'], os.W_OK))";
            let user = command(python()).args(["-c", probe]).output();
            if user.is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "True") {
                argv.push("--user".into());
            }
            argv.extend(requirements.iter().map(|r| r.to_string()));
            argv
        }
    }
}

/// The install command as one line a learner can paste into a shell.
pub fn install_line(tool: &Tool) -> String {
    shell_line(&install_argv(tool))
}

/// Joins argv for display, quoting the words a shell would split or redirect.
pub fn shell_line(argv: &[String]) -> String {
    let quote = |a: &String| {
        if a.chars().any(|c| " <>|&;$*?\"'".contains(c)) {
            format!("\"{a}\"")
        } else {
            a.clone()
        }
    };
    argv.iter().map(quote).collect::<Vec<_>>().join(" ")
}

/// The one-line error for a tool a command needs but cannot find.
pub fn missing_error(tool: &Tool) -> anyhow::Error {
    crate::user_error(format!(
        "{} is not installed: run `cargo course start`, or `{}`",
        tool.name,
        install_line(tool)
    ))
}

/// Fails with [`missing_error`] unless every named tool is present (at any version:
/// the daily commands should not pay for version probes).
pub fn require(names: &[&str]) -> Result<()> {
    for name in names {
        let t = tool(name);
        let here = match t.source {
            Source::Cargo { krate, .. } => find_bin(krate).is_some(),
            Source::Pip { .. } => !matches!(status(t), Status::Missing),
        };
        if !here {
            return Err(missing_error(t));
        }
    }
    Ok(())
}
