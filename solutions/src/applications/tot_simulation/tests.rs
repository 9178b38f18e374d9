use super::*;
use crate::applications::game24::solvable_puzzles;
use crate::binomial::z_score;

/// The stored full run (`cargo course tot --save data/bench/game24_tot.json`).
fn stored() -> Game24Table {
    serde_json::from_str(include_str!("../../../../data/bench/game24_tot.json"))
        .expect("data/bench/game24_tot.json parses")
}

#[test]
fn the_stored_table_covers_the_1362_puzzles_with_the_default_rates() {
    let t = stored();
    let puzzles = solvable_puzzles();
    assert_eq!(t.rows.len(), 1362, "{}", t.provenance);
    assert!(t.rows.iter().zip(&puzzles).all(|(r, p)| r.puzzle == *p), "rows out of order");
    assert_eq!(t.config, SimConfig::default(), "stored with other settings: rerun the CLI");
}

/// Every 40th puzzle rerun here gives exactly the stored row: the table is reproducible,
/// and the page's numbers come from this code.
#[test]
fn a_subset_rerun_equals_the_stored_rows() {
    let t = stored();
    let puzzles = solvable_puzzles();
    let indices: Vec<usize> = (0..puzzles.len()).step_by(40).collect();
    let rows = run_table(&puzzles, &indices, &t.config);
    for (i, row) in indices.iter().zip(&rows) {
        assert_eq!(*row, t.rows[*i], "puzzle {i} ({:?}) differs from the stored run", row.puzzle);
    }
}

#[test]
fn the_stand_ins_err_at_their_stated_rates() {
    let mut rng = StdRng::seed_from_u64(9);
    let mut oracle = Oracle::default();
    let (reachable, dead) = (state_of(&[4, 6]), state_of(&[1, 1]));
    let n = 20_000;
    let e = 0.1;
    let mut wrong = [0usize; 2];
    for _ in 0..n {
        wrong[0] += (noisy_judge(&mut rng, &mut oracle, &reachable, e) != Label::Sure) as usize;
        wrong[1] += (noisy_judge(&mut rng, &mut oracle, &dead, e) != Label::Impossible) as usize;
    }
    for (k, w) in wrong.iter().enumerate() {
        let z = z_score(*w, n, e);
        assert!(z.abs() < 5.0, "judge {k}: {w} of {n} mislabelled, expected {e} (z = {z:.2})");
    }
    let q = 0.2;
    let kept: usize =
        (0..2000).map(|_| noisy_propose(&mut rng, &state_of(&[1, 2, 3, 4]), q).len()).sum();
    let z = z_score(2000 * 36 - kept, 2000 * 36, q);
    assert!(z.abs() < 5.0, "proposer missed {} of 72000, expected {q} (z = {z:.2})", 72000 - kept);
}

/// What the page says of the table, asserted on the stored run.
#[test]
fn search_beats_sampling_in_the_simulation() {
    let rates = stored().rates();
    let rate = |m: &str| rates.iter().find(|r| r.method == m).unwrap().rate;
    println!("{}", stored().markdown());
    assert!(rate("ToT b=5") > rate("ToT b=1"), "{rates:?}");
    assert!(rate("ToT b=1") > rate("CoT") && rate("CoT") > rate("IO"), "{rates:?}");
    assert!(rate("CoT-SC") > rate("CoT"), "{rates:?}");
    // The page's table, to one decimal (percent), as stored.
    let shown: Vec<String> = rates.iter().map(|r| format!("{:.1}", 100.0 * r.rate)).collect();
    assert_eq!(shown, ["0.6", "14.6", "92.4", "65.4", "91.2"], "update the §6.4 page");
}
