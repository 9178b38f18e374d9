use super::*;

#[test]
fn measure_table() {
    let rows = ppo_vs_dpo(&PpoSetup::tiny(), &DpoSetup::tiny(), 64, 0);
    for o in &rows {
        let e = &o.held_out;
        println!("{} {} {:.2}s score {:.3} kl {:.3} distinct {} {:?}", o.method, o.steps, o.seconds, e.score, e.kl, e.distinct, &e.completions[..8]);
    }
}
