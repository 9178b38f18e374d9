use super::*;

/// The paper's toy dictionary, "low"×5, "lower"×2, "newest"×6, "widest"×3.
const TOY: &str = "low low low low low lower lower newest newest newest newest newest \
                   newest widest widest widest";

#[test]
fn the_papers_example_learns_est_first() {
    // The dictionary of the paper's Algorithm 1: "e s" ×9 ties "s t</w>" ×9 and wins
    // (e < s), then "es t</w>" ×9, then "l o" ×7 ties "o w" ×7 and wins. Then
    // "lo w" is only 2 (in "low" the w is "w</w>"), and "n e", "e w", "w est</w>" tie
    // at 6: "e w" is the smallest. With the paper's separate marker, "est </w>" would
    // take one merge more.
    let bpe = CharBpe::train(TOY, 4);
    let want = [("e", "s"), ("es", "t</w>"), ("l", "o"), ("e", "w")];
    let got = bpe.merge_strings();
    assert_eq!(got, want.map(|(a, b)| (a.to_string(), b.to_string())));
    assert_eq!(bpe.pieces("lowest"), ["lo", "w", "est</w>"]);
    // Inside a word "est" is not "est</w>": the marker keeps suffixes apart.
    assert_eq!(bpe.pieces("tester"), ["t", "es", "t", "e", "r</w>"]);
}

#[test]
fn round_trip_on_every_corpus_line_with_both_trainers() {
    let text = corpus::embedded();
    let fast = CharBpe::train_with(&text, 300, Trainer::Fast);
    let naive = CharBpe::train_with(&text, 300, Trainer::Naive);
    assert_eq!(fast.merges(), naive.merges());
    for line in corpus::lines(&text) {
        assert_eq!(fast.decode(&fast.encode(line)), line);
    }
    // No byte fallback on the training lines: every character was seen.
    let fallback = fast.vocab_size() as u32 - 256;
    assert!(corpus::lines(&text).all(|l| fast.encode(l).iter().all(|&id| id < fallback)));
}

#[test]
fn unseen_characters_and_odd_spacing_fall_back_to_bytes_and_stay_exact() {
    let bpe = CharBpe::train(TOY, 10);
    for text in ["", " ", "new  lows ", " widest", "größte 🦓", "中文\tlow"] {
        assert_eq!(bpe.decode(&bpe.encode(text)), text);
    }
    assert_eq!(bpe.pieces("dé"), ["d", "<0xC3>", "<0xA9>", "</w>"]);
}
