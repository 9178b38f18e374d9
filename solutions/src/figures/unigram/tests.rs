use super::*;

/// The §2.3 page's reading of the lattice: every piece of the worked example that occurs
/// in `hugs` is an arc (all 8), the boundaries' best scores are 0, −3, −2.5, −4, −6, and
/// the red path is `hug` then `s`.
#[test]
fn the_lattice_figure_shows_what_the_page_says() {
    let Lattice { arcs, best, scores } = lattice();
    assert_eq!(arcs.len(), LATTICE_PIECES.len(), "{arcs:?}");
    assert_eq!(scores, [0.0, -3.0, -2.5, -4.0, -6.0]);
    assert_eq!(best, [(0, 3), (3, 4)]);
    assert!(viterbi_lattice().unwrap().starts_with("<svg"));
}
