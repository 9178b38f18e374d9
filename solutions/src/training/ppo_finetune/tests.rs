use super::*;

/// Mean of `f` over the last `n` points.
fn tail(run: &PpoRun, n: usize, f: impl Fn(&PpoPoint) -> f64) -> f64 {
    run.points.iter().rev().take(n).map(f).sum::<f64>() / n as f64
}

#[test]
fn measure() {
    let setup = PpoSetup::tiny();
    for seed in 0..3 {
        for s in [setup, setup.without_kl()] {
            let run = ppo_finetune(&s, seed);
            println!("seed {seed} β {}: {:.2} s", s.ppo.kl_coef, run.seconds);
            for p in &run.points {
                println!(
                    "  it {:>2}: score {:.3} kl {:.3} k1 {:.3} pg {:.4} vf {:.4} clip {:.3}",
                    p.iteration, p.score, p.kl, p.kl_k1, p.update.policy_loss, p.update.value_loss,
                    p.update.clip_fraction
                );
            }
            println!("  {:?} last3 score {:.3}", run.samples, tail(&run, 3, |p| p.score));
        }
    }
}
