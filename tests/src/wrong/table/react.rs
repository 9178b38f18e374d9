//! §6.2's wrong variants, with the check each runs and the fragment meant for it.

use super::{variant, Variant};
use crate::applications::react::*;
use crate::wrong::react as re;

/// §6.2.
pub fn variants() -> Vec<Variant> {
    vec![
        variant!(
            "6.2.parse_action",
            check_parse_action(re::parse_last_action),
            "the last action was read"
        ),
        variant!("6.2.parse_action", check_parse_action(re::parse_untrimmed), "were not trimmed"),
        variant!(
            "6.2.parse_action",
            check_parse_action(re::parse_first_bracket),
            "stopped at the first `]`"
        ),
        variant!(
            "6.2.agent_step",
            check_agent_step(re::step_without_stop),
            "without the stop string"
        ),
        variant!(
            "6.2.agent_step",
            check_agent_step(re::step_no_observation),
            "no observation was appended"
        ),
        variant!(
            "6.2.agent_step",
            check_agent_step(re::step_reply_dropped),
            "reply was not appended"
        ),
        variant!("6.2.agent_step", check_agent_step(re::step_error_ends_loop), "ended the loop"),
    ]
}
