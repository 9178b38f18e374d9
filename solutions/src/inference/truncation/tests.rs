use super::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

#[test]
fn hand_worked_ties_are_kept() {
    let mut z = [1.0, 3.0, 2.0, 3.0, 0.0];
    top_k_filter(&mut z, 2, 1);
    assert_eq!(kept(&z), 2);
    let mut z = [1.0, 3.0, 2.0, 2.0, 0.0];
    top_k_filter(&mut z, 2, 1);
    assert_eq!(kept(&z), 3, "the tie at the 2nd value keeps both");
    // k beyond the vocabulary keeps everything; min_tokens_to_keep raises k.
    let mut z = [1.0, 3.0, 2.0];
    top_k_filter(&mut z, 10, 1);
    assert_eq!(kept(&z), 3);
    let mut z = [1.0, 3.0, 2.0, 0.0];
    top_k_filter(&mut z, 1, 3);
    assert_eq!(z, [1.0, 3.0, 2.0, f32::NEG_INFINITY]);
}

/// Against a slow definition: token i stays iff fewer than k tokens are strictly larger.
#[test]
fn equals_counting_the_larger_tokens() {
    let mut rng = StdRng::seed_from_u64(7);
    for _ in 0..200 {
        let v = rng.gen_range(1..12);
        // Small integers, so ties are common.
        let z: Vec<f32> = (0..v).map(|_| rng.gen_range(-3..4) as f32).collect();
        let k = rng.gen_range(1..14);
        let mut got = z.clone();
        top_k_filter(&mut got, k, 1);
        for i in 0..v {
            let larger = z.iter().filter(|&&x| x > z[i]).count();
            let stays = larger < k.min(v);
            assert_eq!(got[i].is_finite(), stays, "z = {z:?}, k = {k}, token {i}");
        }
    }
}

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
