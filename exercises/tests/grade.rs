//! Grades your exercises with the course's suites: one test per exercise, named after its
//! id. Run them all with `cargo test -p exercises`, one section with
//! `cargo test -p exercises 1_1`, or use `cargo course grade` for a summary table.

use graded::{for_each_exercise, grade_test};

for_each_exercise!(grade_test, exercises);
