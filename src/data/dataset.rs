//! The images and labels in memory.

use super::format;
use crate::{Error, Result};

/// Digits 0–9.
pub const NUM_CLASSES: usize = 10;

/// Labelled 8-bit grey images of one size.
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    rows: usize,
    cols: usize,
    labels: Vec<u8>,
    pixels: Vec<u8>,
}

impl Dataset {
    /// Checks that sizes agree and labels are digits.
    pub fn new(rows: usize, cols: usize, labels: Vec<u8>, pixels: Vec<u8>) -> Result<Dataset> {
        if rows == 0 || cols == 0 || rows > format::MAX_SIDE || cols > format::MAX_SIDE {
            return Err(Error::Dataset(format!(
                "image size {rows}×{cols} is out of range; allowed: 1 to {} per side",
                format::MAX_SIDE
            )));
        }
        if labels.is_empty() || pixels.len() != labels.len() * rows * cols {
            return Err(Error::Dataset(format!(
                "{} labels need {} pixels of {rows}×{cols} images; got {}",
                labels.len(),
                labels.len() * rows * cols,
                pixels.len()
            )));
        }
        if let Some((index, label)) = labels
            .iter()
            .enumerate()
            .find(|(_, &l)| l as usize >= NUM_CLASSES)
        {
            return Err(Error::Dataset(format!(
                "image {index} has label {label}; allowed: 0 to {}",
                NUM_CLASSES - 1
            )));
        }
        Ok(Dataset {
            rows,
            cols,
            labels,
            pixels,
        })
    }

    /// Decodes a dataset file (raw or gzipped); see [`format`] for the layout and checks.
    pub fn from_bytes(bytes: &[u8]) -> Result<Dataset> {
        let decoded = format::decode(bytes)?;
        if decoded.classes != NUM_CLASSES {
            return Err(Error::Dataset(format!(
                "the file has {} classes; PruneLab's networks classify {NUM_CLASSES} digits",
                decoded.classes
            )));
        }
        Dataset::new(decoded.rows, decoded.cols, decoded.labels, decoded.pixels)
    }

    /// The raw (uncompressed) version-1 encoding.
    pub fn to_bytes(&self) -> Vec<u8> {
        format::encode(
            self.rows,
            self.cols,
            NUM_CLASSES,
            &self.labels,
            &self.pixels,
        )
    }

    pub fn len(&self) -> usize {
        self.labels.len()
    }

    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    pub fn rows(&self) -> usize {
        self.rows
    }

    pub fn cols(&self) -> usize {
        self.cols
    }

    pub fn pixels_per_image(&self) -> usize {
        self.rows * self.cols
    }

    pub fn label(&self, index: usize) -> u8 {
        self.labels[index]
    }

    /// The pixels of image `index`, row-major.
    pub fn image(&self, index: usize) -> &[u8] {
        let size = self.pixels_per_image();
        &self.pixels[index * size..(index + 1) * size]
    }
}
