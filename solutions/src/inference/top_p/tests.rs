use super::*;
use crate::inference::top_k::kept;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

fn probs_to_logits(p: &[f32]) -> Vec<f32> {
    p.iter().map(|x| x.ln()).collect()
}

#[test]
fn hand_worked_crossing_token_is_kept() {
    let mut z = probs_to_logits(&[0.5, 0.3, 0.2]);
    top_p_filter(&mut z, 0.6, 1);
    assert_eq!(kept(&z), 2, "0.5 alone is short of 0.6; the 0.3 token crosses it and stays");
    // p = 1 keeps all; a tiny p keeps the top token, or min_tokens_to_keep.
    let mut z = probs_to_logits(&[0.5, 0.3, 0.2]);
    top_p_filter(&mut z, 1.0, 1);
    assert_eq!(kept(&z), 3);
    let mut z = probs_to_logits(&[0.5, 0.3, 0.2]);
    top_p_filter(&mut z, 0.01, 1);
    assert_eq!(kept(&z), 1);
    let mut z = probs_to_logits(&[0.5, 0.3, 0.2]);
    top_p_filter(&mut z, 0.01, 2);
    assert_eq!(kept(&z), 2);
}

/// Against the textbook definition (descending order, the smallest prefix whose sum
/// reaches p), in f64, on random rows whose sums are far from the boundary.
#[test]
fn equals_the_smallest_prefix_reaching_p() {
    let mut rng = StdRng::seed_from_u64(11);
    let mut checked = 0;
    for _ in 0..300 {
        let v = rng.gen_range(2..20);
        let z: Vec<f32> = (0..v).map(|_| rng.gen_range(-4.0..4.0)).collect();
        let p: f32 = rng.gen_range(0.05..1.0);
        let e: Vec<f64> = z.iter().map(|&x| (x as f64).exp()).collect();
        let s: f64 = e.iter().sum();
        let mut order: Vec<usize> = (0..v).collect();
        order.sort_by(|&a, &b| e[b].total_cmp(&e[a]));
        let (mut sum, mut want) = (0.0, 0);
        let mut near = false;
        for &i in &order {
            sum += e[i] / s;
            want += 1;
            near |= (sum - p as f64).abs() < 1e-4;
            if sum >= p as f64 {
                break;
            }
        }
        if near {
            continue; // too close to call in f32
        }
        let mut got = z.clone();
        top_p_filter(&mut got, p, 1);
        assert_eq!(kept(&got), want, "z = {z:?}, p = {p}");
        checked += 1;
    }
    assert!(checked > 250, "only {checked} rows checked");
}
