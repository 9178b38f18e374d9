//! The generated part of §3.6's page: `data/zoo.toml` rendered as two tables (architectures,
//! then sizes with the library's computed parameter counts) and one paragraph per model,
//! spliced between two markers of `chapters/03-architectures/06-model-zoo.md`. The prose
//! around the markers is written by hand.

use solutions::architectures::zoo::{grouped, short, Config, Model, Published, Zoo};
use std::fmt::Write;

/// The page that holds the zoo, relative to `chapters/`.
pub const PAGE: &str = "03-architectures/06-model-zoo.md";
pub const BEGIN: &str =
    "<!-- zoo:begin: generated from data/zoo.toml by `cargo course pages`; do not edit -->";
pub const END: &str = "<!-- zoo:end -->";

/// `page` with everything between the markers replaced by the rendered zoo.
pub fn splice(page: &str, zoo: &Zoo) -> Result<String, String> {
    let missing = || format!("chapters/{PAGE}: the markers `{BEGIN}` and `{END}` are missing");
    let start = page.find(BEGIN).ok_or_else(missing)? + BEGIN.len();
    let end = page[start..].find(END).ok_or_else(missing)? + start;
    Ok(format!("{}\n\n{}\n\n{}", &page[..start], render(zoo)?.trim_end(), &page[end..]))
}

/// The tables and paragraphs, in markdown.
pub fn render(zoo: &Zoo) -> Result<String, String> {
    let mut out = String::new();
    let w = &mut out;
    // `write!` into a String cannot fail, hence the `.ok()`s below.
    writeln!(w, "### Architectures\n").ok();
    writeln!(
        w,
        "| Model | Organisation | Year | Paper | Positions | Mask | Attention | Norm | MLP \
         | Context | Vocabulary | Training tokens |"
    )
    .ok();
    writeln!(w, "|{}", " --- |".repeat(12)).ok();
    for m in &zoo.model {
        let tokens = match (m.training_tokens, &m.tokens_note) {
            (Some(t), Some(note)) => format!("{} ({})", short(t), m.fill(note)?),
            (Some(t), None) => short(t),
            _ => "not stated".into(),
        };
        let mut norm = match (&m.norm, &m.norm_placement) {
            (Some(n), Some(p)) => format!("{n}, {p}"),
            (Some(n), None) => n.clone(),
            _ => "—".into(),
        };
        if configs(m).any(|(_, c)| c.embedding_norm) {
            norm.push_str(" + embedding norm");
        }
        let cells = [
            m.name.clone(),
            m.org.clone(),
            m.year.to_string(),
            format!("[{0}](https://arxiv.org/abs/{0})", m.paper),
            per_variant(m, |v| Some(v.positional.clone().unwrap_or_else(|| m.positional.clone()))),
            m.mask.clone(),
            per_variant(m, |v| v.config.map(|c| c.attention().name().to_string())),
            norm,
            m.activation.clone().unwrap_or_else(|| "—".into()),
            m.context.map_or("—".into(), grouped),
            per_variant(m, |v| v.config.map(|c| grouped(c.vocab))),
            tokens,
        ];
        writeln!(w, "| {} |", cells.join(" | ")).ok();
    }
    writeln!(w, "\n### Sizes\n").ok();
    writeln!(
        w,
        "Computed by `Config::param_count` in `solutions/src/architectures/zoo.rs` from each \
         public configuration. *Exact* means the published count has every digit and the \
         computed one equals it; *±* gives the tolerance of a rounded published size, one \
         unit of its last digit.\n"
    )
    .ok();
    writeln!(
        w,
        "| Model | Size | Layers | $d_\\text{{model}}$ | Heads (K/V) | FFN | Tied head | Biases \
         | Computed | Published | Agreement |"
    )
    .ok();
    writeln!(w, "|{}", " --- |".repeat(11)).ok();
    for m in &zoo.model {
        for v in &m.variant {
            let published = Published::parse(&v.published)?;
            let shape = match v.config {
                Some(c) => {
                    let count = c.param_count();
                    if !published.accepts(count) {
                        return Err(format!(
                            "{} {}: computed {count} vs {}",
                            m.name, v.name, v.published
                        ));
                    }
                    let agreement = if published.is_exact() {
                        "exact".to_string()
                    } else {
                        format!("± {}", short(published.tolerance))
                    };
                    vec![
                        c.layers.to_string(),
                        grouped(c.d_model),
                        format!("{}/{}", c.heads, c.kv_heads),
                        grouped(c.d_ff),
                        if c.tied { "yes" } else { "no" }.into(),
                        biases(&c),
                        grouped(count),
                        v.published.clone(),
                        agreement,
                    ]
                }
                None => {
                    let mut row = vec!["—".to_string(); 7];
                    row.extend([v.published.clone(), "no public config".into()]);
                    row
                }
            };
            writeln!(w, "| {} | {} | {} |", m.name, v.name, shape.join(" | ")).ok();
        }
    }
    writeln!(w, "\n### The models one by one\n").ok();
    for m in &zoo.model {
        writeln!(
            w,
            "**{}** ({}, {}, arXiv {}). {}",
            m.name,
            m.org,
            m.year,
            m.paper,
            m.paragraph()?
        )
        .ok();
        for v in m.variant.iter().filter(|v| v.counts.is_some()) {
            writeln!(w, "The {} count covers {}.", v.name, v.counts.as_deref().unwrap_or("")).ok();
        }
        writeln!(w).ok();
    }
    Ok(out)
}

fn configs(m: &Model) -> impl Iterator<Item = (&str, Config)> {
    m.variant.iter().filter_map(|v| v.config.map(|c| (v.name.as_str(), c)))
}

/// One value for the model, or "A (7B, 13B); B (70B)" when its sizes differ.
fn per_variant(
    m: &Model,
    cell: impl Fn(&solutions::architectures::zoo::Variant) -> Option<String>,
) -> String {
    let mut groups: Vec<(String, Vec<&str>)> = vec![];
    for v in &m.variant {
        let Some(value) = cell(v) else { continue };
        match groups.iter_mut().find(|(g, _)| *g == value) {
            Some((_, names)) => names.push(&v.name),
            None => groups.push((value, vec![&v.name])),
        }
    }
    match groups.len() {
        0 => "—".into(),
        1 => groups.remove(0).0,
        _ => groups
            .iter()
            .map(|(value, names)| format!("{value} ({})", names.join(", ")))
            .collect::<Vec<_>>()
            .join("; "),
    }
}

fn biases(c: &Config) -> String {
    let parts: Vec<&str> = [(c.qkv_bias, "QKV"), (c.out_bias, "out"), (c.mlp_bias, "MLP")]
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, name)| *name)
        .collect();
    if parts.is_empty() {
        "none".into()
    } else {
        parts.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use solutions::architectures::zoo::zoo;

    #[test]
    fn pages_zoo_shows_every_model_size_and_count() {
        let zoo = zoo();
        let text = render(&zoo).unwrap();
        for m in &zoo.model {
            assert!(text.contains(&format!("| {} |", m.name)), "{} missing", m.name);
            assert!(text.contains(&m.paper), "{}: paper", m.name);
            for v in m.variant.iter().filter_map(|v| v.config) {
                assert!(text.contains(&grouped(v.param_count())), "{}: count", m.name);
            }
        }
        assert!(text.contains("| Llama 2 | 7B | 32 | 4,096 | 32/32 | 11,008 | no | none | 6,738,415,616 | 6,738,415,616 | exact |"));
        assert!(text.contains("MHA (7B, 13B); GQA (70B)"), "Llama 2's attention cell");
        assert!(text.contains("RoPE (7B); ALiBi (13B)"), "Baichuan 2's positions cell");
        assert!(text.contains("LayerNorm, pre + embedding norm"), "BLOOM's norm cell");
        assert!(!text.replace("\\text{model}", "").contains('{'), "an unfilled placeholder");
    }

    #[test]
    fn pages_zoo_splice_replaces_only_between_the_markers() {
        let page = format!("# Title\n\n{BEGIN}\nold\n{END}\n\n## After\n");
        let zoo = zoo();
        let spliced = splice(&page, &zoo).unwrap();
        assert!(spliced.starts_with(&format!("# Title\n\n{BEGIN}\n\n### Architectures")));
        assert!(spliced.ends_with(&format!("{END}\n\n## After\n")) && !spliced.contains("old"));
        assert_eq!(splice(&spliced, &zoo).unwrap(), spliced, "splicing twice changes nothing");
        assert!(splice("# no markers", &zoo).unwrap_err().contains("markers"));
    }

    /// Outside the generated part, the page's prose quotes no number of its own: only section
    /// numbers (§3.3), link targets and the zoo's names, so every number comes from the data.
    #[test]
    fn pages_zoo_prose_has_no_numbers_of_its_own() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let page = std::fs::read_to_string(root.join("chapters").join(PAGE)).unwrap();
        let (before, rest) = page.split_once(BEGIN).unwrap();
        let after = rest.split_once(END).unwrap().1;
        // The title line carries the section number.
        let mut prose = format!("{}{after}", before.split_once('\n').unwrap().1);
        for name in zoo().model.iter().map(|m| m.name.clone()) {
            prose = prose.replace(&name, "");
        }
        let mut bare = String::new();
        let mut rest = prose.as_str();
        // Drop link targets `](...)`, includes `{{...}}`, section numbers `§3.3` and maths
        // `$4d$` (a formula's constants are not facts about a model).
        loop {
            let cut = [rest.find("]("), rest.find("{{"), rest.find('§'), rest.find('$')];
            let Some(at) = cut.iter().flatten().min().copied() else { break };
            bare.push_str(&rest[..at]);
            rest = if rest[at..].starts_with("](") {
                &rest[at + rest[at..].find(')').unwrap() + 1..]
            } else if rest[at..].starts_with('$') {
                &rest[at + 1 + rest[at + 1..].find('$').unwrap() + 1..]
            } else if rest[at..].starts_with("{{") {
                &rest[at + rest[at..].find("}}").unwrap() + 2..]
            } else {
                rest[at + '§'.len_utf8()..]
                    .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.')
            };
        }
        bare.push_str(rest);
        if let Some(pos) = bare.find(|c: char| c.is_ascii_digit()) {
            let near: String = bare[pos.saturating_sub(40)..].chars().take(60).collect();
            panic!(
                "{PAGE}: a number in the hand-written prose near {near:?}; put it in data/zoo.toml"
            );
        }
    }

    /// The committed page is what the data renders to (CI also runs `--check`).
    #[test]
    fn pages_zoo_committed_page_is_up_to_date() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let page = std::fs::read_to_string(root.join("chapters").join(PAGE)).unwrap();
        assert!(
            page == splice(&page, &zoo()).unwrap(),
            "{PAGE} is stale: run `cargo course pages`"
        );
    }
}
