use super::*;

fn bytes(s: &str) -> Vec<u32> {
    s.bytes().map(u32::from).collect()
}

/// The hand-worked example (minbpe's, from Wikipedia's BPE article) on bytes:
/// a=97, b=98, c=99, d=100, one word of count 1.
///
/// `a a a b d a a a b a c`: the pairs are (a,a)×4, (a,b)×2, and (b,d), (d,a), (b,a),
/// (a,c) once each. Merge 1 is (97,97)→256; left to right, `a a a` becomes `256 a`, so
/// the word is `256 a b d 256 a b a c`.
///
/// Now (256,a)×2 and (a,b)×2 tie. The smaller pair wins: (97,98) < (256,97), so merge 2
/// is (97,98)→257 and the word is `256 257 d 256 257 a c`. (minbpe takes the pair seen
/// first in the text, (256,97), and learns `aaa`, then `aaab`, instead.)
///
/// (256,257)×2 is now the only top pair: merge 3 is (256,257)→258 ("aaab"), and the
/// word is `258 d 258 a c` = [258, 100, 258, 97, 99]. Every pair left occurs once.
/// Merge 4 takes the smallest, (97,99)→259 ("ac"), then (100,258)→260, (258,260)→261,
/// and (261,259)→262, after which the word is one symbol and training stops.
#[test]
fn the_hand_worked_example() {
    let words = [(bytes("aaabdaaabac"), 1)];
    let merges = train_bpe(&words, 256, 100);
    let want = [(97, 97), (97, 98), (256, 257), (97, 99), (100, 258), (258, 260), (261, 259)];
    assert_eq!(merges, want, "7 merges, then a single symbol is left");
    let table = merge_table(&merges[..3], 256);
    assert_eq!(bpe_encode(&bytes("aaabdaaabac"), &table), [258, 100, 258, 97, 99]);
    assert_eq!(bpe_encode(&bytes("aaabdaaabac"), &merge_table(&merges, 256)), [262]);
}

#[test]
fn counts_are_weighted_by_word_frequency_and_overlaps_count() {
    let counts = pair_counts(&[(vec![1, 1, 1], 3), (vec![1, 2], 2)]);
    assert_eq!(counts[&(1, 1)], 6);
    assert_eq!(counts[&(1, 2)], 2);
    assert_eq!(counts.len(), 2);
}

#[test]
fn encoding_the_training_words_replays_training() {
    // After training, each word's symbols are what `bpe_encode` gives with the merges.
    let text = "low low low low low lower lower newest newest newest widest";
    let table = word_counts(text.split(' '));
    let words: Vec<(Vec<u32>, u64)> = table.iter().map(|&(w, c)| (bytes(w), c)).collect();
    let merges = train_bpe(&words, 256, 10);
    // (l,o) and (o,w) both occur 7 times; the smaller pair, (108,111), wins the tie.
    assert_eq!(merges[0], (b'l' as u32, b'o' as u32));
    let merge_table = merge_table(&merges, 256);
    let mut trained = words.clone();
    for (k, &p) in merges.iter().enumerate() {
        for (s, _) in &mut trained {
            *s = merge_pair(s, p, 256 + k as u32);
        }
    }
    for ((start, _), (end, _)) in words.iter().zip(&trained) {
        assert_eq!(&bpe_encode(start, &merge_table), end);
    }
}

#[test]
fn word_counts_are_sorted_and_summed() {
    assert_eq!(word_counts("b a b".split(' ')), [("a", 1), ("b", 2)]);
}
