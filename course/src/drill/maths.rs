//! LaTeX maths as readable terminal text: `$d_\text{model} \times d_\text{model}$` becomes
//! `d_model × d_model`, `\frac{1}{\sqrt{d_k}}` becomes `1/√d_k`, `QK^\top` becomes `QKᵀ`,
//! `1{,}048{,}576` becomes `1,048,576`. The book renders the same source with KaTeX; a
//! terminal cannot, so this is the plain-text reading a person would say aloud.
//!
//! [`inline`] finds the `$…$` and `$$…$$` spans of a markdown text (not inside code) and
//! replaces each with [`to_text`] of its body. Superscripts and subscripts become Unicode
//! where every character has a form (`n^2` → `n²`, `x_1` → `x₁`, `10^{-4}` → `10⁻⁴`);
//! otherwise they stay readable as `_k`, `_model`, `^(-1/N)`, the way people type maths.

/// Markdown with every maths span replaced by its text; code spans and fenced code blocks
/// are left alone, and a `$` without a partner on its line is a dollar sign, kept.
pub fn inline(markdown: &str) -> String {
    let mut out = vec![];
    let mut in_fence = false;
    for line in markdown.split('\n') {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
        }
        out.push(if in_fence || line.trim_start().starts_with("```") {
            line.to_string()
        } else {
            inline_line(line)
        });
    }
    out.join("\n")
}

fn inline_line(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(start) = rest.find(['$', '`']) {
        out += &rest[..start];
        let tail = &rest[start..];
        // A code span runs to the next backtick run of the same length.
        if tail.starts_with('`') {
            let ticks = tail.len() - tail.trim_start_matches('`').len();
            let fence = &tail[..ticks];
            match tail[ticks..].find(fence) {
                Some(end) => {
                    out += &tail[..ticks + end + ticks];
                    rest = &tail[ticks + end + ticks..];
                }
                None => {
                    out += tail;
                    rest = "";
                }
            }
            continue;
        }
        let delimiter = if tail.starts_with("$$") { "$$" } else { "$" };
        let body = &tail[delimiter.len()..];
        match body.find(delimiter).filter(|&end| end > 0) {
            Some(end) => {
                out += &to_text(&body[..end]);
                rest = &body[end + delimiter.len()..];
            }
            None => {
                out += delimiter;
                rest = body;
            }
        }
    }
    out + rest
}

/// The text of one LaTeX maths expression.
pub fn to_text(latex: &str) -> String {
    let mut p = Parser { chars: latex.chars().collect(), i: 0 };
    let text = p.sequence(None);
    // Runs of spaces from `\,`, `\quad` and source spacing read as one.
    text.split(' ').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

struct Parser {
    chars: Vec<char>,
    i: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.i).copied()
    }

    /// Everything up to `stop` (consumed) or the end.
    fn sequence(&mut self, stop: Option<char>) -> String {
        let mut out = String::new();
        while let Some(c) = self.peek() {
            if Some(c) == stop {
                self.i += 1;
                break;
            }
            self.i += 1;
            match c {
                '{' => out += &self.sequence(Some('}')),
                '^' => out += &superscript(&self.argument()),
                '_' => out += &subscript(&self.argument()),
                '\\' => {
                    let (text, function) = self.command();
                    // Function names (log, exp, min) are set apart from letters around them,
                    // as LaTeX's spacing does: `\beta\log\pi` reads "β log π".
                    if function && out.chars().last().is_some_and(char::is_alphanumeric) {
                        out.push(' ');
                    }
                    out += &text;
                    let next = self.peek();
                    if function && next.is_some_and(|n| n.is_alphanumeric() || n == '\\') {
                        out.push(' ');
                    }
                }
                '&' => out.push(' '),
                '~' => out.push(' '),
                // `*` would start markdown emphasis once the maths is plain text.
                '*' => out.push('∗'),
                c => out.push(c),
            }
        }
        out
    }

    /// One argument of a command or a script: a `{group}`, a `\command`, or one character.
    fn argument(&mut self) -> String {
        while self.peek() == Some(' ') {
            self.i += 1;
        }
        match self.peek() {
            None => String::new(),
            Some('{') => {
                self.i += 1;
                self.sequence(Some('}'))
            }
            Some('\\') => {
                self.i += 1;
                self.command().0
            }
            Some(c) => {
                self.i += 1;
                c.to_string()
            }
        }
    }

    /// After a backslash: the command's text, and whether it is a function name.
    fn command(&mut self) -> (String, bool) {
        let start = self.i;
        while self.peek().is_some_and(|c| c.is_ascii_alphabetic()) {
            self.i += 1;
        }
        if self.i == start {
            // A one-character command: `\,`, `\{`, `\|`, `\\`.
            let Some(c) = self.peek() else { return (String::new(), false) };
            self.i += 1;
            let text = match c {
                ',' | ';' | ':' | ' ' => " ",
                '!' => "",
                '|' => "‖",
                '\\' => "; ",
                other => return (other.to_string(), false),
            };
            return (text.to_string(), false);
        }
        let name: String = self.chars[start..self.i].iter().collect();
        if FUNCTIONS.contains(&name.as_str()) {
            return (name, true);
        }
        if let Some(symbol) = symbol(&name) {
            return (symbol.to_string(), false);
        }
        let text = match name.as_str() {
            "text" | "mathrm" | "operatorname" | "textrm" | "mathit" | "textit" | "mathbf"
            | "textbf" | "boldsymbol" | "mathsf" | "texttt" | "emph" | "boxed" => {
                return (self.argument(), name == "operatorname");
            }
            "frac" | "tfrac" | "dfrac" => {
                let (a, b) = (self.argument(), self.argument());
                format!("{}/{}", grouped(&a), grouped(&b))
            }
            "binom" => {
                let (n, k) = (self.argument(), self.argument());
                format!("C({n},{k})")
            }
            "sqrt" => format!("√{}", grouped(&self.argument())),
            "mathbb" => {
                let a = self.argument();
                match a.as_str() {
                    "R" => "ℝ",
                    "N" => "ℕ",
                    "Z" => "ℤ",
                    "Q" => "ℚ",
                    "C" => "ℂ",
                    "E" => "𝔼",
                    "P" => "ℙ",
                    _ => return (a, false),
                }
                .to_string()
            }
            "mathcal" => {
                let a = self.argument();
                if a == "L" {
                    "ℒ".to_string()
                } else {
                    a
                }
            }
            // Accents combine with the character they sit on: v̂, x̄.
            "hat" | "widehat" => self.argument() + "\u{302}",
            "bar" | "overline" => self.argument() + "\u{304}",
            "tilde" | "widetilde" => self.argument() + "\u{303}",
            "vec" => self.argument() + "\u{20d7}",
            "dot" => self.argument() + "\u{307}",
            "begin" | "end" => {
                let env = self.argument();
                let open = name == "begin";
                match env.as_str() {
                    "pmatrix" => (if open { "(" } else { ")" }).to_string(),
                    "bmatrix" => (if open { "[" } else { "]" }).to_string(),
                    "cases" => (if open { "{ " } else { "" }).to_string(),
                    _ => String::new(),
                }
            }
            // Sizing and spacing: nothing to print.
            "left" | "right" | "big" | "Big" | "bigg" | "Bigg" | "bigl" | "bigr" | "Bigl"
            | "Bigr" | "displaystyle" | "limits" | "nolimits" => String::new(),
            "quad" => " ".to_string(),
            "qquad" => "  ".to_string(),
            // Anything else reads as its name, never as a backslash.
            _ => name,
        };
        (text, false)
    }
}

/// `(a+b)` for a compound operand of `/` or `√`, `a` for a simple one.
fn grouped(s: &str) -> String {
    let s = s.trim();
    let simple = !s.contains([' ', '+', '-', '/', '·', '×', '=', ',']);
    if simple {
        s.to_string()
    } else {
        format!("({s})")
    }
}

const FUNCTIONS: [&str; 14] = [
    "log", "ln", "exp", "min", "max", "sin", "cos", "tan", "arg", "det", "lim", "sup", "inf", "Pr",
];

// Name and symbol, in pairs (a string, so that rustfmt keeps the table compact).
const SYMBOLS: &str = "alpha α beta β gamma γ delta δ epsilon ε varepsilon ε zeta ζ eta η \
    theta θ iota ι kappa κ lambda λ mu μ nu ν xi ξ pi π rho ρ sigma σ tau τ upsilon υ phi φ \
    varphi φ chi χ psi ψ omega ω Gamma Γ Delta Δ Theta Θ Lambda Λ Xi Ξ Pi Π Sigma Σ Phi Φ \
    Psi Ψ Omega Ω cdot · times × div ÷ pm ± le ≤ leq ≤ ge ≥ geq ≥ ne ≠ neq ≠ approx ≈ \
    sim ∼ equiv ≡ propto ∝ ll ≪ gg ≫ sum Σ prod ∏ infty ∞ partial ∂ nabla ∇ in ∈ to → \
    rightarrow → leftarrow ← Rightarrow ⇒ mapsto ↦ top ᵀ odot ⊙ otimes ⊗ oplus ⊕ mid | \
    langle ⟨ rangle ⟩ lceil ⌈ rceil ⌉ lfloor ⌊ rfloor ⌋ dots … ldots … cdots ⋯";

fn symbol(name: &str) -> Option<&'static str> {
    let words: Vec<&'static str> = SYMBOLS.split_whitespace().collect();
    words.chunks(2).find(|pair| pair[0] == name).map(|pair| pair[1])
}

// Characters and their superscript and subscript forms, position by position.
const PLAIN: &str = "0123456789+-=()ni";
const SUPER: &str = "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ";
const SUB: &str = "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎";

/// Unicode when every character has a form; otherwise `mark` and the text.
fn script(s: &str, forms: &str, mark: char) -> String {
    let s = s.trim();
    let form = |c: char| PLAIN.chars().position(|p| p == c).and_then(|i| forms.chars().nth(i));
    let mapped: Option<String> = s.chars().map(form).collect();
    match mapped {
        Some(m) if !m.is_empty() => m,
        // `_model` and `_<i` read as typed; a compound script needs its extent shown.
        _ if !s.contains([' ', '+', '-', '/', '=', ',']) => format!("{mark}{s}"),
        _ => format!("{mark}({s})"),
    }
}

fn superscript(s: &str) -> String {
    // A transpose, written `^\top` or `^T`.
    if s == "ᵀ" || s == "T" {
        return "ᵀ".to_string();
    }
    script(s, SUPER, '^')
}

fn subscript(s: &str) -> String {
    script(s, SUB, '_')
}

#[cfg(test)]
mod tests;
