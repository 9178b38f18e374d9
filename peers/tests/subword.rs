//! §2.3: the course's WordPiece encoder and Unigram Viterbi against Hugging Face
//! `tokenizers` 0.23, on a vocabulary HF trained on the embedded corpus (English and
//! Chinese, pre-tokenized by the course's `pre_tokenize_for_subwords` on both sides).
//!
//! What is compared, and the differences that are not bugs:
//! - **Encoding, fixed vocabulary**: for every distinct corpus word, our `wordpiece_encode`
//!   and `unigram_viterbi` give exactly HF's `tokenize` values. HF's `WordPiece` is BERT's
//!   greedy longest-match with `##`, `[UNK]` for the whole word, and `[UNK]` for words over
//!   100 characters. HF's `Unigram` keeps the first of equal-scoring paths (the one whose
//!   last piece starts earliest); an uncovered character gets `min score − 10` and a run
//!   of them is fused into one token whose value is the raw text (byte fallback off).
//! - **Training differs on purpose**: HF's `WordPieceTrainer` is a `BpeTrainer` with the
//!   `##` prefix; it merges by pair *frequency*. Ours merges by the WordPiece score
//!   f(ab)/(f(a)f(b)). HF's `UnigramTrainer` seeds from a suffix array, uses a digamma
//!   (Bayesian) M-step and SentencePiece's approximate pruning loss; ours seeds with all
//!   substrings of up to 8 characters, plain EM and an exact Viterbi loss. So the trained
//!   vocabularies differ, and the tests only measure by how much.

use solutions::nlp::corpus;
use solutions::nlp::pre_tokenization::subword_word_counts;
use solutions::nlp::unigram::{train_unigram, unigram_viterbi};
use solutions::nlp::wordpiece::{
    initial_split, join, train_wordpiece, wordpiece_encode, CONTINUATION, UNK,
};
use std::collections::{HashMap, HashSet};

/// The distinct words of the corpus, plus words made to hit the edge cases.
fn test_words() -> Vec<String> {
    let mut words: Vec<String> =
        subword_word_counts(&corpus::embedded()).into_iter().map(|(w, _)| w).collect();
    words.extend(
        [
            "☃snowman",
            "snow☃☃man",
            "ǂǂ",
            &"token".repeat(20),
            &"token".repeat(21),
            "zzzzq",
            "语言☃模型",
        ]
        .map(String::from),
    );
    words
}

fn alphabet_size() -> usize {
    let words = subword_word_counts(&corpus::embedded());
    words.iter().flat_map(|(w, _)| initial_split(w)).collect::<HashSet<_>>().len()
}

#[test]
fn wordpiece_encode_matches_hf_on_every_corpus_word() {
    let model =
        peers::subword::train_wordpiece(&corpus::embedded(), alphabet_size() + 2000).unwrap();
    let vocab: HashSet<String> = peers::subword::vocab_by_id(&model).into_iter().collect();
    let (mut unk, mut multi) = (0, 0);
    let words = test_words();
    for w in &words {
        let ours = wordpiece_encode(w, &vocab);
        let theirs = peers::subword::tokenize(&model, w).unwrap();
        assert_eq!(ours, theirs, "WordPiece differs from HF on {w:?}");
        unk += (ours == [UNK]) as usize;
        multi += (ours.len() > 1) as usize;
    }
    println!("{} words, {multi} split into several pieces, {unk} [UNK]", words.len());
    // The edge cases are exercised: the 101-character word and the snowmen are [UNK].
    assert!(unk >= 3 && multi > words.len() / 10, "unk {unk}, multi {multi}");
}

#[test]
fn unigram_viterbi_matches_hf_on_every_corpus_word() {
    let chars = corpus::embedded().chars().filter(|c| !c.is_whitespace()).collect::<HashSet<_>>();
    let model =
        peers::subword::train_unigram(&corpus::embedded(), chars.len() as u32 + 2000).unwrap();
    let pieces: HashMap<String, f64> = peers::subword::unigram_pieces(&model).into_iter().collect();
    let (mut fused, mut multi) = (0, 0);
    let words = test_words();
    for w in &words {
        let ours = unigram_viterbi(w, &pieces);
        let theirs = peers::subword::tokenize(&model, w).unwrap();
        assert_eq!(ours, theirs, "Unigram differs from HF on {w:?}");
        fused += ours.iter().any(|p| p.contains('☃') || p.contains('ǂ')) as usize;
        multi += (ours.len() > 1) as usize;
    }
    println!("{} words, {multi} split into several pieces, {fused} with unknown runs", words.len());
    assert!(fused >= 3 && multi > words.len() / 10, "fused {fused}, multi {multi}");
}

/// How many of the first `n` new tokens of two merge sequences are in both.
fn agree(ours: &[String], theirs: &[String], n: usize) -> usize {
    let a: HashSet<&String> = ours.iter().take(n).collect();
    theirs.iter().take(n).filter(|t| a.contains(t)).count()
}

#[test]
fn hf_wordpiece_training_is_frequency_bpe_and_ours_is_the_score() {
    let text = corpus::embedded();
    let words = subword_word_counts(&text);
    // [UNK], the alphabet, 200 merges.
    let size = alphabet_size() + 1 + 200;
    // Subtle: HF's initial vocabulary also holds the bare form of every character, even of
    // one that never starts a word, so it is larger than ours; give it room for 200 merges
    // too, and take its merged tokens (two characters or more) in id order.
    let chars = text.chars().filter(|c| !c.is_whitespace()).collect::<HashSet<_>>().len();
    let hf =
        peers::subword::vocab_by_id(&peers::subword::train_wordpiece(&text, size + chars).unwrap());
    let is_new = |t: &String| t != UNK && t.trim_start_matches(CONTINUATION).chars().count() > 1;
    let hf_new: Vec<String> = hf.into_iter().filter(is_new).take(200).collect();
    assert_eq!(hf_new.len(), 200);
    let ours = train_wordpiece(&words, size);
    let ours_new: Vec<String> = ours.merges.iter().map(|(a, b)| join(a, b)).collect();

    // HF's first merge is the most frequent adjacent pair (BPE's choice).
    let mut pairs: HashMap<(String, String), u64> = HashMap::new();
    for (w, n) in &words {
        for p in initial_split(w).windows(2) {
            *pairs.entry((p[0].clone(), p[1].clone())).or_default() += n;
        }
    }
    let top = pairs.values().max().unwrap();
    let tops: Vec<String> =
        pairs.iter().filter(|(_, f)| *f == top).map(|((a, b), _)| join(a, b)).collect();
    assert!(
        tops.contains(&hf_new[0]),
        "HF's first merge {} is not a most frequent pair",
        hf_new[0]
    );

    let (a50, a200) = (agree(&ours_new, &hf_new, 50), agree(&ours_new, &hf_new, 200));
    println!("first 50 merges: {a50} tokens in common; first 200: {a200}");
    println!("score-based first 10: {:?}", &ours_new[..10]);
    println!("frequency (HF) first 10: {:?}", &hf_new[..10]);
    // The criteria pick different merges: the score favours rare, tightly bound pairs.
    assert!(a50 < 25 && a200 < 100, "{a50}/50 and {a200}/200 agree");
    // Score-chosen tokens are rarer: a score merge is, on average, a less frequent pair.
    let cont = |t: &String| t.starts_with(CONTINUATION);
    println!(
        "continuation tokens: ours {}/200, HF {}/200",
        ours_new.iter().filter(|t| cont(t)).count(),
        hf_new.iter().filter(|t| cont(t)).count()
    );
}

#[test]
fn our_unigram_trainer_against_hf() {
    let text = corpus::embedded();
    let words = subword_word_counts(&text);
    let chars = words.iter().flat_map(|(w, _)| w.chars()).collect::<HashSet<_>>().len();
    let size = chars + 1000;
    let hf: HashMap<String, f64> =
        peers::subword::unigram_pieces(&peers::subword::train_unigram(&text, size as u32).unwrap())
            .into_iter()
            .collect();
    let ours: HashMap<String, f64> = train_unigram(&words, size, 8).into_iter().collect();
    let multi = |v: &HashMap<String, f64>| -> HashSet<String> {
        v.keys().filter(|p| p.chars().count() > 1 && *p != "<unk>").cloned().collect()
    };
    let (mo, mh) = (multi(&ours), multi(&hf));
    let common = mo.intersection(&mh).count();
    let tokens = |v: &HashMap<String, f64>| -> usize {
        words.iter().map(|(w, n)| *n as usize * unigram_viterbi(w, v).len()).sum()
    };
    let (to, th) = (tokens(&ours), tokens(&hf));
    println!(
        "multi-character pieces: ours {}, HF {}, in common {common}; \
         corpus tokens: ours {to}, HF {th}",
        mo.len(),
        mh.len()
    );
    // Different algorithms, same idea: the vocabularies overlap substantially and
    // compress the corpus about equally well (within 15 %).
    assert!(common * 3 > mo.len().min(mh.len()), "only {common} pieces in common");
    assert!((to as f64 / th as f64 - 1.0).abs() < 0.15, "ours {to} tokens vs HF {th}");
}
