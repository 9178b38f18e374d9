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
