//! §6.3 and §6.4's wrong variants, with the check each runs and the fragment meant for it.

use super::{variant, Variant};
use crate::applications::{self_consistency::*, tree_of_thoughts::*};
use crate::wrong::reasoning as w;

/// §6.3 and §6.4.
pub fn variants() -> Vec<Variant> {
    vec![
        variant!(
            "6.3.majority_vote",
            check_majority_vote(w::vote_first_seen_tie),
            "your tie went to the first seen"
        ),
        variant!(
            "6.3.majority_vote",
            check_majority_vote(w::vote_counts_none),
            "were counted as votes"
        ),
        variant!(
            "6.3.majority_vote",
            check_majority_vote(w::vote_last_chain),
            "not the first or the last"
        ),
        variant!(
            "6.4.propose",
            check_propose(w::propose_integer_division),
            "the Game of 24 allows fractions"
        ),
        variant!("6.4.propose", check_propose(w::propose_one_order), "both orders of − and ÷"),
        variant!("6.4.propose", check_propose(w::propose_with_repeats), "is listed twice"),
        variant!("6.4.tot_bfs", check_tot_bfs(w::tot_keeps_worst), "you kept the worst b"),
        variant!("6.4.tot_bfs", check_tot_bfs(w::tot_one_sample), "each candidate was judged once"),
        variant!(
            "6.4.tot_bfs",
            check_tot_bfs(w::tot_reversed_ties),
            "the earlier-proposed node comes first"
        ),
    ]
}
