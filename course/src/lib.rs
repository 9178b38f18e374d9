//! The course CLI's library: each command lives in `commands/`, shared pieces beside it.

pub mod bank;
pub mod commands;
pub mod drill;
pub mod root;
pub mod state;
pub mod suggest;
#[cfg(test)]
pub(crate) mod test_support;

/// An error caused by the learner's input (an unknown id, a missing tool, a missing
/// file). The CLI prints it as one line and exits with status 2.
#[derive(Debug)]
pub struct UserError(pub String);

impl std::fmt::Display for UserError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UserError {}

/// Shorthand: `return Err(user_error("..."))`.
pub fn user_error(message: impl Into<String>) -> anyhow::Error {
    UserError(message.into()).into()
}
