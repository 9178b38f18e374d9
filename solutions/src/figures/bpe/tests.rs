use super::*;

/// What the §2.2 page says about this figure.
#[test]
fn the_naive_trainer_does_far_more_work() {
    let work = trainer_work_on_the_corpus();
    assert_eq!(work.len(), BPE_WORK_MERGES);
    let &(_, naive, fast) = work.last().unwrap();
    println!("after {BPE_WORK_MERGES} merges: naive {naive}, efficient {fast}");
    assert!(naive > 50 * fast, "naive {naive}, efficient {fast}");
    // The page's rounded figures: about 23 million updates against 0.2 million.
    let (millions, tenths) = ((naive as f64 / 1e6).round(), (fast as f64 / 1e5).round());
    assert_eq!((millions, tenths), (23.0, 2.0), "naive {naive}, efficient {fast}: the §2.2 page");
    // The naive work grows about linearly: the second half of the merges costs at
    // least a third of the total (the table shrinks as merges join symbols).
    let (_, half, _) = work[BPE_WORK_MERGES / 2 - 1];
    assert!(3 * (naive - half) > naive, "{half} of {naive}");
}

#[test]
fn the_work_is_counted_by_hand_on_the_worked_example() {
    // `aaabdaaabac`: 10 pairs, then 8, then 6 before merge 3, recounted by the naive
    // trainer. The efficient one counts the 10 once; merge 1 (a,a) hits positions 0
    // (a right neighbour only: 2 updates) and 5 (both: 4); merge 2 (a,b) hits two
    // occurrences with both neighbours (8); merge 3 (256,257) one with a right
    // neighbour only and one with both (6).
    let word: Vec<u32> = b"aaabdaaabac".iter().map(|&b| b as u32).collect();
    let merges = [(97, 97), (97, 98), (256, 257)];
    let work = trainer_work(&[(word, 1)], 256, &merges);
    assert_eq!(work, [(1, 10, 16), (2, 18, 24), (3, 24, 30)]);
}
