use super::*;

#[test]
fn words_concatenate_to_the_text() {
    for text in ["", " ", "a", " a  b ", "x\n\ny", "中文 and English\tmixed", "\u{3000}全角"] {
        assert_eq!(words(text).concat(), text);
        assert!(words(text).iter().all(|w| !w.is_empty()));
    }
    assert_eq!(words(" a"), [" a"]);
}

#[test]
fn the_hand_worked_example_on_bytes() {
    // The derivation is in `bpe::tests::the_hand_worked_example`.
    let bpe = ByteBpe::train("aaabdaaabac", 256 + 3);
    assert_eq!(bpe.merges(), [(97, 97), (97, 98), (256, 257)]);
    assert_eq!(bpe.encode("aaabdaaabac"), [258, 100, 258, 97, 99]);
    assert_eq!(bpe.piece(258), "aaab");
}

#[test]
fn round_trip_on_every_corpus_line_and_beyond() {
    let text = corpus::embedded();
    let bpe = ByteBpe::train(&text, 256 + 300);
    assert_eq!(bpe.vocab_size(), 256 + 300);
    for line in corpus::lines(&text) {
        assert_eq!(bpe.decode(&bpe.encode(line)), line);
    }
    // Text never seen in training, emoji and control characters included.
    let odd = "Zebras 🦓 über\tißt \u{0}\r\n 𝔘𝔫𝔦𝔠𝔬𝔡𝔢";
    assert_eq!(bpe.decode(&bpe.encode(odd)), odd);
    // The merges compress: fewer tokens than bytes over the whole corpus.
    let tokens: usize = corpus::lines(&text).map(|l| bpe.encode(l).len()).sum();
    assert!(tokens * 10 < text.len() * 7, "{tokens} tokens for {} bytes", text.len());
}

#[test]
fn both_trainers_agree_on_the_corpus() {
    let text = corpus::embedded();
    let fast = ByteBpe::train_with(&text, 256 + 200, Trainer::Fast);
    let naive = ByteBpe::train_with(&text, 256 + 200, Trainer::Naive);
    assert_eq!(fast.merges(), naive.merges());
}
