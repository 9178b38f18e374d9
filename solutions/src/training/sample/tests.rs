use super::pick;
use rand::rngs::StdRng;
use rand::SeedableRng;

#[test]
fn temperature_zero_is_argmax_and_sampling_follows_the_softmax() {
    let mut rng = StdRng::seed_from_u64(3);
    assert_eq!(pick(&[0.1, 2.0, -1.0], 0.0, &mut rng), 1);
    // Logits ln 1, ln 3: probabilities 1/4 and 3/4 at temperature 1.
    let logits = [0.0, 3f32.ln()];
    let n = 20_000;
    let ones = (0..n).filter(|_| pick(&logits, 1.0, &mut rng) == 1).count();
    let freq = ones as f64 / n as f64;
    // 4 standard deviations of a binomial proportion: sqrt(0.75 · 0.25 / n) ≈ 0.003.
    assert!((freq - 0.75).abs() < 0.012, "token 1 drawn {freq:.4} of the time, not 0.75");
    // A low temperature sharpens towards the argmax.
    let cold = (0..n).filter(|_| pick(&logits, 0.25, &mut rng) == 1).count();
    assert!(cold as f64 / n as f64 > 0.98, "temperature 0.25 drew token 1 only {cold}/{n}");
}
