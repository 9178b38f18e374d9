use super::*;
use crate::close::{assert_close, Tol};

/// Both blocks keep the shape, and with a zero sublayer Pre-Norm is the identity while
/// Post-Norm is a plain LayerNorm: the difference is what sits on the residual path.
#[test]
fn with_a_zero_sublayer_pre_norm_is_the_identity_and_post_norm_normalises() {
    let dev = Dev::seed_from_u64(0);
    let norm = dev.build_module::<builders::LayerNorm1D<8>, f32>();
    type Mlp = (builders::Linear<8, 32>, builders::FastGeLU, builders::Linear<32, 8>);
    let mut mlp = dev.build_module::<Mlp, f32>();
    mlp.2.weight = dev.zeros();
    mlp.2.bias = dev.zeros();
    let x: Tensor<Rank2<3, 8>, f32, Dev> = dev.sample_normal() * 5.0 + 2.0;
    assert_eq!(pre_norm_block(x.clone(), &norm, &mlp).as_vec(), x.as_vec());
    let post = post_norm_block(x.clone(), &norm, &mlp).as_vec();
    let ln = norm.forward(x).as_vec();
    assert_close("post-norm block with a zero MLP vs LayerNorm", &post, &ln, Tol::abs(1e-6));
}

/// At initialisation, Pre-Norm's gradient shrinks with depth: layer l adds its update
/// to a residual stream whose size grows like √l, so later layers matter less (the
/// effective-depth argument). Post-Norm renormalises the stream after every layer, and
/// its early and late layers differ less.
#[test]
fn gradient_norms_across_a_deep_stack_at_initialisation() {
    for seed in 0..3 {
        let dev = Dev::seed_from_u64(seed);
        let post =
            Stack::<32, 128>::new(&dev, Placement::PostNorm, 24).layer_gradient_norms(&dev, 64);
        let pre =
            Stack::<32, 128>::new(&dev, Placement::PreNorm, 24).layer_gradient_norms(&dev, 64);
        // The first four layers' mean gradient norm over the last four's.
        let ratio = |g: &[f32]| g[..4].iter().sum::<f32>() / g[20..].iter().sum::<f32>();
        eprintln!("seed {seed}: pre {:.2} post {:.2}", ratio(&pre), ratio(&post));
        assert!(ratio(&pre) > 2.0, "seed {seed}: pre-norm {pre:?}");
        assert!(ratio(&post) < ratio(&pre), "seed {seed}: post {post:?} pre {pre:?}");
    }
}
