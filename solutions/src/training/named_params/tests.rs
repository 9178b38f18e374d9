use super::named_params;
use crate::training::test_model::{bigram, C, V};

#[test]
fn lists_the_bigram_model_like_pytorch_named_parameters() {
    let model = bigram(0);
    let got: Vec<(String, Vec<usize>)> =
        named_params(&model).into_iter().map(|p| (p.name, p.shape)).collect();
    let want = [
        ("0.weight", vec![V, C]),
        ("1.gamma", vec![C]),
        ("1.beta", vec![C]),
        ("2.weight", vec![V, C]),
        ("2.bias", vec![V]),
    ];
    let want: Vec<(String, Vec<usize>)> =
        want.into_iter().map(|(n, s)| (n.to_string(), s)).collect();
    assert_eq!(got, want, "names and shapes in visiting order (embedding, LayerNorm, head)");
}
