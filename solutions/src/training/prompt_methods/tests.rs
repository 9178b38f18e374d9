use super::*;

/// The run the page quotes (`PromptSetup::tiny()`), for the two seeds of the figure. On
/// held-out windows: the untrained model's verbalizer is at chance, pre-training makes it
/// better than chance, prompt tuning and P-tuning (model frozen, 128 trained numbers for
/// the prompt) lower the label loss below the zero-shot one, and PET's few-shot fine-tune
/// of the whole model does too. Measured numbers are printed; the bounds leave room for
/// other machines' float rounding.
// ANCHOR: comparison_test
#[test]
fn soft_prompts_and_pet_improve_on_the_zero_shot_verbalizer() {
    let setup = PromptSetup::tiny();
    for seed in [0, 1] {
        let r = compare_prompt_methods(&setup, seed);
        let (pt, pk) = (r.prompt_tuning.points.last().unwrap(), r.p_tuning.points.last().unwrap());
        println!(
            "seed {seed}: natural verbalizer untrained {:?}, pre-trained {:?}; arbitrary \
             verbalizer zero-shot {:?}; prompt tuning {:?} ({} numbers, {:.2} s); P-tuning {:?} \
             ({} numbers, {:.2} s); PET few-shot {:?} ({} numbers)",
            r.untrained_natural,
            r.natural_zero_shot,
            r.zero_shot,
            pt.held_out,
            r.prompt_tuning.trainable,
            r.prompt_tuning.seconds,
            pk.held_out,
            r.p_tuning.trainable,
            r.p_tuning.seconds,
            r.pet_few_shot,
            r.full_params
        );
        assert!(
            r.natural_zero_shot.accuracy > r.untrained_natural.accuracy + 0.1,
            "seed {seed}: pre-training did not help the verbalizer: {:?} vs untrained {:?}",
            r.natural_zero_shot,
            r.untrained_natural
        );
        for (name, last) in [("prompt tuning", pt), ("P-tuning", pk)] {
            assert!(
                last.held_out.loss < r.zero_shot.loss - 0.01,
                "seed {seed}: {name} ends at held-out loss {:.4}, zero-shot {:.4}",
                last.held_out.loss,
                r.zero_shot.loss
            );
            assert!(
                last.held_out.accuracy >= r.zero_shot.accuracy,
                "seed {seed}: {name} ends at accuracy {:.4}, below zero-shot {:.4}",
                last.held_out.accuracy,
                r.zero_shot.accuracy
            );
        }
        assert!(
            r.pet_few_shot.loss < r.zero_shot.loss,
            "seed {seed}: PET few-shot {:?} vs zero-shot {:?}",
            r.pet_few_shot,
            r.zero_shot
        );
        assert_eq!(r.prompt_tuning.trainable, setup.virtual_tokens * setup.d_model);
    }
}
// ANCHOR_END: comparison_test

#[test]
fn the_task_is_balanced_and_its_windows_come_from_the_right_text() {
    let setup = PromptSetup::tiny();
    let task = language_task(&setup, 3);
    assert_eq!((task.train.len(), task.held_out.len()), (32, 128));
    for e in task.train.iter().chain(&task.held_out) {
        let text = task.vocab.decode(&e.tokens);
        assert_eq!(e.tokens.len(), setup.window);
        let source = [ENGLISH, CHINESE][e.label];
        assert!(source.contains(&text), "{text:?} is not from the {} text", LABELS[e.label]);
    }
    let chinese = task.held_out.iter().filter(|e| e.label == 1).count();
    assert_eq!(chinese * 2, task.held_out.len());
    let decode = |w: &[usize]| task.vocab.decode(&w.iter().map(|&i| i as u32).collect::<Vec<_>>());
    assert_eq!((decode(&task.natural_words), decode(&task.words)), ("e的".into(), "12".into()));
}
