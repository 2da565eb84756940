//! The crate's error type: every message names what was wrong and what is allowed.

use thiserror::Error as ThisError;

/// Everything that can go wrong with user-controlled input (settings, files, URLs) or a run.
#[derive(Debug, Clone, PartialEq, ThisError)]
pub enum Error {
    /// A setting is out of range or inconsistent; the message names the field and the allowed values.
    #[error("invalid setting `{field}`: {message}")]
    InvalidSetting { field: String, message: String },
    /// A dataset file could not be read.
    #[error("dataset: {0}")]
    Dataset(String),
    /// A weights file (.npz) could not be read or does not fit the architecture.
    #[error("weights file: {0}")]
    Weights(String),
    /// A saved session file could not be read or does not fit its own configuration.
    #[error("session file: {0}")]
    Session(String),
    /// A run produced NaN or infinite values.
    #[error("training diverged: {0}")]
    Diverged(String),
}

impl Error {
    /// Shorthand for [`Error::InvalidSetting`].
    pub fn setting(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::InvalidSetting {
            field: field.into(),
            message: message.into(),
        }
    }
}

pub type Result<T> = std::result::Result<T, Error>;
