use super::*;

#[test]
fn exact_dedup_ignores_case_and_spacing_only() {
    let docs = ["The cat sat.", "the  cat\tsat.", "The cat sat!", " THE CAT SAT. ", "A dog."];
    assert_eq!(exact_dedup(&docs), [0, 2, 4]);
}

/// FNV-1a's published test vectors (Fowler, Noll, Vo).
#[test]
fn fnv1a_test_vectors() {
    assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
    assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
}

/// "abcd" has 3-shingles {abc, bcd}; "abce" {abc, bce}: J = 1/3, counted by hand.
#[test]
fn shingles_and_jaccard_by_hand() {
    let (a, b) = (shingles("abcd", 3), shingles("ABCE", 3));
    assert_eq!((a.len(), b.len()), (2, 2));
    approx::assert_abs_diff_eq!(jaccard(&a, &b), 1.0 / 3.0, epsilon = 1e-12);
    assert_eq!(shingles("ab", 3).len(), 1);
    assert_eq!(shingles("aaaa", 2).len(), 1);
    assert_eq!(jaccard(&[], &[]), 1.0);
}
