use super::*;

#[test]
fn each_head_is_repeated_in_place() {
    let dev = Dev::default();
    // B = 2, G = 3 heads, S = 2, D = 2: every value names its (b, g, s, d).
    let data: Vec<f32> = (0..24).map(|i| i as f32).collect();
    let x = dev.tensor_from_vec(data.clone(), (2, 3, 2, 2));
    let y = repeat_kv(x, 2).as_vec();
    for b in 0..2 {
        for h in 0..6 {
            for sd in 0..4 {
                let want = data[b * 12 + (h / 2) * 4 + sd];
                assert_eq!(y[b * 24 + h * 4 + sd], want, "batch {b}, query head {h}");
            }
        }
    }
}

#[test]
fn one_repeat_is_the_identity() {
    let dev = Dev::seed_from_u64(0);
    let x: Tensor<(usize, usize, usize, usize), f32, Dev> = dev.sample_normal_like(&(2, 4, 3, 8));
    assert_eq!(repeat_kv(x.clone(), 1).as_vec(), x.as_vec());
}

#[test]
fn gradients_of_the_copies_add_up() {
    // Each K/V head feeds n_rep query heads, so its gradient is the sum of theirs.
    let dev = Dev::default();
    let x = dev.tensor_from_vec(vec![1.0f32, 2.0], (1, 2, 1, 1));
    let g = repeat_kv(x.leaky_trace(), 3).sum().backward();
    assert_eq!(g.get(&x).as_vec(), [3.0, 3.0]);
}
