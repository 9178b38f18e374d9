use super::*;

/// The experiment of the page at `FinetuneSetup::tiny()` size (1 layer, width 32, 60 + 40
/// steps, about a second in a debug build): both adaptations start exactly at the
/// pre-trained model's Chinese loss (LoRA's B = 0), both lower it, and LoRA trains a small
/// fraction of the parameters with a matching fraction of AdamW's memory. The page's
/// larger run (`FinetuneSetup::page()`) is the notebook's and
/// `data/bench/lora_finetune.json`'s; `the_stored_run_is_consistent` checks that file.
// ANCHOR: finetune_test
#[test]
fn lora_and_full_fine_tuning_both_adapt_the_english_model_to_chinese() {
    let setup = FinetuneSetup::tiny();
    let run = compare_finetunes(&setup, 0);
    let start = run.pretrained_chinese_val;
    println!(
        "pre-trained: English {:.3}, Chinese {start:.3} ({:.2} s)",
        run.pretrained_english_val, run.pretrain_seconds
    );
    for r in [&run.lora, &run.full] {
        let last = r.chinese_val.last().unwrap().1;
        println!(
            "{}: {} trainable, Chinese {start:.3} -> {last:.3}, English after {:.3}, {:.2} s",
            r.method, r.count.trainable, r.english_val_after, r.seconds
        );
        assert_eq!(
            r.chinese_val[0],
            (0, start),
            "{}: step 0 is not the pre-trained model",
            r.method
        );
        assert!(last < start - 0.3, "{}: Chinese loss only {start:.3} -> {last:.3}", r.method);
        assert_eq!(r.chinese_val.len(), setup.adapt_steps / setup.eval_every + 1);
    }
    // Pre-training learned English: far below the uniform guess ln V.
    let uniform = (Bilingual::embedded().vocab.vocab_size() as f32).ln();
    assert!(run.pretrained_english_val < uniform - 2.0, "English {}", run.pretrained_english_val);
    let (l, f) = (run.lora.count, run.full.count);
    assert!(10 * l.trainable < f.trainable, "LoRA trains {} of {}", l.trainable, f.trainable);
    assert_eq!((l.adamw_bytes, f.adamw_bytes), (8 * l.trainable, 8 * f.trainable));
    assert_eq!(l.total, f.total + l.trainable, "LoRA's model is the base plus A and B");
}
// ANCHOR_END: finetune_test

/// `data/bench/lora_finetune.json`, the page's run: written by `compare_finetunes` (see its
/// provenance), its numbers are the page's table. Checked here: it is the page's setup, the
/// counts are the formulas' for that shape, and the curves start at the pre-trained loss.
#[test]
fn the_stored_run_is_consistent() {
    let run: FinetuneComparison =
        serde_json::from_str(include_str!("../../../../data/bench/lora_finetune.json")).unwrap();
    let setup = FinetuneSetup::page();
    assert_eq!(run.setup, setup, "the stored run is not FinetuneSetup::page(): rerun it");
    let cfg = setup.gpt(Bilingual::embedded().vocab.vocab_size());
    let base = Gpt::new(&Dev::seed_from_u64(0), cfg);
    assert_eq!(run.full.count, trainable_count(&base));
    let lora = LoraGpt::new(&Dev::seed_from_u64(0), &base, setup.lora);
    assert_eq!(run.lora.count, trainable_count(&lora));
    for r in [&run.lora, &run.full] {
        assert_eq!(r.chinese_val[0], (0, run.pretrained_chinese_val), "{}", r.method);
    }
}
