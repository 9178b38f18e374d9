use super::*;
use crate::applications::language_model::ScriptedModel;

fn q(question: &str, answer: &str) -> Question {
    Question { question: question.into(), answer: answer.into() }
}

/// The page's worked example: two questions, two rationales each (degree 2). The teacher
/// gets the second question wrong once (it adds instead of multiplying), and curation
/// drops exactly that sample: 3 of 4 kept.
// ANCHOR: worked_example
#[test]
fn the_worked_example_keeps_the_three_correct_rationales() {
    let questions = [
        q("Tom has 3 apples and buys 2 more. How many apples does he have?", "5"),
        q("A box holds 4 rows of 6 eggs. How many eggs are in the box?", "24"),
    ];
    let mut teacher = ScriptedModel::new([
        "He starts with 3 and adds 2, so 3 + 2 = 5.\nQ: (the teacher rambles on)",
        " 5.",
        "3 apples plus 2 apples make 5 apples.",
        " 5",
        "4 rows of 6 is 4 * 6 = 24.",
        " 24.\nAnd more text",
        "4 rows and 6 eggs: 4 + 6 = 10.",
        " 10.",
    ]);
    let curated = fine_tune_cot_data(&mut teacher, &questions, 2);
    assert_eq!((curated.samples.len(), curated.generated), (3, 4));
    assert_eq!(
        curated.samples[0],
        Sample {
            prompt: "Tom has 3 apples and buys 2 more. How many apples does he have? ###".into(),
            completion: " He starts with 3 and adds 2, so 3 + 2 = 5. --> 5 END".into(),
        }
    );
    assert_eq!(curated.samples[2].completion, " 4 rows of 6 is 4 * 6 = 24. --> 24 END");
    assert!(curated.samples.iter().all(|s| !s.completion.contains("4 + 6")));
    // What the teacher was asked: the zero-shot CoT prompt, then the extraction prompt that
    // repeats it with the rationale and ends in the answer trigger.
    let first = "Q: Tom has 3 apples and buys 2 more. How many apples does he have?\n\
                 A: Let's think step by step.";
    assert_eq!(teacher.prompts[0], first);
    assert_eq!(
        teacher.prompts[1],
        format!(
            "{} He starts with 3 and adds 2, so 3 + 2 = 5.\nTherefore, the answer is",
            teacher.prompts[0]
        )
    );
    assert_eq!((teacher.prompts.len(), teacher.remaining()), (8, 0));
}
// ANCHOR_END: worked_example

#[test]
fn answers_are_compared_after_normalising() {
    assert_eq!(normalize_answer("  Paris. "), "paris");
    assert_eq!(normalize_answer("24"), normalize_answer("24."));
    assert_ne!(normalize_answer("24"), normalize_answer("240"));
}

#[test]
fn a_teacher_that_is_always_wrong_yields_no_data() {
    let mut teacher = ScriptedModel::new(["1 + 1 = 3.", " 3"]);
    let curated = fine_tune_cot_data(&mut teacher, &[q("What is 1 + 1?", "2")], 1);
    assert_eq!((curated.samples.len(), curated.generated), (0, 1));
}
