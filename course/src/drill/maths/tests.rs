//! Hand cases from the bank: each LaTeX form it uses, and what a reader should see.

use super::*;

#[test]
fn the_issues_examples_read_as_plain_text() {
    assert_eq!(to_text(r"d_\text{model} \times d_\text{model}"), "d_model × d_model");
    assert_eq!(to_text(r"\frac{1}{\sqrt{d_k}}"), "1/√d_k");
    assert_eq!(to_text(r"QK^\top"), "QKᵀ");
    assert_eq!(to_text(r"QK^T"), "QKᵀ");
    assert_eq!(to_text(r"1{,}048{,}576"), "1,048,576");
}

#[test]
fn symbols_greek_letters_and_blackboard_sets() {
    assert_eq!(to_text(r"\alpha \cdot \beta \le \gamma \approx \pi"), "α · β ≤ γ ≈ π");
    assert_eq!(to_text(r"A \in \mathbb R^{r \times k}"), "A ∈ ℝ^(r × k)");
    assert_eq!(to_text(r"\mathbb{R}^d"), "ℝ^d");
    assert_eq!(to_text(r"\mathcal L_\text{DPO}"), "ℒ_DPO");
    assert_eq!(to_text(r"\eta\,\hat m/(\sqrt{\hat v} + \epsilon)"), "η m\u{302}/(√v\u{302} + ε)");
}

#[test]
fn scripts_use_unicode_where_every_character_has_a_form() {
    assert_eq!(to_text("n^2 d"), "n² d");
    assert_eq!(to_text("10^{-4}"), "10⁻⁴");
    assert_eq!(to_text("x_1 + x_{12}"), "x₁ + x₁₂");
    assert_eq!(to_text("P(w_1 \\dots w_N)^{-1/N}"), "P(w₁ … w_N)^(-1/N)");
    assert_eq!(to_text(r"\sum_{i=1}^N"), "Σ_(i=1)^N");
    assert_eq!(to_text(r"p(w_i \mid w_{<i})"), "p(w_i | w_<i)");
}

#[test]
fn fractions_group_compound_operands_and_take_bare_digits() {
    assert_eq!(to_text(r"\frac{a+b}{2}"), "(a+b)/2");
    assert_eq!(to_text(r"\frac1N"), "1/N");
    assert_eq!(to_text(r"\tfrac12"), "1/2");
    assert_eq!(to_text(r"\frac{\alpha}{r}\,BAx"), "α/r BAx");
    assert_eq!(to_text(r"\binom42 = 6"), "C(4,2) = 6");
}

#[test]
fn functions_are_spaced_and_sizing_commands_vanish() {
    assert_eq!(to_text(r"-\log\sigma\Big(\beta\log x\Big)"), "-log σ(β log x)");
    assert_eq!(to_text(r"\exp(x)"), "exp(x)");
    assert_eq!(to_text(r"\operatorname{softmax}(x)"), "softmax(x)");
    assert_eq!(
        to_text(r"z' = \begin{cases} z/\theta & z > 0 \\ z\cdot\theta & z < 0 \end{cases}"),
        "z' = { z/θ z > 0 ; z·θ z < 0"
    );
    assert_eq!(to_text(r"B = \begin{pmatrix} B_1 \\ B_2 \end{pmatrix}"), "B = ( B₁ ; B₂ )");
    assert_eq!(to_text(r"\mathrm{KL}\big(p\,\|\,q\big)"), "KL(p ‖ q)");
}

#[test]
fn markdown_keeps_code_and_lone_dollars_and_converts_maths() {
    assert_eq!(inline("cost $O(n^2)$ and $$x_1$$."), "cost O(n²) and x₁.");
    assert_eq!(inline("code `$x$` stays, $5 stays"), "code `$x$` stays, $5 stays");
    assert_eq!(inline("```\nlet s = \"$a$\";\n```\n$a$"), "```\nlet s = \"$a$\";\n```\na");
    // Emphasis characters never come out of maths.
    assert_eq!(inline("$a * b$"), "a ∗ b");
}
