//! The error every drawing function returns: plotters' backend error or bad input, as text.

use plotters::drawing::DrawingAreaErrorKind;
use thiserror::Error as ThisError;

/// A chart could not be drawn. Backend errors are kept as their message (their types differ per
/// backend); input errors name the field, the bad value and what is allowed.
#[derive(Debug, Clone, PartialEq, Eq, ThisError)]
#[error("chart: {0}")]
pub struct ChartError(pub String);

impl ChartError {
    /// An input field is inconsistent, e.g. `tiles[3].values` has the wrong length.
    pub fn invalid(field: impl AsRef<str>, message: impl AsRef<str>) -> Self {
        ChartError(format!(
            "invalid input `{}`: {}",
            field.as_ref(),
            message.as_ref()
        ))
    }
}

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for ChartError {
    fn from(error: DrawingAreaErrorKind<E>) -> Self {
        ChartError(format!("drawing failed: {error}"))
    }
}
