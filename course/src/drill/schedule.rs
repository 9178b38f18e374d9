//! The drill's schedule: one FSRS card per question id, kept in the learner's state file
//! under `"drill": {"cards": {id: card}}`.
//!
//! FSRS (Free Spaced Repetition Scheduler, Ye et al., "A Stochastic Shortest Path
//! Algorithm for Optimizing Spaced Repetition Scheduling", KDD 2022; Anki's scheduler
//! since 23.10) models each card's stability and difficulty and schedules the next review
//! for when recall is predicted to drop to 90 %. The `rs-fsrs` crate implements it.

use super::{ui, Lang};
use crate::state::State;
use anyhow::Result;
use chrono::{DateTime, Utc};
use rs_fsrs::{Card, Parameters, Rating, FSRS};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// The key of the drill's data in the state file.
pub const KEY: &str = "drill";

/// The drill's part of the learner state.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct Schedule {
    /// Per question id, its FSRS card (due date, stability, difficulty, reps, lapses).
    #[serde(default)]
    pub cards: BTreeMap<String, Card>,
    /// Fields a later version may add; kept when rewriting.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl Schedule {
    /// The schedule stored in `state` (empty if none). A `drill` field that does not parse
    /// is an error, never silently replaced: it would lose the learner's history.
    pub fn from_state(state: &State) -> Result<Schedule> {
        match state.extra.get(KEY) {
            None => Ok(Schedule::default()),
            Some(value) => serde_json::from_value(value.clone()).map_err(|e| {
                crate::user_error(format!(
                    "the drill schedule (`{KEY}`) in {} does not parse: {e}; fix it, or delete \
                     that field to start the schedule afresh",
                    crate::state::FILE
                ))
            }),
        }
    }

    /// Stores this schedule into `state`, replacing its `drill` field.
    pub fn into_state(&self, state: &mut State) -> Result<()> {
        state.extra.insert(KEY.to_string(), serde_json::to_value(self)?);
        Ok(())
    }
}

/// Saves one question's card: re-reads the state file, updates that card only, and
/// writes the file atomically. Re-reading keeps what another command (`grade` in a
/// `watch` terminal, say) wrote since the drill started.
pub fn save_card(root: &Path, id: &str, card: &Card) -> Result<()> {
    let mut state = State::load(root)?;
    let mut schedule = Schedule::from_state(&state)?;
    schedule.cards.insert(id.to_string(), card.clone());
    schedule.into_state(&mut state)?;
    state.save(root)
}

/// A card never reviewed, due `now`.
pub fn new_card(now: DateTime<Utc>) -> Card {
    Card { due: now, last_review: now, ..Card::default() }
}

/// The card after a review rated `rating` at `now`.
pub fn review(card: &Card, now: DateTime<Utc>, rating: Rating) -> Card {
    // subtle: FSRS's short-term mode schedules a new or lapsed card again in minutes
    // (learning steps), which only works if the same session shows it again. A drill is
    // a daily session, so the long-term scheduler is used: the shortest interval is a day,
    // and a wrong answer comes back tomorrow.
    let parameters = Parameters { enable_short_term: false, ..Parameters::default() };
    FSRS::new(parameters).next(card.clone(), now, rating).card
}

/// "in 3 days", "tomorrow", "now" (or "3 天后"...): how far `due` is from `now`.
pub fn humanize(due: DateTime<Utc>, now: DateTime<Utc>, lang: Lang) -> String {
    ui::text(lang, &ui::Msg::Due { minutes: (due - now).num_minutes() })
}
