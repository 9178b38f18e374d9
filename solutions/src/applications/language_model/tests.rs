use super::*;

#[test]
fn scripted_model_replies_in_order_and_records_prompts() {
    let mut model = ScriptedModel::new(["first", "second"]);
    assert_eq!(model.complete("a", &[]), "first");
    assert_eq!(model.complete("b", &[]), "second");
    assert_eq!(model.prompts, ["a", "b"]);
    assert_eq!(model.remaining(), 0);
}

#[test]
fn replies_are_cut_at_the_earliest_stop_string() {
    let mut model = ScriptedModel::new(["Thought: add\nAction: calc[1+1]\nObservation: 2"]);
    let reply = model.complete("q", &["\nObservation:", "Action:"]);
    assert_eq!(reply, "Thought: add\n", "the earliest stop string wins, whatever its order");
    assert_eq!(cut_at_stop("abc", &[""]), "abc", "an empty stop string must not end at 0");
}

#[test]
#[should_panic(expected = "no reply left for call 2")]
fn running_out_of_script_is_a_loud_failure() {
    let mut model = ScriptedModel::new(["only"]);
    model.complete("a", &[]);
    model.complete("b", &[]);
}
