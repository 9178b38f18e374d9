//! The `use` lines of an exercise file: the library file's own imports and the library
//! module's types, but never a library *function*.
//!
//! Subtle: a stub used to glob-import its library module (`use solutions::…::*`), which
//! put the library's `split_heads` in scope of the learner's file; any call the learner
//! made to a function they had not written yet silently reached the library. Now the
//! module's non-function items are listed by name (found with `syn`), and function leaves
//! are dropped from the copied imports. `library_calls` catches explicit paths.

use anyhow::Result;
use std::path::Path;

/// The import lines for `section`'s exercise file, as Rust source.
/// `module` is the library module `file` is ("foundations/rope"); one item per `use`.
/// `sibling` says that `file` is not the section's own module but one its exercises are
/// re-exported from: its `super::` paths then name the library (the learner has no such
/// sibling module), so they are read as `crate::<parent>::`.
pub(crate) fn stub_imports(
    root: &Path,
    module: &str,
    file: &syn::File,
    sibling: bool,
) -> Result<Vec<String>> {
    let library = root.join("solutions/src");
    let mut out = vec![];
    // The library's imports, with `crate::` meaning the library.
    for item in &file.items {
        let syn::Item::Use(u) = item else { continue };
        let mut u = u.clone();
        if let (true, syn::UseTree::Path(p)) = (sibling, &u.tree) {
            if p.ident == "super" {
                let parent = module.rsplit_once('/').map_or("", |(p, _)| p).replace('/', "::");
                let rest = &p.tree;
                let parent = if parent.is_empty() { parent } else { parent + "::" };
                let text = format!("use crate::{parent}{};", quote::quote!(#rest));
                u.tree = syn::parse_str::<syn::ItemUse>(&text)?.tree;
            }
        }
        let Some(tree) = without_functions(&u.tree, &library, &mut vec![]) else { continue };
        u.tree = tree;
        let text = quote::quote!(#u).to_string().replace("crate ::", "solutions ::");
        let mut parsed: syn::ItemUse = syn::parse_str(&text)?;
        // A stub may not need every import its library file needs.
        parsed.attrs.push(syn::parse_quote!(#[allow(unused_imports)]));
        out.push(unparse(parsed.into()));
    }
    // The module's own types, traits and constants, by name.
    let names = vocabulary(file);
    if !names.is_empty() {
        let module = module.replace('/', "::");
        let list = names.join(", ");
        let item: syn::Item = syn::parse_str(&format!(
            "#[allow(unused_imports)] use solutions::{module}::{{{list}}};"
        ))?;
        out.push(unparse(item));
    }
    Ok(out)
}

fn unparse(item: syn::Item) -> String {
    prettyplease::unparse(&syn::File { shebang: None, attrs: vec![], items: vec![item] })
}

/// The public non-function items a module defines: structs, enums, unions, type aliases,
/// traits, consts and statics, in file order.
pub fn vocabulary(file: &syn::File) -> Vec<String> {
    let public = |v: &syn::Visibility| matches!(v, syn::Visibility::Public(_));
    file.items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(i) if public(&i.vis) => Some(i.ident.to_string()),
            syn::Item::Enum(i) if public(&i.vis) => Some(i.ident.to_string()),
            syn::Item::Union(i) if public(&i.vis) => Some(i.ident.to_string()),
            syn::Item::Type(i) if public(&i.vis) => Some(i.ident.to_string()),
            syn::Item::Trait(i) if public(&i.vis) => Some(i.ident.to_string()),
            syn::Item::Const(i) if public(&i.vis) => Some(i.ident.to_string()),
            syn::Item::Static(i) if public(&i.vis) => Some(i.ident.to_string()),
            _ => None,
        })
        .collect()
}

/// The use tree without the leaves that name a library function; `None` when nothing is
/// left. Only `crate::` paths (the library) are filtered: `super::rope::rope_frequencies`
/// in an exercise file is the learner's own function, and other crates are not ours.
fn without_functions(
    tree: &syn::UseTree,
    library: &Path,
    prefix: &mut Vec<String>,
) -> Option<syn::UseTree> {
    use syn::UseTree;
    let is_function = |prefix: &[String], name: &syn::Ident| {
        if prefix.first().map(String::as_str) != Some("crate") || name == "self" {
            return false;
        }
        let name = name.to_string();
        if !name.starts_with(|c: char| c.is_lowercase()) {
            return false; // a type, trait or constant
        }
        // A lower-case leaf is a module (kept: its types may appear in signatures, and
        // calls through it are caught by `library_calls`) or a function.
        let dir = prefix[1..].iter().fold(library.to_path_buf(), |p, s| p.join(s)).join(&name);
        !(dir.with_extension("rs").is_file() || dir.join("mod.rs").is_file())
    };
    match tree {
        UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            let inner = without_functions(&p.tree, library, prefix);
            prefix.pop();
            let mut p = p.clone();
            p.tree = Box::new(inner?);
            Some(UseTree::Path(p))
        }
        UseTree::Name(n) => (!is_function(prefix, &n.ident)).then(|| tree.clone()),
        UseTree::Rename(r) => (!is_function(prefix, &r.ident)).then(|| tree.clone()),
        UseTree::Glob(_) => Some(tree.clone()),
        UseTree::Group(g) => {
            let mut g = g.clone();
            let kept: Vec<UseTree> =
                g.items.iter().filter_map(|t| without_functions(t, library, prefix)).collect();
            if kept.is_empty() {
                return None;
            }
            g.items = kept.into_iter().collect();
            Some(UseTree::Group(g))
        }
    }
}

/// The imports of several library files as one list: each imported name once, grouped
/// by path. Two files may import overlapping groups from one module (`{Dyn, Matrix}` and
/// `{Dyn, Matrix, Vector}`), which as written would import a name twice, an error.
pub(crate) fn merged(uses: &[String]) -> Result<Vec<String>> {
    // (path, leaves) in order of first appearance, so that output is stable.
    let mut groups: Vec<(String, Vec<String>)> = vec![];
    for u in uses {
        let item: syn::ItemUse = syn::parse_str(u)?;
        let mut leaves = vec![];
        flatten(&item.tree, &mut vec![], &mut leaves);
        for (path, leaf) in leaves {
            match groups.iter_mut().find(|(p, _)| *p == path) {
                Some((_, names)) if names.contains(&leaf) => {}
                Some((_, names)) => names.push(leaf),
                None => groups.push((path, vec![leaf])),
            }
        }
    }
    groups
        .into_iter()
        .map(|(path, names)| {
            let list = if names.len() == 1 {
                names[0].clone()
            } else {
                format!("{{{}}}", names.join(", "))
            };
            let text = format!("#[allow(unused_imports)] use {path}::{list};");
            Ok(unparse(syn::parse_str(&text)?))
        })
        .collect()
}

/// Every leaf of a use tree as (its path joined by `::`, the leaf: a name, `name as alias`
/// or `*`).
fn flatten(tree: &syn::UseTree, prefix: &mut Vec<String>, out: &mut Vec<(String, String)>) {
    use syn::UseTree;
    match tree {
        UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            flatten(&p.tree, prefix, out);
            prefix.pop();
        }
        UseTree::Name(n) => out.push((prefix.join("::"), n.ident.to_string())),
        UseTree::Rename(r) => out.push((prefix.join("::"), format!("{} as {}", r.ident, r.rename))),
        UseTree::Glob(_) => out.push((prefix.join("::"), "*".into())),
        UseTree::Group(g) => g.items.iter().for_each(|t| flatten(t, prefix, out)),
    }
}
