//! The 10,000 digits compiled into native builds (the CLI, tests). The site fetches the same file.

use super::Dataset;
use crate::Result;

/// The committed, gzipped dataset file.
pub const BUNDLED_BYTES: &[u8] = include_bytes!("../../www/data/mnist-10k.bin.gz");

/// Decodes the bundled digits.
pub fn bundled() -> Result<Dataset> {
    Dataset::from_bytes(BUNDLED_BYTES)
}
