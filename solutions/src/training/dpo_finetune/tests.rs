use super::*;

/// The run the page quotes: held-out preference accuracy and reward margin rise, for each
/// of three seeds, from the ties of policy = reference to a clear preference.
#[test]
fn dpo_teaches_the_tiny_gpt_the_preference_on_held_out_pairs() {
    let setup = DpoSetup::tiny();
    for seed in 0..3 {
        let run = dpo_finetune(&setup, seed);
        let first = run.points[0].held_out;
        let last = run.points.last().unwrap().held_out;
        println!(
            "seed {seed}: {} steps in {:.2} s; held-out accuracy {:.3} -> {:.3}, margin {:.4} -> {:.4}, loss {:.4} -> {:.4}",
            setup.steps, run.seconds, first.accuracy, last.accuracy, first.margin, last.margin, first.loss, last.loss
        );
        for p in &run.points {
            println!("  step {:3}: acc {:.3} margin {:.4} loss {:.4}", p.step, p.held_out.accuracy, p.held_out.margin, p.held_out.loss);
        }
    }
}
