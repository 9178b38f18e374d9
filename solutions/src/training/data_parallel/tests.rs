use super::{forward_backward, row_ranges};
use crate::architectures::gpt::{Gpt, GptConfig, Positions};
use crate::training::named_params::for_each_grad;
use crate::Dev;
use dfdx::nn::ZeroGrads;

#[test]
fn row_ranges_cover_the_batch_in_near_equal_parts() {
    for (rows, n) in [(12, 2), (12, 5), (7, 7), (5, 1), (13, 4)] {
        let ranges = row_ranges(rows, n);
        assert_eq!(ranges.len(), n);
        assert_eq!(ranges[0].start, 0);
        assert_eq!(ranges[n - 1].end, rows);
        assert!(ranges.windows(2).all(|w| w[0].end == w[1].start), "{ranges:?} leave a gap");
        let (min, max) = (rows / n, rows.div_ceil(n));
        assert!(ranges.iter().all(|r| (min..=max).contains(&r.len())), "{ranges:?} uneven");
    }
}

/// The loss and every parameter's gradient of one batch, computed with `threads` threads.
fn loss_and_grads(threads: usize) -> (f32, Vec<Vec<f32>>) {
    let cfg = GptConfig {
        vocab: 11,
        context: 6,
        d_model: 8,
        heads: 2,
        layers: 2,
        positions: Positions::Learned,
    };
    let model = Gpt::new(&Dev::seed_from_u64(3), cfg);
    // 5 rows: with 2 or 3 threads the slices are unequal (2 + 3, 1 + 2 + 2 rows).
    let x: Vec<Vec<u32>> = (0..5).map(|r| (0..6).map(|t| (r * 7 + t * 3) % 11).collect()).collect();
    let y: Vec<Vec<u32>> = x.iter().map(|row| row.iter().map(|v| (v + 1) % 11).collect()).collect();
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
    pool.install(|| {
        let mut grads = model.alloc_grads();
        let loss = forward_backward(&model, &mut grads, (&x, &y)).unwrap();
        let mut all = vec![];
        for_each_grad(&model, &mut grads, |_, g| all.push(g.to_vec())).unwrap();
        (loss, all)
    })
}

#[test]
fn sliced_batches_give_the_whole_batchs_loss_and_gradients() {
    let (loss, grads) = loss_and_grads(1);
    assert!(grads.iter().flatten().any(|g| *g != 0.0), "no gradient reached the parameters");
    for threads in [2, 3] {
        let (l, g) = loss_and_grads(threads);
        assert!(
            (l - loss).abs() < 1e-6,
            "{threads} threads: loss {l}, one thread {loss}: the slices' losses must be \
             weighted by their share of the rows"
        );
        for (i, (a, b)) in grads.iter().flatten().zip(g.iter().flatten()).enumerate() {
            assert!(
                (a - b).abs() <= 1e-6 + 1e-4 * a.abs(),
                "{threads} threads: gradient {i} is {b}, one thread gives {a}"
            );
        }
    }
}

#[test]
fn a_thread_count_reproduces_its_run_bit_for_bit() {
    let (l1, g1) = loss_and_grads(2);
    let (l2, g2) = loss_and_grads(2);
    assert_eq!(l1.to_bits(), l2.to_bits());
    assert!(g1.iter().flatten().zip(g2.iter().flatten()).all(|(a, b)| a.to_bits() == b.to_bits()));
}
