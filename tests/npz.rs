//! `.npz` import/export: round trips, NumPy-written fixtures, and every rejection with its message.
//!
//! The fixtures in tests/fixtures/npz/ were written by `python3 scripts/make-npz-fixtures.py` (NumPy 2.4).
//! The expected values below recompute that script's formulas:
//!   conv1.weight [2,1,3,3] = arange(18) / 8 - 1          conv1.bias [2] = [0.5, -0.25]
//!   fc1.weight   [3,4]     = (arange(12) - 6) / 4         fc1.weight_mask [3,4] = 1.0 where i % 3 != 0
//!   bn1.num_batches_tracked = int64 scalar 7, shape ()
//! All of these are exact in float32, so the comparisons are exact.

// Native tests: the wasm32 build runs only the browser tests (tests/web_*.rs).
#![cfg(not(target_arch = "wasm32"))]

use std::io::{Cursor, Write};

use prunelab::io::{
    read_npy, read_npz, write_npy, write_npz, NamedTensor, MAX_NPY_TOTAL_BYTES, MAX_NPZ_BYTES,
};
use prunelab::Error;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/npz/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|error| panic!("cannot read {path}: {error}"))
}

fn tensor(name: &str, shape: &[usize], data: Vec<f32>) -> NamedTensor {
    NamedTensor {
        name: name.to_string(),
        shape: shape.to_vec(),
        data,
    }
}

fn mask_pattern() -> Vec<f32> {
    (0..12)
        .map(|i| if i % 3 != 0 { 1.0 } else { 0.0 })
        .collect()
}

/// The arrays `make-npz-fixtures.py` saves as `state_dict.npz`, in the same order.
fn expected_state_dict() -> Vec<NamedTensor> {
    vec![
        tensor(
            "conv1.weight",
            &[2, 1, 3, 3],
            (0..18).map(|i| i as f32 / 8.0 - 1.0).collect(),
        ),
        tensor("conv1.bias", &[2], vec![0.5, -0.25]),
        tensor(
            "fc1.weight",
            &[3, 4],
            (0..12).map(|i| (i as f32 - 6.0) / 4.0).collect(),
        ),
        tensor("fc1.weight_mask", &[3, 4], mask_pattern()),
        tensor("bn1.num_batches_tracked", &[], vec![7.0]),
    ]
}

/// Asserts the error is `Error::Weights` whose message contains every fragment.
fn assert_weights_error<T: std::fmt::Debug>(result: prunelab::Result<T>, fragments: &[&str]) {
    match result {
        Err(Error::Weights(message)) => {
            for fragment in fragments {
                assert!(
                    message.contains(fragment),
                    "message {message:?} lacks {fragment:?}"
                );
            }
        }
        other => panic!("expected Error::Weights containing {fragments:?}, got {other:?}"),
    }
}

/// A hand-built .npy (version 1.0) with the given header dict and raw data.
fn npy(header_dict: &str, data: &[u8]) -> Vec<u8> {
    let header = format!("{header_dict}\n");
    let mut bytes = b"\x93NUMPY\x01\x00".to_vec();
    bytes.extend_from_slice(&(header.len() as u16).to_le_bytes());
    bytes.extend_from_slice(header.as_bytes());
    bytes.extend_from_slice(data);
    bytes
}

/// A zip of the given entries, stored or deflated.
fn zip_of(entries: &[(&str, &[u8])], method: CompressionMethod) -> Vec<u8> {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, payload) in entries {
        writer
            .start_file(
                *name,
                SimpleFileOptions::default().compression_method(method),
            )
            .expect("start entry");
        writer.write_all(payload).expect("write entry");
    }
    writer.finish().expect("finish zip").into_inner()
}

fn replace_all(bytes: &mut [u8], from: &[u8], to: &[u8]) -> usize {
    assert_eq!(from.len(), to.len());
    let mut count = 0;
    for start in 0..=bytes.len() - from.len() {
        if &bytes[start..start + from.len()] == from {
            bytes[start..start + from.len()].copy_from_slice(to);
            count += 1;
        }
    }
    count
}

// ---- writing and round trips ----

#[test]
fn round_trip_keeps_names_shapes_values_and_order() {
    let mut tensors = expected_state_dict();
    tensors.push(tensor("empty", &[0, 3], vec![]));
    tensors.push(tensor("tiny", &[1], vec![f32::MIN_POSITIVE / 4.0])); // a subnormal survives
    tensors.push(tensor("huge", &[2], vec![f32::MAX, -f32::MAX]));
    let bytes = write_npz(&tensors).expect("write");
    assert_eq!(read_npz(&bytes).expect("read"), tensors);
}

#[test]
fn writes_np_savez_layout_deterministically() {
    let tensors = expected_state_dict();
    let bytes = write_npz(&tensors).expect("write");
    assert_eq!(
        write_npz(&tensors).expect("write again"),
        bytes,
        "output must not depend on a clock"
    );

    let mut archive = ZipArchive::new(Cursor::new(&bytes)).expect("valid zip");
    let names: Vec<&str> = archive.file_names().collect();
    assert_eq!(names.len(), 5);
    for (index, expected) in tensors.iter().enumerate() {
        let entry = archive.by_index(index).expect("entry");
        assert_eq!(entry.name(), format!("{}.npy", expected.name));
        assert_eq!(entry.compression(), CompressionMethod::Stored);
        assert_eq!(entry.size() as usize, write_npy(expected).len());
    }
}

#[test]
fn write_npy_matches_numpy_header_bytes() {
    // np.save(f, np.zeros((2, 3), np.float32)) writes exactly this 128-byte preamble (checked with NumPy 2.4).
    let bytes = write_npy(&tensor("x", &[2, 3], vec![0.0; 6]));
    let header = &bytes[..bytes.len() - 24];
    assert_eq!(&header[..10], b"\x93NUMPY\x01\x00\x76\x00");
    let text = std::str::from_utf8(&header[10..]).expect("ascii");
    assert_eq!(
        text.trim_end(),
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"
    );
    assert_eq!(header.len(), 128);
    assert!(text.ends_with(" \n"));
}

#[test]
fn write_rejects_inconsistent_tensors() {
    let mismatched = tensor("fc1.weight", &[3, 4], vec![0.0; 11]);
    assert_weights_error(
        write_npz(&[mismatched]),
        &["fc1.weight", "[3, 4]", "11 values"],
    );
    let nan = tensor("fc1.bias", &[2], vec![0.0, f32::NAN]);
    assert_weights_error(
        write_npz(&[nan]),
        &["fc1.bias", "flat index 1", "NaN", "finite"],
    );
    let twice = [tensor("a", &[1], vec![1.0]), tensor("a", &[1], vec![2.0])];
    assert_weights_error(write_npz(&twice), &["`a`", "twice"]);
    assert_weights_error(write_npz(&[tensor("", &[1], vec![1.0])]), &["empty name"]);
}

/// Writes a file for a manual NumPy check; the test itself verifies it reads back.
/// By hand: python3 -c "import numpy as np; d = np.load('target/tmp/written_by_prunelab.npz'); print({k: d[k] for k in d})"
#[test]
fn writes_a_file_for_numpy() {
    let path = format!("{}/written_by_prunelab.npz", env!("CARGO_TARGET_TMPDIR"));
    let bytes = write_npz(&expected_state_dict()).expect("write");
    std::fs::write(&path, &bytes).expect("write file");
    assert_eq!(
        read_npz(&std::fs::read(&path).expect("read file")).expect("parse"),
        expected_state_dict()
    );
}

// ---- NumPy-written fixtures ----

#[test]
fn reads_np_savez_state_dict() {
    assert_eq!(
        read_npz(&fixture("state_dict.npz")).expect("savez"),
        expected_state_dict()
    );
}

#[test]
fn reads_np_savez_compressed_state_dict() {
    let bytes = fixture("state_dict_compressed.npz");
    let mut archive = ZipArchive::new(Cursor::new(&bytes)).expect("zip");
    assert_eq!(
        archive.by_index(0).expect("entry").compression(),
        CompressionMethod::Deflated
    );
    assert_eq!(
        read_npz(&bytes).expect("savez_compressed"),
        expected_state_dict()
    );
}

#[test]
fn reads_float64_rounded_to_f32() {
    let expected = tensor(
        "fc1.weight",
        &[2, 2],
        vec![0.1f64 as f32, -2.5, (1.0f64 / 3.0) as f32, 1e-3f64 as f32],
    );
    assert_eq!(
        read_npz(&fixture("float64.npz")).expect("float64"),
        vec![expected]
    );
}

#[test]
fn reads_bool_and_integer_masks() {
    let tensors = read_npz(&fixture("masks.npz")).expect("masks");
    let names: Vec<&str> = tensors.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "conv1.weight_mask",
            "fc1.weight_mask",
            "fc2.weight_mask",
            "fc3.weight_mask"
        ]
    );
    for mask in &tensors {
        assert_eq!(
            (mask.shape.as_slice(), &mask.data),
            ([3, 4].as_slice(), &mask_pattern()),
            "{}",
            mask.name
        );
    }
}

#[test]
fn reads_npy_header_versions_2_and_3() {
    let fc1 = expected_state_dict().swap_remove(2).data;
    let expected = vec![
        tensor("v2", &[3, 4], fc1.clone()),
        tensor("v3", &[3, 4], fc1),
    ];
    assert_eq!(
        read_npz(&fixture("header_versions.npz")).expect("versions"),
        expected
    );
}

// ---- rejections ----

#[test]
fn rejects_fortran_order() {
    assert_weights_error(
        read_npz(&fixture("fortran_order.npz")),
        &["fc1.weight", "fortran_order is True", "C-order"],
    );
}

#[test]
fn rejects_big_endian() {
    assert_weights_error(
        read_npz(&fixture("big_endian.npz")),
        &["fc1.weight", "'>f4'", "big-endian", "'<f4'"],
    );
}

#[test]
fn rejects_nan_naming_the_tensor() {
    assert_weights_error(
        read_npz(&fixture("nan.npz")),
        &["tensor `fc1.weight`", "flat index 6", "NaN", "finite"],
    );
    let infinite = zip_of(
        &[(
            "w.npy",
            &npy(
                "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }",
                &f64::INFINITY.to_le_bytes(),
            ),
        )],
        CompressionMethod::Stored,
    );
    assert_weights_error(read_npz(&infinite), &["tensor `w`", "inf", "finite"]);
}

#[test]
fn rejects_float64_outside_f32_range() {
    let data: Vec<u8> = [1.0f64, -1e39]
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect();
    let bytes = zip_of(
        &[(
            "w.npy",
            &npy(
                "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }",
                &data,
            ),
        )],
        CompressionMethod::Stored,
    );
    assert_weights_error(
        read_npz(&bytes),
        &["tensor `w`", "-1e39", "flat index 1", "float32 range"],
    );
}

#[test]
fn rejects_duplicate_names() {
    assert_weights_error(
        read_npz(&fixture("duplicate_names.npz")),
        &["conv1.bias.npy", "more than once"],
    );
    // The same from our own writer, with the second name patched to equal the first.
    let mut bytes =
        write_npz(&[tensor("a", &[1], vec![1.0]), tensor("b", &[1], vec![2.0])]).expect("write");
    assert_eq!(
        replace_all(&mut bytes, b"b.npy", b"a.npy"),
        2,
        "local and central headers"
    );
    assert_weights_error(read_npz(&bytes), &["a.npy", "more than once"]);
}

#[test]
fn rejects_oversized_input_before_parsing() {
    let bytes = vec![0u8; MAX_NPZ_BYTES + 1];
    assert_weights_error(read_npz(&bytes), &["67108865 bytes", "at most 67108864"]);
}

#[test]
fn rejects_bytes_that_are_not_a_zip() {
    assert_weights_error(
        read_npz(b"definitely not a zip archive"),
        &["not a readable .npz"],
    );
    assert_weights_error(read_npz(&[]), &["not a readable .npz"]);
}

#[test]
fn rejects_entries_that_are_not_npy_arrays() {
    let readme = zip_of(&[("readme.txt", b"hello")], CompressionMethod::Stored);
    assert_weights_error(read_npz(&readme), &["entry `readme.txt`", "`<name>.npy`"]);
    let unnamed = zip_of(
        &[(".npy", &write_npy(&tensor("x", &[], vec![1.0])))],
        CompressionMethod::Stored,
    );
    assert_weights_error(read_npz(&unnamed), &["entry `.npy`", "`<name>.npy`"]);
    let not_npy = zip_of(&[("w.npy", b"PK not an array")], CompressionMethod::Stored);
    assert_weights_error(read_npz(&not_npy), &["tensor `w`", "magic"]);
}

#[test]
fn rejects_header_problems_with_the_tensor_name() {
    let f4 = |header: &str, data: &[u8]| {
        zip_of(&[("w.npy", &npy(header, data))], CompressionMethod::Stored)
    };
    let cases: [(Vec<u8>, &[&str]); 6] = [
        (
            f4(
                "{'descr': '<f2', 'fortran_order': False, 'shape': (1,), }",
                &[0, 0],
            ),
            &["tensor `w`", "'<f2' is not supported"],
        ),
        (
            f4(
                "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }",
                &[0; 4],
            ),
            &["tensor `w`", "needs 8 data bytes", "holds 4"],
        ),
        (
            f4(
                "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }",
                &[0; 8],
            ),
            &["needs 4 data bytes", "holds 8"],
        ),
        (
            f4(
                "{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, 4), }",
                &[0; 4],
            ),
            &["tensor `w`", "too many elements"],
        ),
        (
            f4(
                "{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000,), }",
                &[0; 4],
            ),
            &["needs 4000000000 data bytes"],
        ),
        (
            f4("{'descr': '<f4', 'shape': (1,), }", &[0; 4]),
            &["tensor `w`", "lacks the key 'fortran_order'"],
        ),
    ];
    for (bytes, fragments) in cases {
        assert_weights_error(read_npz(&bytes), fragments);
    }
}

#[test]
fn rejects_unknown_versions_and_truncated_preambles() {
    let mut version_4 = write_npy(&tensor("x", &[1], vec![1.0]));
    version_4[6] = 4;
    assert_weights_error(
        read_npy("x", &version_4),
        &["tensor `x`", "version 4.0", "1.0, 2.0, 3.0"],
    );
    assert_weights_error(
        read_npy("x", b"\x93NUMPY\x02\x00\x10"),
        &["truncated in the header length"],
    );
    assert_weights_error(
        read_npy("x", b"\x93NUMPY\x01\x00\xff\x00{}"),
        &["declares 255 bytes", "only 2 follow"],
    );
}

#[test]
fn rejects_entries_whose_declared_size_exceeds_the_budget() {
    // Patch the central directory's uncompressed size (offset 24 of its record) to 200 MiB.
    let mut bytes = write_npz(&[tensor("w", &[1], vec![1.0])]).expect("write");
    let directory = bytes
        .windows(4)
        .position(|w| w == b"PK\x01\x02")
        .expect("central directory");
    bytes[directory + 24..directory + 28].copy_from_slice(&(200u32 << 20).to_le_bytes());
    assert_weights_error(
        read_npz(&bytes),
        &[
            "entry `w.npy`",
            "declares 209715200 uncompressed bytes",
            &MAX_NPY_TOTAL_BYTES.to_string(),
        ],
    );
}

#[test]
fn stops_inflating_an_entry_that_lies_about_its_size() {
    // A deflated entry of 1 MiB of zeros (about 1 KiB compressed) whose sizes claim only 100 bytes.
    let payload = vec![0u8; 1 << 20];
    let mut bytes = zip_of(&[("w.npy", &payload)], CompressionMethod::Deflated);
    let size = (1u32 << 20).to_le_bytes();
    // The uncompressed size sits at offset 22 of the local header and 24 of the central record.
    let local = 0;
    let central = bytes
        .windows(4)
        .position(|w| w == b"PK\x01\x02")
        .expect("central directory");
    for offset in [local + 22, central + 24] {
        assert_eq!(bytes[offset..offset + 4], size);
        bytes[offset..offset + 4].copy_from_slice(&100u32.to_le_bytes());
    }
    assert_weights_error(
        read_npz(&bytes),
        &[
            "entry `w.npy`",
            "inflates to more than the 100 bytes it declares",
        ],
    );
}
