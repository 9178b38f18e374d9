use super::*;

#[test]
fn uniform_model_has_perplexity_equal_to_its_vocabulary() {
    // Uniform over V: every token gets 1/V, the loss is ln V, the perplexity V.
    for v in [2.0, 65.0, 50257.0] {
        let ppl = perplexity_of_probs(&[1.0 / v; 17]);
        assert!(approx::abs_diff_eq!(ppl, v, epsilon = 1e-6 * v), "V = {v}: {ppl}");
        approx::assert_abs_diff_eq!(perplexity(&[-v.ln(); 17]), v, epsilon = 1e-6 * v);
        approx::assert_abs_diff_eq!(
            perplexity_from_loss(loss_from_perplexity(v)),
            v,
            epsilon = 1e-6 * v
        );
    }
    // The same through logits: equal logits over V = 65 give perplexity 65.
    let logits = Dev::default().tensor_from_vec(vec![0.3f32; 4 * 65], (4, 65));
    let ppl = perplexity_from_logits(logits, &[0, 7, 64, 3]);
    assert!(approx::abs_diff_eq!(ppl, 65.0, epsilon = 1e-3), "{ppl}");
}

/// Hand-worked: probabilities 1/2, 1/4, 1/8 multiply to 1/64, and 64^{1/3} = 4.
#[test]
fn hand_worked_three_tokens() {
    approx::assert_abs_diff_eq!(perplexity_of_probs(&[0.5, 0.25, 0.125]), 4.0, epsilon = 1e-12);
    let lp = [0.5f64.ln(), 0.25f64.ln(), 0.125f64.ln()];
    approx::assert_abs_diff_eq!(perplexity(&lp), 4.0, epsilon = 1e-12);
}

#[test]
fn log_space_survives_long_sequences() {
    // 0.1^1000 underflows to 0 in f64, but the perplexity is exactly 10.
    let ppl = perplexity_of_probs(&[0.1; 1000]);
    assert!(approx::abs_diff_eq!(ppl, 10.0, epsilon = 1e-9), "{ppl}");
    approx::assert_abs_diff_eq!(perplexity(&[0.1f64.ln(); 1000]), 10.0, epsilon = 1e-9);
}

#[test]
fn worked_examples() {
    // Loss 2 nats is e² ≈ 7.389; the GPT-2 vocabulary's uniform loss is ln 50257.
    approx::assert_abs_diff_eq!(perplexity_from_loss(2.0), 7.389_056_098_930_65, epsilon = 1e-12);
    approx::assert_abs_diff_eq!(loss_from_perplexity(50257.0), 10.824_905, epsilon = 1e-6);
    // One bit per token means a perplexity of 2.
    approx::assert_abs_diff_eq!(bits_per_token(std::f64::consts::LN_2), 1.0, epsilon = 1e-15);
}

/// Hand-worked logits: row (0, ln 2, 0) → p(1) = 2/4 = 1/2; row (0, 0, 0) → p(2) = 1/3;
/// the perplexity is (1/2 · 1/3)^{-1/2} = √6 ≈ 2.449. Shifting a row by 100 changes
/// nothing (softmax is shift-invariant; e^{100} would already overflow f32).
#[test]
fn logits_hand_worked_and_shift_invariant() {
    let dev = Dev::default();
    let ln2 = std::f32::consts::LN_2;
    let logits = dev.tensor_from_vec(vec![0.0, ln2, 0.0, 0.0, 0.0, 0.0], (2, 3));
    let lp = token_log_probs(logits, &[1, 2]).as_vec();
    approx::assert_abs_diff_eq!(lp[0] as f64, 0.5f64.ln(), epsilon = 1e-6);
    approx::assert_abs_diff_eq!(lp[1] as f64, (1.0f64 / 3.0).ln(), epsilon = 1e-6);
    let shifted = dev.tensor_from_vec(vec![100.0, 100.0 + ln2, 100.0, -5.0, -5.0, -5.0], (2, 3));
    let ppl = perplexity_from_logits(shifted, &[1, 2]);
    assert!(approx::abs_diff_eq!(ppl, 6f64.sqrt(), epsilon = 1e-4), "{ppl}");
    // A target 200 nats below the best logit: e^{-200} underflows f32, its log does not.
    let far = dev.tensor_from_vec(vec![200.0, 0.0], (1, 2));
    approx::assert_abs_diff_eq!(token_log_probs(far, &[1]).as_vec()[0], -200.0, epsilon = 1e-3);
}

/// The log-probabilities stay on the tape: for L = Σ ln p_i, the gradient with respect to
/// row i's logits is one-hot(target) − softmax(row), which an f64 loop recomputes.
#[test]
fn the_gradient_is_one_hot_minus_softmax() {
    let dev = Dev::seed_from_u64(4);
    let logits: Tensor<(usize, usize), f32, Dev> = dev.sample_normal_like(&(3, 5));
    let targets = [4, 0, 2];
    let g = token_log_probs(logits.leaky_trace(), &targets).sum().backward().get(&logits).as_vec();
    let z = logits.as_vec();
    for (i, row) in z.chunks(5).enumerate() {
        let total: f64 = row.iter().map(|&v| (v as f64).exp()).sum();
        for (j, &v) in row.iter().enumerate() {
            let want = f64::from(j == targets[i]) - (v as f64).exp() / total;
            approx::assert_abs_diff_eq!(g[i * 5 + j] as f64, want, epsilon = 1e-5);
        }
    }
}

/// Stored values of `F.cross_entropy(logits, targets, reduction="none")` from
/// `scripts/reference/perplexity.py` (provenance in the JSON file): our per-token
/// negative log-likelihoods and the perplexity agree to 1e-5 (f32 arithmetic).
#[test]
fn matches_pytorch_cross_entropy() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../data/reference/perplexity.json");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let floats = |k: &str| -> Vec<f64> {
        json[k].as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect()
    };
    let (t, v) = (json["T"].as_u64().unwrap() as usize, json["V"].as_u64().unwrap() as usize);
    let logits: Vec<f32> = floats("logits").iter().map(|&x| x as f32).collect();
    let targets: Vec<usize> = floats("targets").iter().map(|&x| x as usize).collect();
    let logits = Dev::default().tensor_from_vec(logits, (t, v));
    let lp: Vec<f64> =
        token_log_probs(logits.clone(), &targets).as_vec().into_iter().map(f64::from).collect();
    for (i, (got, want)) in lp.iter().zip(floats("nll")).enumerate() {
        assert!(
            approx::abs_diff_eq!(-got, want, epsilon = 1e-5 * (1.0 + want.abs())),
            "token {i}: {} vs {want}",
            -got
        );
    }
    let ppl = perplexity_from_logits(logits, &targets);
    let want = json["perplexity"].as_f64().unwrap();
    assert!(approx::abs_diff_eq!(ppl, want, epsilon = 1e-5 * want), "{ppl} vs {want}");
}

/// Model A reads a 400-character text one character at a time with perplexity 3 per
/// token; model B reads it in 100 tokens of 4 characters with perplexity 40 per token.
/// Per token A looks far better (3 < 40); per character B spends less:
/// log2(40)/4 ≈ 1.33 bits against log2(3) ≈ 1.58.
#[test]
fn per_token_perplexity_does_not_compare_across_tokenizers() {
    let text = "abcd".repeat(100);
    let a = [-(3f64.ln()); 400];
    let b = [-(40f64.ln()); 100];
    assert!(perplexity(&a) < perplexity(&b));
    let (bpc_a, bpc_b) = (bits_per_char(&a, &text), bits_per_char(&b, &text));
    assert!(approx::abs_diff_eq!(bpc_a, 1.585, epsilon = 1e-3), "{bpc_a} {bpc_b}");
    assert!(approx::abs_diff_eq!(bpc_b, 1.330, epsilon = 1e-3), "{bpc_a} {bpc_b}");
}

#[test]
fn bits_per_char_counts_characters_not_tokens_or_bytes() {
    // The doc example: 2 + 3 bits over the 3 characters (9 bytes) of "猫坐下".
    let lp = [0.25f64.ln(), 0.125f64.ln()];
    approx::assert_abs_diff_eq!(bits_per_char(&lp, "猫坐下"), 5.0 / 3.0, epsilon = 1e-12);
    // A uniform character model over 32 symbols spends exactly 5 bits per character.
    let text = "abcdefgh";
    approx::assert_abs_diff_eq!(
        bits_per_char(&[(1.0f64 / 32.0).ln(); 8], text),
        5.0,
        epsilon = 1e-12
    );
}
