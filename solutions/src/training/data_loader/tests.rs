use super::{batch_rng, get_batch, train_val_split};
use rand::rngs::StdRng;
use rand::SeedableRng;

#[test]
fn split_is_first_ninety_percent_then_the_rest() {
    let tokens: Vec<u32> = (0..25).collect();
    let (train, val) = train_val_split(&tokens, 0.9);
    // int(25 * 0.9) = 22, as nanoGPT computes it.
    assert_eq!((train.len(), val.len()), (22, 3));
    assert_eq!([train, val].concat(), tokens, "the split must lose and reorder nothing");
}

#[test]
fn targets_are_inputs_shifted_by_one_and_windows_stay_in_range() {
    let data: Vec<u32> = (100..160).collect(); // token = 100 + its position
    let mut rng = StdRng::seed_from_u64(7);
    for _ in 0..50 {
        let (x, y) = get_batch(&data, 4, 8, &mut rng);
        assert_eq!((x.len(), y.len()), (4, 4), "batch of 4 rows");
        for (xr, yr) in x.iter().zip(&y) {
            assert_eq!(xr.len(), 8, "each row has context 8");
            let start = (xr[0] - 100) as usize;
            assert_eq!(*xr, data[start..start + 8], "x must be a contiguous window");
            assert_eq!(*yr, data[start + 1..start + 9], "y must be x shifted by one token");
        }
    }
}

#[test]
fn every_window_start_is_drawn_including_the_last() {
    let data: Vec<u32> = (0..12).collect();
    let context = 4; // starts 0..=7
    let mut seen = [false; 8];
    let mut rng = StdRng::seed_from_u64(1);
    for _ in 0..200 {
        let (x, _) = get_batch(&data, 2, context, &mut rng);
        for row in x {
            seen[row[0] as usize] = true;
        }
    }
    let missing: Vec<usize> = (0..8).filter(|&i| !seen[i]).collect();
    assert!(missing.is_empty(), "starts never drawn in 400 windows: {missing:?}");
}

#[test]
fn same_seed_and_step_same_batch_other_step_other_batch() {
    let data: Vec<u32> = (0..1000).collect();
    let draw = |seed, step| get_batch(&data, 6, 16, &mut batch_rng(seed, step));
    assert_eq!(draw(42, 17), draw(42, 17), "a resumed run must redraw the same batch");
    assert_ne!(draw(42, 17), draw(42, 18), "consecutive steps drew the same batch");
    assert_ne!(draw(42, 17), draw(43, 17), "different seeds drew the same batch");
}

#[test]
#[should_panic(expected = "cannot hold a window")]
fn too_short_a_stream_is_a_clear_panic() {
    get_batch(&[1, 2, 3], 1, 3, &mut StdRng::seed_from_u64(0));
}
