use super::*;

/// Both ways generate the same tokens, and the table survives a round trip through
/// JSON. (No timing is asserted: this machine is shared; the bench measures.)
#[test]
fn both_ways_generate_the_same_tokens() {
    let model = bench_model(40, 24, 1);
    let (speed, [with, without]) = time_generation(&model, &[1, 2, 3], 24);
    assert_eq!(with, without);
    assert_eq!((speed.context, speed.new_tokens, with.len()), (24, 21, 21));
    let table = SpeedupTable { provenance: "test".into(), model: model.config, rows: vec![speed] };
    let json = serde_json::to_string(&table).unwrap();
    assert_eq!(serde_json::from_str::<SpeedupTable>(&json).unwrap(), table);
}
