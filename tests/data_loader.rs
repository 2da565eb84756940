//! The bundled dataset loads with the figures `scripts/make-dataset.mjs` printed when it wrote the
//! file, the split is fixed and portable, and damaged files are refused with a clear message.

// Native tests: the wasm32 build runs only the browser tests (tests/web_*.rs).
#![cfg(not(target_arch = "wasm32"))]

use prunelab::data::{self, epoch_order, fill_batch, format, Dataset, Split};

/// Printed by `node scripts/make-dataset.mjs` when it wrote www/data/mnist-10k.bin.gz.
const COUNTS_PER_DIGIT: [usize; 10] = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];
const FIRST_IMAGE_PIXEL_SUM: u64 = 31_095;
const FIRST_IMAGE_CRC32: u32 = 3_528_831_752;

fn raw_bundled() -> Vec<u8> {
    data::bundled().unwrap().to_bytes()
}

fn message(bytes: &[u8]) -> String {
    Dataset::from_bytes(bytes).unwrap_err().to_string()
}

#[test]
fn the_bundled_file_has_the_digits_the_script_wrote() {
    let dataset = data::bundled().unwrap();
    assert_eq!(
        (dataset.len(), dataset.rows(), dataset.cols()),
        (10_000, 28, 28)
    );
    let mut counts = [0usize; 10];
    for i in 0..dataset.len() {
        counts[dataset.label(i) as usize] += 1;
    }
    assert_eq!(counts, COUNTS_PER_DIGIT);
    let first = dataset.image(0);
    assert_eq!(
        first.iter().map(|&p| p as u64).sum::<u64>(),
        FIRST_IMAGE_PIXEL_SUM
    );
    assert_eq!(crc32fast::hash(first), FIRST_IMAGE_CRC32);
    // Every image has ink and background.
    assert!((0..dataset.len())
        .all(|i| dataset.image(i).iter().any(|&p| p > 200) && dataset.image(i).contains(&0)));
}

#[test]
fn the_split_is_fixed_disjoint_and_portable() {
    let split = Split::standard(10_000);
    assert_eq!((split.train.len(), split.test.len()), (8_000, 2_000));
    assert_eq!(
        (split.fit().len(), split.validation().len()),
        (7_000, 1_000)
    );
    let mut all: Vec<usize> = split.train.iter().chain(&split.test).copied().collect();
    all.sort_unstable();
    assert_eq!(all, (0..10_000).collect::<Vec<_>>());
    // Pinned values, checked identical in a 32-bit wasm32-wasip1 build (u32 draws); a change here changes
    // which digits are "the test set" for every figure ever reported.
    assert_eq!(split.train[..5], [8426, 9162, 1297, 3352, 8306]);
    assert_eq!(split.test[..5], [3669, 4448, 4233, 2509, 8541]);
    assert_eq!(
        epoch_order(&split.train, 7, 3)[..5],
        [8157, 7954, 5943, 4805, 8925]
    );
    assert_eq!(Split::standard(10_000), split);
}

#[test]
fn epoch_orders_are_seeded_permutations() {
    let train: Vec<usize> = (100..400).collect();
    let first = epoch_order(&train, 7, 0);
    assert_eq!(first, epoch_order(&train, 7, 0));
    assert_ne!(first, epoch_order(&train, 7, 1));
    assert_ne!(first, epoch_order(&train, 8, 0));
    let mut sorted = first.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, train);
}

#[test]
fn batches_are_normalised_nchw_with_labels() {
    let dataset = data::bundled().unwrap();
    let mut inputs = vec![0.0; 2 * 784];
    let mut labels = [0u8; 2];
    fill_batch(&dataset, &[0, 9_999], &mut inputs, &mut labels);
    assert_eq!(labels, [dataset.label(0), dataset.label(9_999)]);
    let background = (0.0 - data::PIXEL_MEAN) / data::PIXEL_STD;
    assert_eq!(inputs[0], background);
    let expected = (dataset.image(9_999)[400] as f32 / 255.0 - data::PIXEL_MEAN) / data::PIXEL_STD;
    assert!((inputs[784 + 400] - expected).abs() < 1e-6);
}

#[test]
fn raw_and_gzipped_encodings_round_trip() {
    let dataset = data::bundled().unwrap();
    assert_eq!(Dataset::from_bytes(&dataset.to_bytes()).unwrap(), dataset);
}

#[test]
fn damaged_files_are_refused_with_a_clear_message() {
    let good = raw_bundled();
    assert!(message(&good[..10]).contains("shorter than the 24-byte header"));
    assert!(message(&good[..good.len() - 1]).contains("truncated"));
    let mut longer = good.clone();
    longer.push(0);
    assert!(message(&longer).contains("trailing data"));

    let mut magic = good.clone();
    magic[0] = b'X';
    assert!(message(&magic).contains("magic"));
    let mut version = good.clone();
    version[8] = 2;
    assert!(message(&version).contains("version 2"));
    let mut rows = good.clone();
    rows[10..12].copy_from_slice(&0u16.to_le_bytes());
    assert!(message(&rows).contains("image size 0×28"));
    let mut huge = good.clone();
    huge[16..20].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(message(&huge).contains("allowed: 1 to 1000000"));

    let mut pixel_flip = good.clone();
    let last = pixel_flip.len() - 300;
    pixel_flip[last] ^= 0x10;
    assert!(message(&pixel_flip).contains("checksum mismatch"));
    let mut count_flip = good.clone();
    count_flip[16] ^= 0x01;
    assert!(message(&count_flip).contains("needs"));

    // A bad label with a matching checksum: the label check itself must catch it.
    let mut bad_label = good.clone();
    bad_label[format::HEADER_LEN + 5] = 12;
    let crc = crc32fast::hash(&bad_label[format::HEADER_LEN..]);
    bad_label[20..24].copy_from_slice(&crc.to_le_bytes());
    assert!(message(&bad_label).contains("image 5 has label 12"));

    let gz = data::BUNDLED_BYTES;
    assert!(message(&gz[..gz.len() / 2]).contains("gzip"));
    let mut gz_flip = gz.to_vec();
    gz_flip[gz.len() / 2] ^= 0xff;
    let text = message(&gz_flip);
    assert!(text.contains("gzip") || text.contains("checksum"), "{text}");
}
