//! A zip archive of named files, e.g. the page's charts as PNGs in one download. Entries are
//! stored, not compressed: PNGs are compressed already, and stored entries keep the code small.

use std::collections::HashSet;
use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// Why an archive could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ZipFilesError {
    #[error("a file has an empty name")]
    EmptyName,
    #[error("the file name `{0}` appears twice")]
    Duplicate(String),
    #[error("cannot build the zip archive: {0}")]
    Zip(String),
}

/// One zip holding `files` (name, bytes) in the order given.
pub fn write_zip(files: &[(String, Vec<u8>)]) -> Result<Vec<u8>, ZipFilesError> {
    let mut seen = HashSet::new();
    for (name, _) in files {
        if name.is_empty() {
            return Err(ZipFilesError::EmptyName);
        }
        if !seen.insert(name.as_str()) {
            return Err(ZipFilesError::Duplicate(name.clone()));
        }
    }
    let zip_error = |error: zip::result::ZipError| ZipFilesError::Zip(error.to_string());
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in files {
        writer
            .start_file(name.as_str(), options)
            .map_err(zip_error)?;
        writer
            .write_all(bytes)
            .map_err(|error| ZipFilesError::Zip(error.to_string()))?;
    }
    Ok(writer.finish().map_err(zip_error)?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn files_come_back_by_name_and_in_order() {
        let files = vec![
            ("a.png".to_string(), vec![1, 2, 3]),
            ("b.png".to_string(), vec![]),
        ];
        let bytes = write_zip(&files).unwrap();
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        assert_eq!(archive.len(), 2);
        let mut first = archive.by_index(0).unwrap();
        assert_eq!(first.name(), "a.png");
        let mut content = Vec::new();
        first.read_to_end(&mut content).unwrap();
        assert_eq!(content, vec![1, 2, 3]);
    }

    #[test]
    fn empty_and_repeated_names_are_refused() {
        let empty = [(String::new(), vec![1])];
        assert_eq!(write_zip(&empty), Err(ZipFilesError::EmptyName));
        let twice = [("a".to_string(), vec![]), ("a".to_string(), vec![])];
        assert_eq!(
            write_zip(&twice).unwrap_err().to_string(),
            "the file name `a` appears twice"
        );
    }
}
