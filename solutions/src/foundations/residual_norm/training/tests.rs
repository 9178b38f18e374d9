use super::*;

/// The §1.7 page's two claims, for two seeds, 120 steps each. At a high constant
/// learning rate (3e-2, no warm-up) Post-Norm stalls at a loss several times Pre-Norm's;
/// at a modest one (3e-3) both train and Post-Norm ends lower.
#[test]
fn pre_norm_tolerates_a_high_learning_rate_and_post_norm_ends_lower_at_a_modest_one() {
    for seed in 0..2 {
        let (pre, post) = (
            final_loss(&train::<PreNormStack>(seed, 3e-2, 120)),
            final_loss(&train::<PostNormStack>(seed, 3e-2, 120)),
        );
        eprintln!("seed {seed}, lr 3e-2: pre {pre:.3} post {post:.3}");
        assert!(post > 4.0 * pre, "seed {seed}, lr 3e-2: pre {pre} post {post}");
        let (pre, post) = (
            final_loss(&train::<PreNormStack>(seed, 3e-3, 120)),
            final_loss(&train::<PostNormStack>(seed, 3e-3, 120)),
        );
        eprintln!("seed {seed}, lr 3e-3: pre {pre:.3} post {post:.3}");
        assert!(post < 0.9 * pre, "seed {seed}, lr 3e-3: pre {pre} post {post}");
    }
}

/// The dfdx composition computes exactly what the course's block functions compute.
#[test]
fn the_dfdx_stacks_equal_the_block_functions() {
    let dev = Dev::seed_from_u64(7);
    let x: Tensor<(usize, Const<M>), f32, Dev> = dev.sample_normal_like(&(5, Const));
    let pre = dev.build_module::<PreNormStack, f32>();
    let mut y = x.clone();
    for block in &pre.0.modules {
        y = super::super::pre_norm_block(y, &block.0 .0, &block.0 .1);
    }
    let want = pre.1.forward(y).as_vec();
    let got = pre.forward(x.clone()).as_vec();
    assert!(got.iter().zip(&want).all(|(a, b)| (a - b).abs() < 1e-5));
    let post = dev.build_module::<PostNormStack, f32>();
    let mut y = x.clone();
    for block in &post.modules {
        y = super::super::post_norm_block(y, &block.1, &block.0 .0);
    }
    let got = post.forward(x).as_vec();
    assert!(got.iter().zip(y.as_vec()).all(|(a, b)| (a - b).abs() < 1e-5));
}

/// The modest-learning-rate result beyond the quick test: six seeds, 400 steps each,
/// Post-Norm below 0.85 times Pre-Norm's final loss on every one (measured: 0.64 to 0.78).
/// Ignored by default because it takes about 45 s of CPU time (measured on the course's
/// shared 2-core Xeon virtual machine, 30 November 2026); run it with
/// `cargo test -p solutions post_norm_ends_lower -- --ignored`. It is still one toy (a
/// 12-layer MLP imitating a random teacher), not evidence about real Transformers.
#[test]
#[ignore]
fn post_norm_ends_lower_at_a_modest_rate_over_six_seeds_and_400_steps() {
    for seed in 0..6 {
        let pre = final_loss(&train::<PreNormStack>(seed, 3e-3, 400));
        let post = final_loss(&train::<PostNormStack>(seed, 3e-3, 400));
        eprintln!("seed {seed}, lr 3e-3, 400 steps: pre {pre:.4} post {post:.4}");
        assert!(
            post < 0.85 * pre,
            "seed {seed}, lr 3e-3, 400 steps: post-norm {post} is not below 0.85 × pre-norm {pre}"
        );
    }
}
