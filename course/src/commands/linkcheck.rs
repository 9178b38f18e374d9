//! The book's link checker: every relative `href` and `src` in the built HTML must name a
//! file that exists, and every `#fragment` an element id in that file.
//!
//! mdBook writes every chapter link as a relative link to a `.html` file, so checking the
//! output catches a renamed page, a mistyped path and a stale heading anchor alike. It
//! replaces the `mdbook-linkcheck` plugin, whose from-source install took five minutes of
//! every fresh CI machine. Web links are not followed: the book must build offline.

use anyhow::{Context, Result};
use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

/// One broken link: the page it is on, the link, and why it is broken.
#[derive(Debug, PartialEq, Eq)]
pub struct Broken {
    pub page: PathBuf,
    pub link: String,
    pub reason: &'static str,
}

/// Checks every `.html` file under `site` (the built book).
pub fn check_site(site: &Path) -> Result<Vec<Broken>> {
    let mut pages = HashMap::new();
    collect_html(site, site, &mut pages)?;
    let ids: HashMap<&PathBuf, HashSet<String>> = pages
        .iter()
        .map(|(path, html)| (path, attribute_values(html, "id").into_iter().collect()))
        .collect();
    let mut broken = vec![];
    for (page, html) in &pages {
        let links = attribute_values(html, "href").into_iter().chain(attribute_values(html, "src"));
        for link in links {
            if let Some(reason) = check_link(site, page, &link, &ids) {
                broken.push(Broken { page: page.clone(), link, reason });
            }
        }
    }
    broken.sort_by(|a, b| (&a.page, &a.link).cmp(&(&b.page, &b.link)));
    broken.dedup();
    Ok(broken)
}

/// Why `link` on `page` (relative to `site`) is broken, or `None` when it is fine.
fn check_link(
    site: &Path,
    page: &Path,
    link: &str,
    ids: &HashMap<&PathBuf, HashSet<String>>,
) -> Option<&'static str> {
    // Web, mail and data links are out of scope offline: the book must build without a network.
    let external = ["http://", "https://", "mailto:", "data:", "javascript:", "//"];
    if external.iter().any(|p| link.starts_with(p)) || link.is_empty() {
        return None;
    }
    let (path, fragment) = link.split_once('#').map_or((link, None), |(p, f)| (p, Some(f)));
    let path = path.split('?').next().unwrap_or_default();
    let target = if path.is_empty() {
        page.to_path_buf()
    } else {
        let Some(joined) = normalize(&page.parent().unwrap_or(Path::new("")).join(path)) else {
            return Some("points outside the book");
        };
        if path.ends_with('/') {
            joined.join("index.html")
        } else {
            joined
        }
    };
    if !site.join(&target).is_file() {
        return Some("no such file");
    }
    match (fragment, ids.get(&target)) {
        (Some(f), Some(known)) if !f.is_empty() && !known.contains(&decode(f)) => {
            Some("no element with this id on the target page")
        }
        _ => None,
    }
}

/// `a/b/../c` → `a/c`; `None` when the path climbs out of the site.
fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            // Climbing above the site's root leaves the book.
            Component::ParentDir if !out.pop() => return None,
            Component::ParentDir => {}
            Component::Normal(p) => out.push(p),
            _ => {}
        }
    }
    Some(out)
}

/// Percent-decodes a fragment (mdBook writes ids as they are, links may be encoded).
fn decode(fragment: &str) -> String {
    let bytes = fragment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The values of `name="…"` attributes in an HTML text, entity `&amp;` decoded. A plain
/// scan is enough: mdBook's output always quotes attributes with `"`.
fn attribute_values(html: &str, name: &str) -> Vec<String> {
    let needle = format!(" {name}=\"");
    let values = html.match_indices(needle.as_str()).filter_map(|(at, _)| {
        let rest = &html[at + needle.len()..];
        rest.find('"').map(|end| rest[..end].replace("&amp;", "&"))
    });
    values.collect()
}

fn collect_html(site: &Path, dir: &Path, pages: &mut HashMap<PathBuf, String>) -> Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            collect_html(site, &path, pages)?;
        } else if path.extension().is_some_and(|e| e == "html") {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("reading {}", path.display()))?;
            pages.insert(path.strip_prefix(site).unwrap_or(&path).to_path_buf(), text);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    #[test]
    fn good_links_pass_and_each_kind_of_broken_link_is_named() {
        let dir = site(&[
            (
                "index.html",
                r##"<a href="ch/a.html#key-ideas">a</a> <a href="https://x.org/y">web</a>"##,
            ),
            (
                "ch/a.html",
                r##"<h2 id="key-ideas"></h2><img src="../figures/f.svg"> <a href="#key-ideas">top</a>
                   <a href="b.html">gone</a> <a href="../index.html#nope">stale</a>
                   <a href="../../outside.html">out</a> <a href="a.html#%6Bey-ideas">encoded</a>"##,
            ),
            ("figures/f.svg", "<svg/>"),
        ]);
        let broken = check_site(dir.path()).unwrap();
        let found: Vec<(&str, &str)> = broken.iter().map(|b| (b.link.as_str(), b.reason)).collect();
        assert_eq!(
            found,
            [
                ("../../outside.html", "points outside the book"),
                ("../index.html#nope", "no element with this id on the target page"),
                ("b.html", "no such file"),
            ]
        );
        assert!(broken.iter().all(|b| b.page == Path::new("ch/a.html")));
    }
}
