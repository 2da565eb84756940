//! The dataset decoder never panics and stays bounded on random and mutated input:
//! 10,000+ cases in total (raw and gzipped mutations of a small valid file, random bytes,
//! and header mutations of the real file).

// Native tests: the wasm32 build runs only the browser tests (tests/web_*.rs).
#![cfg(not(target_arch = "wasm32"))]

use std::io::Write;

use proptest::prelude::*;
use prunelab::data::{self, Dataset};

fn small_valid() -> Vec<u8> {
    let labels: Vec<u8> = (0..6).map(|i| i as u8).collect();
    let pixels: Vec<u8> = (0..6 * 4 * 3).map(|i| (i * 7) as u8).collect();
    Dataset::new(4, 3, labels, pixels).unwrap().to_bytes()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// A decoded dataset is always self-consistent.
fn check(bytes: &[u8]) {
    if let Ok(dataset) = Dataset::from_bytes(bytes) {
        assert!(!dataset.is_empty());
        assert!((0..dataset.len()).all(|i| dataset.label(i) < 10));
        assert_eq!(
            dataset.image(dataset.len() - 1).len(),
            dataset.pixels_per_image()
        );
    }
}

fn mutate(mut bytes: Vec<u8>, edits: &[(usize, u8)], cut: Option<usize>) -> Vec<u8> {
    for &(at, value) in edits {
        if !bytes.is_empty() {
            let at = at % bytes.len();
            bytes[at] = value;
        }
    }
    if let Some(cut) = cut {
        bytes.truncate(cut % (bytes.len() + 1));
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_raw_files_never_panic(edits in prop::collection::vec((0usize..200, any::<u8>()), 0..6), cut in prop::option::of(0usize..200)) {
        check(&mutate(small_valid(), &edits, cut));
    }

    #[test]
    fn mutated_gzipped_files_never_panic(edits in prop::collection::vec((0usize..200, any::<u8>()), 0..4), cut in prop::option::of(0usize..200)) {
        check(&mutate(gzip(&small_valid()), &edits, cut));
    }

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        check(&bytes);
        let mut with_magic = b"PLDIGITS".to_vec();
        with_magic.extend_from_slice(&bytes);
        check(&with_magic);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    /// Header mutations of the real 7.85 MB file (fewer cases: each one checksums the whole body).
    #[test]
    fn mutated_headers_of_the_real_file_never_panic(edits in prop::collection::vec((0usize..24, any::<u8>()), 1..4)) {
        thread_local!(static RAW: Vec<u8> = data::bundled().unwrap().to_bytes());
        RAW.with(|raw| {
            let mut bytes = raw.clone();
            for &(at, value) in &edits {
                bytes[at] = value;
            }
            check(&bytes);
        });
    }
}
