//! Checks on the raw zip structure that the `zip` crate does not make, run around `ZipArchive::new`.
//!
//! Zip layout used here (PKWARE APPNOTE 4.3): the archive ends with an end-of-central-directory
//! record (`PK\x05\x06`: entries on this disk u16 at +8, total entries u16 at +10), which points to
//! the central directory, one record per entry (`PK\x01\x02`: name length u16 at +28, extra length
//! at +30, comment length at +32, name from +46).

use std::collections::HashSet;

use crate::{Error, Result};

const END_RECORD_SIGNATURE: &[u8; 4] = b"PK\x05\x06";
const END_RECORD_LENGTH: usize = 22;
const DIRECTORY_RECORD_SIGNATURE: &[u8; 4] = b"PK\x01\x02";
const DIRECTORY_RECORD_FIXED_LENGTH: usize = 46;

/// Rejects end records that claim entries on this disk but none in total.
///
/// The `zip` crate (2.6) accepts such a record as an empty archive without checking its directory
/// offset, then reserves room for the claimed count (up to 65,535 entries of ~200 bytes, 13 MiB)
/// from a file of a few dozen bytes. No real archive has this shape. The crate tries every
/// signature match from the end backwards, so every match is checked.
pub(crate) fn check_end_records(bytes: &[u8]) -> Result<()> {
    let field = |record: &[u8], at: usize| u16::from_le_bytes([record[at], record[at + 1]]);
    for (position, record) in bytes.windows(END_RECORD_LENGTH).enumerate() {
        if !record.starts_with(END_RECORD_SIGNATURE) {
            continue;
        }
        let (on_this_disk, total) = (field(record, 8), field(record, 10));
        if total == 0 && on_this_disk != 0 {
            return Err(Error::Weights(format!(
                "the zip end record at byte {position} claims {on_this_disk} entries on this disk but 0 in total; \
                 split or inconsistent archives are not supported"
            )));
        }
    }
    Ok(())
}

/// Walks the central directory's records from `directory_start` and returns the first name that
/// occurs twice. The zip crate keys entries by name and silently keeps one of two equal names.
pub(crate) fn first_duplicate_entry_name(bytes: &[u8], directory_start: u64) -> Option<String> {
    let mut names = HashSet::new();
    // Offsets are taken relative to the rest of the input, so no addition can overflow.
    let mut rest = bytes.get(usize::try_from(directory_start).ok()?..)?;
    while rest.starts_with(DIRECTORY_RECORD_SIGNATURE)
        && rest.len() >= DIRECTORY_RECORD_FIXED_LENGTH
    {
        let length_at = |at: usize| usize::from(u16::from_le_bytes([rest[at], rest[at + 1]]));
        let (name_length, extra_length, comment_length) =
            (length_at(28), length_at(30), length_at(32));
        let record = rest.get(DIRECTORY_RECORD_FIXED_LENGTH..)?;
        let name = record.get(..name_length)?;
        if !names.insert(name) {
            return Some(String::from_utf8_lossy(name).into_owned());
        }
        rest = record.get(name_length + extra_length + comment_length..)?;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn end_record(on_this_disk: u16, total: u16) -> Vec<u8> {
        let mut record = END_RECORD_SIGNATURE.to_vec();
        record.extend_from_slice(&[0, 0, 0, 0]);
        record.extend_from_slice(&on_this_disk.to_le_bytes());
        record.extend_from_slice(&total.to_le_bytes());
        record.extend_from_slice(&[0; 10]);
        record
    }

    #[test]
    fn end_record_counts_must_agree_when_the_total_is_zero() {
        assert_eq!(check_end_records(&end_record(0, 0)), Ok(()));
        assert_eq!(check_end_records(&end_record(2, 2)), Ok(()));
        let hidden = [b"junk".as_slice(), &end_record(65535, 0), &end_record(0, 0)].concat();
        let error = check_end_records(&hidden).expect_err("inconsistent record");
        assert!(
            error.to_string().contains("at byte 4 claims 65535 entries"),
            "{error}"
        );
    }

    #[test]
    fn finds_a_repeated_directory_name() {
        let record = |name: &[u8]| {
            let mut bytes = DIRECTORY_RECORD_SIGNATURE.to_vec();
            bytes.resize(DIRECTORY_RECORD_FIXED_LENGTH, 0);
            bytes[28..30].copy_from_slice(&(name.len() as u16).to_le_bytes());
            bytes.extend_from_slice(name);
            bytes
        };
        let directory = [record(b"a.npy"), record(b"b.npy"), record(b"a.npy")].concat();
        assert_eq!(
            first_duplicate_entry_name(&directory, 0),
            Some("a.npy".to_string())
        );
        assert_eq!(first_duplicate_entry_name(&directory[..2 * 51], 0), None);
        assert_eq!(first_duplicate_entry_name(&directory, u64::MAX), None);
    }
}
