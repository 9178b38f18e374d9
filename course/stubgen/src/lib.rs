//! Generates the learner's exercise stubs from the canonical library.
//!
//! One source of truth: `exercises/info.toml` names each exercise (its id, the library
//! item it mirrors, its TODO steps and its graded hints), and the library file holds the
//! item's doc comment and signature. A stub is that doc comment and that signature, copied by parsing
//! the library with `syn`, with a body of `// TODO` steps and `todo!()`. Signatures
//! therefore never drift, and `course reset ID` can always restore a pristine stub.

use anyhow::{anyhow, bail, Context, Result};
use std::path::{Path, PathBuf};
use syn::spanned::Spanned;

mod catalog;
pub mod chinese;
mod imports;
mod library_calls;
pub use catalog::{Catalog, Exercise, Section};
pub use imports::vocabulary;
pub use library_calls::{library_calls, library_calls_in, module_functions};

/// The marker every stub's `todo!()` message starts with, so that a grader can tell an
/// untouched exercise from one that panics for another reason.
pub const NOT_STARTED: &str = "exercise not started";

/// Parses the library file of `section` and returns its `syn` tree and its text.
fn library_file(root: &Path, section: &Section) -> Result<(syn::File, String)> {
    let path = root.join(section.solution_path());
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let file = syn::parse_file(&text).with_context(|| format!("parsing {}", path.display()))?;
    Ok((file, text))
}

/// The library module (path under `solutions/src`, e.g. "architectures/swiglu") that defines
/// `item` when `file` only re-exports it with `pub use crate::…::item;`.
///
/// A section has one module, but its exercises may come from sibling files: the section's
/// module re-exports them (§3.3's `gqa` re-exports `swiglu::swiglu`), and the stub is
/// rendered from the file that defines the function, so every concept keeps its own file.
fn reexport_home(file: &syn::File, item: &str) -> Option<String> {
    fn walk(tree: &syn::UseTree, prefix: &mut Vec<String>, item: &str) -> Option<String> {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                let found = walk(&p.tree, prefix, item);
                prefix.pop();
                found
            }
            syn::UseTree::Name(n) if n.ident == item => {
                (prefix.first().map(String::as_str) == Some("crate") && prefix.len() > 1)
                    .then(|| prefix[1..].join("/"))
            }
            syn::UseTree::Group(g) => g.items.iter().find_map(|t| walk(t, prefix, item)),
            _ => None,
        }
    }
    file.items.iter().find_map(|i| match i {
        syn::Item::Use(u) if matches!(u.vis, syn::Visibility::Public(_)) => {
            walk(&u.tree, &mut vec![], item)
        }
        _ => None,
    })
}

/// Parses the library file of module `module` ("a/b": `solutions/src/a/b.rs`).
fn module_file(root: &Path, module: &str) -> Result<(syn::File, String)> {
    let path = root.join(format!("solutions/src/{module}.rs"));
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let file = syn::parse_file(&text).with_context(|| format!("parsing {}", path.display()))?;
    Ok((file, text))
}

/// The library file that defines exercise `ex`'s function: the section's own module, or
/// the sibling module it re-exports the function from. Returns (module, tree, text).
fn defining_file(
    root: &Path,
    catalog: &Catalog,
    ex: &Exercise,
) -> Result<(String, syn::File, String)> {
    let section = catalog.section(&ex.section)?;
    let (file, text) = library_file(root, section)?;
    if find_fn(&file, &ex.item).is_some() {
        return Ok((section.module.clone(), file, text));
    }
    let home = reexport_home(&file, &ex.item).ok_or_else(|| {
        anyhow!(
            "{}: no `fn {}` in {} (define it there, or re-export it with `pub use crate::…::{};`)",
            ex.id,
            ex.item,
            section.solution_path(),
            ex.item
        )
    })?;
    let (file, text) = module_file(root, &home)?;
    Ok((home, file, text))
}

/// The top-level `fn` called `name` in a parsed file.
fn find_fn<'a>(file: &'a syn::File, name: &str) -> Option<&'a syn::ItemFn> {
    file.items.iter().find_map(|item| match item {
        syn::Item::Fn(f) if f.sig.ident == name => Some(f),
        _ => None,
    })
}

/// The stub of one exercise: its doc comment, its exact signature, and a body of TODOs.
pub fn render_stub(root: &Path, catalog: &Catalog, id: &str) -> Result<String> {
    let ex = catalog.exercise(id)?;
    let (_, file, _) = defining_file(root, catalog, ex)?;
    let item = find_fn(&file, &ex.item)
        .ok_or_else(|| anyhow!("{id}: no `fn {}` in the library file", ex.item))?;
    // Keep only the doc comment and the signature; prettyplease prints `{}` for the body.
    let mut shell = item.clone();
    shell.attrs.retain(|a| a.path().is_ident("doc"));
    shell.block = Box::new(syn::parse_quote!({}));
    let printed = prettyplease::unparse(&syn::File {
        shebang: None,
        attrs: vec![],
        items: vec![shell.into()],
    });
    let head = printed
        .trim_end()
        .strip_suffix("{}")
        .ok_or_else(|| anyhow!("{id}: unexpected signature shape"))?;
    let mut out = String::from(head);
    out.push_str("{\n");
    for step in &ex.todo {
        let mut lines = step.lines();
        out.push_str(&format!("    // TODO: {}\n", lines.next().unwrap_or("")));
        for line in lines {
            out.push_str(&format!("    //       {line}\n"));
        }
    }
    out.push_str(&format!("    todo!(\"{NOT_STARTED}: `cargo course hint {id}`\")\n}}\n"));
    Ok(out)
}

/// The library's own code for an exercise, comments included, exactly as in the file.
pub fn solution_source(root: &Path, catalog: &Catalog, id: &str) -> Result<String> {
    let ex = catalog.exercise(id)?;
    let (_, file, text) = defining_file(root, catalog, ex)?;
    let item = find_fn(&file, &ex.item)
        .ok_or_else(|| anyhow!("{id}: no `fn {}` in the library", ex.item))?;
    let lines: Vec<&str> = text.lines().collect();
    let (start, end) = (item.span().start().line, item.span().end().line);
    Ok(lines[start - 1..end].join("\n") + "\n")
}

/// The whole exercise file of a section: a header with the task, the library file's
/// imports rewritten for the learner's crate (types only, never functions: see `imports`),
/// and one stub per exercise.
pub fn render_section(root: &Path, catalog: &Catalog, section: &Section) -> Result<String> {
    let (file, _) = library_file(root, section)?;
    let mut out =
        format!("//! §{} {} ({}): exercises.\n//!\n", section.id, section.title, section.title_zh);
    for line in section.task.trim_end().lines() {
        out.push_str(if line.is_empty() { "//!\n" } else { "//! " });
        if !line.is_empty() {
            out.push_str(line);
            out.push('\n');
        }
    }
    out.push_str(&format!(
        "//!\n//! Grade: `cargo course grade {id}` (or `cargo test -p exercises {u}`).\n\
         //! Read: `chapters/{page}`. Stuck? `cargo course hint ID`.\n\
         //! Generated by `cargo course stubs` from the library; edit the bodies, not the signatures.\n\n",
        id = section.id,
        u = section.id.replace('.', "_"),
        page = section.page,
    ));
    // The imports of the section's file, then those of the files its re-exported
    // exercises live in (their signatures may name types the section's file never uses),
    // each import once.
    let mut uses = imports::stub_imports(root, &section.module, &file, false)?;
    let mut homes = vec![];
    for ex in catalog.exercises_in(&section.id) {
        let (home, home_file, _) = defining_file(root, catalog, ex)?;
        if home != section.module && !homes.contains(&home) {
            uses.extend(imports::stub_imports(root, &home, &home_file, true)?);
            homes.push(home);
        }
    }
    // Several files' imports can overlap: merge them so that each name comes once.
    let uses = if homes.is_empty() { uses } else { imports::merged(&uses)? };
    out.push_str(&uses.concat());
    for ex in catalog.exercises_in(&section.id) {
        out.push('\n');
        out.push_str(&render_stub(root, catalog, &ex.id)?);
    }
    Ok(out)
}

/// Every generated file of the exercises crate, as (path relative to `root`, contents).
pub fn render_all(root: &Path, catalog: &Catalog) -> Result<Vec<(PathBuf, String)>> {
    let mut files = vec![];
    let mut lib = String::from(
        "//! Your exercises. Each module mirrors the library module of the same name; fill in\n\
         //! the `todo!()` bodies and grade with `cargo course grade`.\n\
         //! Generated by `cargo course stubs`.\n\
         // Untouched stubs do not use their arguments yet.\n\
         #![allow(unused_variables)]\n\n",
    );
    for (chapter, sections) in catalog.chapters() {
        lib.push_str(&format!("pub mod {chapter};\n"));
        let mut m = String::new();
        for s in &sections {
            m.push_str(&format!("pub mod {};\n", s.file_stem()));
            let text = rustfmt(root, &render_section(root, catalog, s)?)?;
            files.push((PathBuf::from("exercises/src").join(format!("{}.rs", s.module)), text));
        }
        files.push((
            PathBuf::from("exercises/src").join(chapter).join("mod.rs"),
            rustfmt(root, &m)?,
        ));
    }
    files.insert(0, (PathBuf::from("exercises/src/lib.rs"), rustfmt(root, &lib)?));
    Ok(files)
}

/// Formats generated code with the project's `rustfmt.toml`, so that the committed stubs
/// pass `cargo fmt --check` exactly as generated.
fn rustfmt(root: &Path, code: &str) -> Result<String> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2021", "--emit", "stdout", "--config-path"])
        .arg(root.join("rustfmt.toml"))
        // rustfmt needs an existing working directory, which the caller's may no longer be.
        .current_dir(root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("running rustfmt (install it with `rustup component add rustfmt`)")?;
    child.stdin.take().expect("piped stdin").write_all(code.as_bytes())?;
    let out = child.wait_with_output()?;
    if !out.status.success() {
        bail!("rustfmt failed on generated code: {}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(String::from_utf8(out.stdout)?)
}

/// Writes every generated file of the exercises crate; returns the paths written.
/// Learners call this through `cargo course stubs --force`; it overwrites their work.
pub fn write_all(root: &Path) -> Result<Vec<PathBuf>> {
    let catalog = Catalog::load(root)?;
    let mut written = vec![];
    for (path, text) in render_all(root, &catalog)? {
        let full = root.join(&path);
        std::fs::create_dir_all(full.parent().expect("generated paths have a parent"))?;
        std::fs::write(&full, text).with_context(|| format!("writing {}", full.display()))?;
        written.push(path);
    }
    Ok(written)
}

/// The generated files whose committed copy differs from what the generator writes today
/// (CI runs this on a clean clone, where `exercises/` must hold the pristine stubs).
pub fn stale_files(root: &Path) -> Result<Vec<PathBuf>> {
    let catalog = Catalog::load(root)?;
    let mut stale = vec![];
    for (path, text) in render_all(root, &catalog)? {
        if std::fs::read_to_string(root.join(&path)).ok().as_deref() != Some(text.as_str()) {
            stale.push(path);
        }
    }
    Ok(stale)
}

/// The pristine stubs as one file of inline modules, for `include!` by the graded suites:
/// they prove that every suite fails on untouched stubs, whatever the learner's copy holds.
pub fn render_inline(root: &Path, catalog: &Catalog) -> Result<String> {
    let mut out = String::new();
    for (chapter, sections) in catalog.chapters() {
        out.push_str(&format!("pub mod {chapter} {{\n"));
        for s in sections {
            out.push_str(&format!(
                "pub mod {} {{\n{}\n}}\n",
                s.file_stem(),
                render_section(root, catalog, &s)?
            ));
        }
        out.push_str("}\n");
    }
    Ok(out)
}

/// Replaces the `fn item` in a learner's file by `stub`, leaving everything else as it is.
/// Fails when the file no longer parses; the caller then offers to reset the whole file.
pub fn replace_fn(file_text: &str, item: &str, stub: &str) -> Result<String> {
    let file = syn::parse_file(file_text).context("the file does not parse")?;
    let Some(f) = find_fn(&file, item) else { bail!("no `fn {item}` in the file") };
    let lines: Vec<&str> = file_text.lines().collect();
    let (start, end) = (f.span().start().line, f.span().end().line);
    let mut out: Vec<String> = lines[..start - 1].iter().map(|s| s.to_string()).collect();
    out.push(stub.trim_end().to_string());
    out.extend(lines[end..].iter().map(|s| s.to_string()));
    Ok(out.join("\n") + "\n")
}

/// The line range (1-based, inclusive) of `fn item` in a file, for mapping compiler errors
/// to exercises. `None` when the file does not parse or has no such function.
pub fn fn_lines(file_text: &str, item: &str) -> Option<(usize, usize)> {
    let file = syn::parse_file(file_text).ok()?;
    let f = find_fn(&file, item)?;
    Some((f.span().start().line, f.span().end().line))
}

#[cfg(test)]
mod tests;
