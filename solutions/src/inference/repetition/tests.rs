use super::*;

#[test]
fn both_signs_become_less_likely() {
    let mut logits = [3.0f32, -1.0, 0.0, 5.0];
    let before = logits;
    apply_repetition_penalty(&mut logits, &[0, 1, 2], 1.5);
    assert_eq!(logits, [2.0, -1.5, 0.0, 5.0]);
    for i in 0..2 {
        assert!(logits[i] < before[i], "token {i} was not penalised");
    }
    // Penalty 1.0 is the identity.
    let mut same = before;
    apply_repetition_penalty(&mut same, &[0, 1, 2, 3], 1.0);
    assert_eq!(same, before);
}

/// The trap: multiplying a positive logit by θ > 1 would *raise* it.
#[test]
fn the_seed_s_wording_would_reward_repeats() {
    let (z, theta) = (2.0f32, 1.2f32);
    assert!(z * theta > z);
    let mut logits = [z];
    apply_repetition_penalty(&mut logits, &[0], theta);
    assert!(logits[0] < z);
}

#[test]
fn ngram_bans() {
    assert_eq!(banned_tokens(&[1, 2, 3, 1, 2], 3), vec![3]);
    assert_eq!(banned_tokens(&[1, 2, 1, 3, 1], 2), vec![2, 3]);
    // n = 1 bans every token seen so far.
    assert_eq!(banned_tokens(&[4, 2, 4], 1), vec![2, 4]);
    assert!(banned_tokens(&[1, 2], 3).is_empty());
    assert!(banned_tokens(&[1, 2, 3], 0).is_empty());
}
