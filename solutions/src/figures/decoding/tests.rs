use super::*;

/// The numbers §5.1 quotes: entropy grows with T from near 0 (greedy) to near ln V
/// (uniform), for every context plotted.
#[test]
fn entropy_rises_from_greedy_to_uniform() {
    let (curves, ln_v) = entropy_curves();
    for (label, pts) in &curves {
        assert!(pts.windows(2).all(|w| w[0].1 < w[1].1 + 1e-9), "{label}: not increasing {pts:?}");
        let (first, last) = (pts[0].1, pts[pts.len() - 1].1);
        eprintln!("{label}: H(T=0.05) = {first:.3}, H(T=20) = {last:.3}, ln V = {ln_v:.3}");
        assert!(first < 0.35, "{label}: H(0.05) = {first}");
        assert!(ln_v - last < 0.25, "{label}: H(20) = {last}, ln V = {ln_v}");
    }
}

/// The numbers §5.3 quotes: at p = 0.9 the nucleus size varies several-fold across
/// contexts, while the mass of a fixed top-5 ranges widely.
#[test]
fn top_p_adapts_top_k_does_not() {
    let (by_p, by_k) = kept_curves();
    let p09 = by_p.iter().find(|r| (r.0 - 0.9).abs() < 1e-6).unwrap();
    let k5 = by_k[4];
    eprintln!("top-p 0.9 sizes: min {}, mean {:.1}, max {}", p09.1, p09.2, p09.3);
    eprintln!("top-5 mass: min {:.3}, mean {:.3}, max {:.3}", k5.1, k5.2, k5.3);
    // Quoted in §5.3: sizes 1 to 31 (mean 11.8); top-5 masses 0.485 to 0.987.
    assert_eq!((p09.1, p09.3), (1.0, 31.0), "nucleus sizes at p = 0.9: {p09:?}");
    approx::assert_abs_diff_eq!(p09.2, 11.8, epsilon = 0.05);
    approx::assert_abs_diff_eq!(k5.1, 0.485, epsilon = 5e-4);
    approx::assert_abs_diff_eq!(k5.3, 0.987, epsilon = 5e-4);
    // Sizes grow with p; masses grow with k.
    assert!(by_p.windows(2).all(|w| w[0].2 <= w[1].2));
    assert!(by_k.windows(2).all(|w| w[0].2 <= w[1].2));
}
