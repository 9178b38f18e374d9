use super::*;

#[test]
#[ignore]
fn explore() {
    let env = |k: &str, d: usize| std::env::var(k).ok().and_then(|v| v.parse().ok()).unwrap_or(d);
    let setup = Setup {
        context: env("T", BOOK.context),
        d_model: env("D", BOOK.d_model),
        layers: env("L", BOOK.layers),
        batch: env("B", BOOK.batch),
        steps: env("S", BOOK.steps),
        max_lr: env("LR", 10) as f64 * 1e-3,
        ..BOOK
    };
    for seed in 0..env("SEEDS", 3) as u64 {
        let t0 = std::time::Instant::now();
        for c in length_extrapolation(&setup, seed) {
            eprintln!("seed {seed} {:?} {:?}", c.positions, c.losses);
        }
        eprintln!("{:?}", t0.elapsed());
    }
}
