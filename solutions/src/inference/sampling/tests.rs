use super::*;
use crate::inference::processors::DecodeConfig;
use rand::rngs::StdRng;
use rand::SeedableRng;

/// Frequencies over many seeded draws equal the processed, renormalised distribution
/// within 5 standard errors, for each warper and the whole chain; removed tokens never
/// appear.
#[test]
fn frequencies_match_the_processed_distribution() {
    let z = [2.0f32, 1.5, 1.0, 0.2, -0.5, -1.0, 0.9, 1.4];
    let base = DecodeConfig::default();
    let configs = [
        ("temperature 0.7", DecodeConfig { temperature: 0.7, ..base }),
        ("top-k 3", DecodeConfig { top_k: 3, ..base }),
        ("top-p 0.8", DecodeConfig { top_p: 0.8, ..base }),
        ("all", DecodeConfig { temperature: 1.3, top_k: 5, top_p: 0.9, ..base }),
    ];
    let n = 40_000;
    let mut rng = StdRng::seed_from_u64(2024);
    for (name, cfg) in configs {
        let mut logits = z;
        cfg.process(&mut logits, &[], true);
        let p = probabilities(&logits);
        let mut counts = [0usize; 8];
        for _ in 0..n {
            counts[sample_token(&logits, &mut rng)] += 1;
        }
        for i in 0..8 {
            let (pi, f) = (p[i] as f64, counts[i] as f64 / n as f64);
            if pi == 0.0 {
                assert_eq!(counts[i], 0, "{name}: removed token {i} was drawn");
                continue;
            }
            let se = (pi * (1.0 - pi) / n as f64).sqrt();
            let zscore = (f - pi) / se;
            assert!(zscore.abs() < 5.0, "{name}: token {i} frequency {f} vs p {pi}, z = {zscore}");
        }
    }
}
