//! Does the learner's exercise call the library's own code? A stub that forwards to
//! `solutions::…::split_heads` returns exactly the library's values, so every value check
//! passes; only reading the source can tell. This is that reading, with `syn`.
//!
//! For one exercise `fn`, every path it uses (calls, function values, paths inside macro
//! calls) is resolved through the file's `use` items (top level and inside the `fn`, with
//! renames, module aliases, `extern crate … as`, and globs) and checked against the
//! library's source: a path that ends at a library *function* is reported. Types, traits,
//! consts and associated functions (`Mask::causal`) are the vocabulary the stubs import
//! and stay allowed. Local helper `fn`s that the exercise calls are read too, so moving
//! the call one function away does not hide it.
//!
//! Not caught: a trait method the library defines (`x.library_method()`), which would need
//! type information. PyTorch / HF have no equivalent: this is the course's anti-shortcut.

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::ToTokens;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// The library crate's name as the learner's crate sees it.
const LIBRARY: &str = "solutions";

/// Sentences naming each library function that `fn item` of `file` reaches, e.g. "your
/// `fn split_heads` calls the library's `solutions::foundations::self_attention::split_heads`".
/// `library` is the library's `src` folder. Empty when the file cannot be read or parsed:
/// then it does not compile either, and the grader reports that instead.
pub fn library_calls(file: &Path, item: &str, library: &Path) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(file) else { return vec![] };
    library_calls_in(&text, item, library)
}

/// [`library_calls`] on source text.
pub fn library_calls_in(source: &str, item: &str, library: &Path) -> Vec<String> {
    let Ok(file) = syn::parse_file(source) else { return vec![] };
    let mut top = Scope::default();
    let mut local_fns: BTreeMap<String, &syn::ItemFn> = BTreeMap::new();
    for it in &file.items {
        match it {
            syn::Item::Use(u) => top.add_use(&u.tree, vec![]),
            syn::Item::Fn(f) => {
                local_fns.insert(f.sig.ident.to_string(), f);
            }
            syn::Item::ExternCrate(e) => {
                if let Some((_, alias)) = &e.rename {
                    top.aliases.insert(alias.to_string(), vec![e.ident.to_string()]);
                }
            }
            _ => {}
        }
    }
    let mut library = Library { root: library.to_path_buf(), modules: HashMap::new() };
    let mut found: BTreeSet<String> = BTreeSet::new();
    let mut out = vec![];
    // Local fns reached from the exercise, each read once.
    let mut queue: Vec<(String, Option<String>)> = vec![(item.to_string(), None)];
    let mut read: BTreeSet<String> = BTreeSet::new();
    while let Some((name, via)) = queue.pop() {
        let Some(f) = local_fns.get(&name) else { continue };
        if !read.insert(name.clone()) {
            continue;
        }
        // `use` items inside the fn shadow the file's.
        let body = f.block.to_token_stream();
        let mut inner = Scope::default();
        collect_uses(body.clone(), &mut inner);
        let mut paths = vec![];
        collect_paths(body, &mut paths);
        for (segments, called) in paths {
            let first = segments[0].as_str();
            // Innermost scope first: the fn's own imports (a glob there shadows the
            // file's items), then the file's fns, then the file's imports.
            let glob = |globs: &[Vec<String>], library: &mut Library| {
                globs.iter().find_map(|g| {
                    let path = join(&top.expand(g), &segments);
                    library.is_function(&path).then_some(path)
                })
            };
            let inner_glob =
                if segments.len() == 1 { glob(&inner.globs, &mut library) } else { None };
            let resolved = if let Some(target) = inner.aliases.get(first) {
                Some(join(target, &segments[1..]))
            } else if inner_glob.is_some() {
                inner_glob
            } else if segments.len() == 1 && local_fns.contains_key(first) {
                if called {
                    // `via` names the first helper on the way, for the message.
                    queue.push((first.to_string(), via.clone().or_else(|| Some(first.into()))));
                }
                None
            } else if let Some(target) = top.aliases.get(first) {
                Some(join(target, &segments[1..]))
            } else if segments.len() == 1 {
                // Only a glob can bring a bare name in from the library.
                glob(&top.globs, &mut library)
            } else {
                Some(segments.clone())
            };
            let Some(path) = resolved.map(|p| top.expand(&p)) else { continue };
            if path.first().map(String::as_str) != Some(LIBRARY) || !library.is_function(&path) {
                continue;
            }
            let path = path.join("::");
            if found.insert(path.clone()) {
                let through = match via.as_deref() {
                    Some(helper) => format!(" (through your `fn {helper}`)"),
                    None => String::new(),
                };
                out.push(format!("your `fn {item}` calls the library's `{path}`{through}"));
            }
        }
    }
    out
}

fn join(a: &[String], b: &[String]) -> Vec<String> {
    a.iter().chain(b).cloned().collect()
}

/// What `use` items bring into scope: name -> full path, and glob prefixes.
#[derive(Default)]
struct Scope {
    aliases: BTreeMap<String, Vec<String>>,
    globs: Vec<Vec<String>>,
}

impl Scope {
    fn add_use(&mut self, tree: &syn::UseTree, prefix: Vec<String>) {
        match tree {
            syn::UseTree::Path(p) => {
                let mut prefix = prefix;
                prefix.push(p.ident.to_string());
                self.add_use(&p.tree, prefix);
            }
            syn::UseTree::Name(n) if n.ident == "self" => {
                if let Some(last) = prefix.last() {
                    self.aliases.insert(last.clone(), prefix.clone());
                }
            }
            syn::UseTree::Name(n) => {
                self.aliases.insert(n.ident.to_string(), join(&prefix, &[n.ident.to_string()]));
            }
            syn::UseTree::Rename(r) => {
                let target = if r.ident == "self" {
                    prefix.clone()
                } else {
                    join(&prefix, &[r.ident.to_string()])
                };
                self.aliases.insert(r.rename.to_string(), target);
            }
            syn::UseTree::Glob(_) => self.globs.push(prefix),
            syn::UseTree::Group(g) => {
                for t in &g.items {
                    self.add_use(t, prefix.clone());
                }
            }
        }
    }

    /// Follows aliases at the head of a path (`use solutions as s; use s::nlp;`) until it
    /// starts with a crate name; a few rounds are enough for any real file.
    fn expand(&self, path: &[String]) -> Vec<String> {
        let mut path = path.to_vec();
        for _ in 0..8 {
            let Some(first) = path.first() else { break };
            if first == LIBRARY {
                break;
            }
            match self.aliases.get(first) {
                Some(target) if target.first() != Some(first) => {
                    path = join(target, &path[1..]);
                }
                _ => break,
            }
        }
        path
    }
}

/// The `use` items anywhere in a body, found in its tokens (`use … ;`).
fn collect_uses(tokens: TokenStream, scope: &mut Scope) {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut i = 0;
    while i < trees.len() {
        match &trees[i] {
            TokenTree::Group(g) => collect_uses(g.stream(), scope),
            TokenTree::Ident(id) if id == "use" => {
                let end = (i..trees.len())
                    .find(|&j| matches!(&trees[j], TokenTree::Punct(p) if p.as_char() == ';'))
                    .unwrap_or(trees.len() - 1);
                let item: TokenStream = trees[i..=end].iter().cloned().collect();
                if let Ok(u) = syn::parse2::<syn::ItemUse>(item) {
                    scope.add_use(&u.tree, vec![]);
                }
                i = end;
            }
            _ => {}
        }
        i += 1;
    }
}

/// Every path in a body, macro arguments included (which `syn` leaves unparsed): runs of
/// `a::b::c` tokens, and single names followed by `(…)` (`called`), except after `.` (a
/// method) or `fn` (a definition). Working on tokens needs no `syn` feature beyond the
/// parser, so the course's dependencies are not rebuilt for it.
fn collect_paths(tokens: TokenStream, out: &mut Vec<(Vec<String>, bool)>) {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut i = 0;
    while i < trees.len() {
        match &trees[i] {
            TokenTree::Group(g) => {
                collect_paths(g.stream(), out);
                i += 1;
            }
            TokenTree::Ident(id) => {
                let after_dot_or_fn = i > 0
                    && match &trees[i - 1] {
                        TokenTree::Punct(p) => p.as_char() == '.',
                        TokenTree::Ident(prev) => prev == "fn" || prev == "use",
                        _ => false,
                    };
                let mut segments = vec![id.to_string()];
                let mut j = i + 1;
                // `:: ident` repeated; turbofish generics end the run.
                while let (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b))) =
                    (trees.get(j), trees.get(j + 1))
                {
                    if a.as_char() != ':' || b.as_char() != ':' {
                        break;
                    }
                    match trees.get(j + 2) {
                        Some(TokenTree::Ident(next)) => {
                            segments.push(next.to_string());
                            j += 3;
                        }
                        _ => break,
                    }
                }
                let called = matches!(
                    trees.get(j),
                    Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis
                );
                if !after_dot_or_fn && (segments.len() > 1 || called) {
                    out.push((segments, called));
                }
                i = j;
            }
            _ => i += 1,
        }
    }
}

/// The library's source, read lazily: which names each module defines as functions.
struct Library {
    root: PathBuf,
    modules: HashMap<Vec<String>, Option<BTreeSet<String>>>,
}

impl Library {
    /// Whether `solutions::a::b::f` names a function: `f` is a `fn` (or a lower-case
    /// re-export) of module `a::b`. When the module's file is not found, a path of
    /// lower-case segments only (module::function, never Type::method) counts.
    fn is_function(&mut self, path: &[String]) -> bool {
        let Some((name, module)) = path[1..].split_last() else { return false };
        if name.chars().next().is_some_and(|c| c.is_uppercase()) {
            return false;
        }
        match self.functions(module) {
            Some(fns) => fns.contains(name),
            None => module.iter().all(|s| s.chars().next().is_some_and(|c| c.is_lowercase())),
        }
    }

    fn functions(&mut self, module: &[String]) -> Option<&BTreeSet<String>> {
        let root = self.root.clone();
        self.modules
            .entry(module.to_vec())
            .or_insert_with(|| {
                let base = module.iter().fold(root.clone(), |p, s| p.join(s));
                let candidates = if module.is_empty() {
                    vec![root.join("lib.rs")]
                } else {
                    vec![base.with_extension("rs"), base.join("mod.rs")]
                };
                let text = candidates.iter().find_map(|p| std::fs::read_to_string(p).ok())?;
                let file = syn::parse_file(&text).ok()?;
                Some(module_functions(&file))
            })
            .as_ref()
    }
}

/// The names a module file defines as functions: its `fn`s, and the lower-case leaves of
/// its `pub use` re-exports (functions or modules; either gives access to library code).
pub fn module_functions(file: &syn::File) -> BTreeSet<String> {
    fn leaves(tree: &syn::UseTree, out: &mut BTreeSet<String>) {
        match tree {
            syn::UseTree::Path(p) => leaves(&p.tree, out),
            syn::UseTree::Name(n) if n.ident != "self" => {
                out.insert(n.ident.to_string());
            }
            syn::UseTree::Rename(r) => {
                out.insert(r.rename.to_string());
            }
            syn::UseTree::Group(g) => g.items.iter().for_each(|t| leaves(t, out)),
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    for item in &file.items {
        match item {
            syn::Item::Fn(f) => {
                out.insert(f.sig.ident.to_string());
            }
            syn::Item::Use(u) if matches!(u.vis, syn::Visibility::Public(_)) => {
                let mut names = BTreeSet::new();
                leaves(&u.tree, &mut names);
                out.extend(names.into_iter().filter(|n| n.starts_with(|c: char| c.is_lowercase())));
            }
            _ => {}
        }
    }
    out
}
