use super::*;

#[test]
fn values_within_either_bound_pass() {
    assert_close("abs", &[1.0, 2.0], &[1.0 + 1e-6, 2.0], Tol::abs(1e-5));
    // 1000 against 1000.5: off by 0.5, beyond 1e-3 absolute but within 1e-3 relative.
    assert_close("rel", &[1000.0], &[1000.5], Tol::abs_rel(1e-3));
}

#[test]
#[should_panic(expected = "running mean: 0 values, expected 8")]
fn a_short_vector_fails_on_its_length() {
    assert_close("running mean", &[], &[0.0; 8], Tol::abs(1.0));
}

#[test]
#[should_panic(expected = "2 of 3 values outside the tolerance (abs 1e-3, rel 0e0); the worst \
                           is [2] = 0.5, expected 0")]
fn the_message_counts_the_misses_and_names_the_worst() {
    assert_close("weights", &[0.0, 0.01, 0.5], &[0.0, 0.0, 0.0], Tol::abs(1e-3));
}

#[test]
#[should_panic(expected = "[1] = NaN")]
fn nan_never_passes() {
    assert_close("output", &[0.0, f32::NAN], &[0.0, 0.0], Tol::abs(1e9));
}
