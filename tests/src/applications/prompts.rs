//! Graded suites for §6.1, one file per library concept, gathered under the section's
//! module as the library gathers the exercises (`solutions::applications::prompts`).

pub use super::output_parser::check_parse_list;
pub use super::prompt_template::check_render_template;
