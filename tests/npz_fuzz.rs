//! Property tests for `read_npz` / `read_npy` on hostile input: they must return `Ok` or `Err`, never
//! panic, and never allocate more than a bound that grows with the input's length, whatever sizes
//! or shapes the input declares.
//!
//! Inputs (about 45,000 per run, from a fixed seed so CI is reproducible; set `NPZ_FUZZ_SCALE=100`
//! and `PROPTEST_RNG_SEED=<n>` to explore further):
//! mutations of valid archives (stored and deflated), mutations of `.npy` bytes zipped with valid
//! CRCs (so the header parser is reached), every truncation of a valid archive, random bytes (bare
//! and behind zip signatures), and valid headers declaring huge shapes.
//!
//! Memory is measured with a counting global allocator (per thread, so parallel tests do not mix):
//! the peak of live heap bytes during one call, minus the live bytes before it.

// Native tests: the wasm32 build runs only the browser tests (tests/web_*.rs).
#![cfg(not(target_arch = "wasm32"))]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::io::{Cursor, Write};

use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use prunelab::io::{read_npy, read_npz, write_npy, write_npz, NamedTensor};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

// ---- allocation accounting ----

thread_local! {
    static LIVE_BYTES: Cell<usize> = const { Cell::new(0) };
    static PEAK_BYTES: Cell<usize> = const { Cell::new(0) };
}

struct CountingAllocator;

fn record_allocation(size: usize) {
    let _ = LIVE_BYTES.try_with(|live| {
        let now = live.get().saturating_add(size);
        live.set(now);
        let _ = PEAK_BYTES.try_with(|peak| peak.set(peak.get().max(now)));
    });
}

fn record_release(size: usize) {
    let _ = LIVE_BYTES.try_with(|live| live.set(live.get().saturating_sub(size)));
}

// SAFETY: every call is forwarded unchanged to the system allocator; we only count sizes.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let pointer = unsafe { System.alloc(layout) };
        if !pointer.is_null() {
            record_allocation(layout.size());
        }
        pointer
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let pointer = unsafe { System.alloc_zeroed(layout) };
        if !pointer.is_null() {
            record_allocation(layout.size());
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        unsafe { System.dealloc(pointer, layout) };
        record_release(layout.size());
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let moved = unsafe { System.realloc(pointer, layout, new_size) };
        if !moved.is_null() {
            record_release(layout.size());
            record_allocation(new_size);
        }
        moved
    }
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// Runs `call` and returns its result with the peak extra heap bytes it held at once.
fn peak_extra_bytes<T>(call: impl FnOnce() -> T) -> (T, usize) {
    let before = LIVE_BYTES.with(Cell::get);
    PEAK_BYTES.with(|peak| peak.set(before));
    let result = call();
    let peak = PEAK_BYTES.with(Cell::get);
    (result, peak.saturating_sub(before))
}

/// The memory bound for arbitrary input of `length` bytes. Deflate expands at most 1032:1, a u8
/// element becomes a 4-byte f32, and growing buffers may briefly hold old and new copies, so a
/// generous linear bound is 8192 bytes per input byte plus a fixed 256 KiB for the inflater's
/// window and the zip reader's buffers. Declared sizes and shapes never enter it.
fn allocation_bound(length: usize) -> usize {
    256 * 1024 + 8192 * length
}

/// Reads `bytes` and checks the allocation bound; panics (failing the test) only on a violation.
fn read_within_bound(bytes: &[u8]) -> (Result<Vec<NamedTensor>, prunelab::Error>, usize) {
    let (result, peak) = peak_extra_bytes(|| read_npz(bytes));
    assert!(
        peak <= allocation_bound(bytes.len()),
        "read_npz held {peak} bytes for a {}-byte input",
        bytes.len()
    );
    match &result {
        Err(error) => assert!(
            matches!(error, prunelab::Error::Weights(_)),
            "unexpected error kind {error:?}"
        ),
        // Whatever is accepted must be consistent: shapes describe the data and every value is finite.
        Ok(tensors) => {
            for tensor in tensors {
                assert_eq!(
                    tensor.shape.iter().product::<usize>(),
                    tensor.data.len(),
                    "{}",
                    tensor.name
                );
                assert!(
                    tensor.data.iter().all(|value| value.is_finite()),
                    "{}",
                    tensor.name
                );
            }
        }
    }
    (result, peak)
}

// ---- inputs ----

fn state_dict_archive() -> Vec<u8> {
    let tensors = [
        NamedTensor {
            name: "conv1.weight".into(),
            shape: vec![2, 1, 3, 3],
            data: (0..18).map(|i| i as f32 / 8.0 - 1.0).collect(),
        },
        NamedTensor {
            name: "conv1.bias".into(),
            shape: vec![2],
            data: vec![0.5, -0.25],
        },
        NamedTensor {
            name: "fc1.weight_mask".into(),
            shape: vec![3, 4],
            data: (0..12)
                .map(|i| if i % 3 != 0 { 1.0 } else { 0.0 })
                .collect(),
        },
    ];
    write_npz(&tensors).expect("valid tensors")
}

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/npz/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|error| panic!("cannot read {path}: {error}"))
}

/// Valid archives to mutate: our writer's output, and NumPy's stored and deflated files.
fn seed_archives() -> Vec<Vec<u8>> {
    vec![
        state_dict_archive(),
        fixture("state_dict.npz"),
        fixture("state_dict_compressed.npz"),
        fixture("masks.npz"),
        fixture("header_versions.npz"),
    ]
}

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

/// Values that tend to break size and offset arithmetic.
const INTERESTING_U32: [u32; 8] = [
    0,
    1,
    0x7f,
    0xff,
    0xffff,
    0x7fff_ffff,
    0x8000_0000,
    0xffff_ffff,
];

#[derive(Debug, Clone)]
enum Mutation {
    FlipBit { at: usize, bit: u8 },
    SetByte { at: usize, value: u8 },
    SetU32 { at: usize, which: usize },
    Insert { at: usize, value: u8 },
    Delete { at: usize, count: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 0..8u8).prop_map(|(at, bit)| Mutation::FlipBit { at, bit }),
        (any::<usize>(), any::<u8>()).prop_map(|(at, value)| Mutation::SetByte { at, value }),
        (any::<usize>(), 0..INTERESTING_U32.len())
            .prop_map(|(at, which)| Mutation::SetU32 { at, which }),
        (any::<usize>(), any::<u8>()).prop_map(|(at, value)| Mutation::Insert { at, value }),
        (any::<usize>(), 1..16usize).prop_map(|(at, count)| Mutation::Delete { at, count }),
    ]
}

/// Applies mutations; positions are taken modulo the current length.
fn mutate(mut bytes: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for change in mutations {
        let length = bytes.len().max(1);
        match *change {
            Mutation::FlipBit { at, bit } if !bytes.is_empty() => bytes[at % length] ^= 1 << bit,
            Mutation::SetByte { at, value } if !bytes.is_empty() => bytes[at % length] = value,
            Mutation::SetU32 { at, which } if bytes.len() >= 4 => {
                let start = at % (bytes.len() - 3);
                bytes[start..start + 4].copy_from_slice(&INTERESTING_U32[which].to_le_bytes());
            }
            Mutation::Insert { at, value } => bytes.insert(at % (bytes.len() + 1), value),
            Mutation::Delete { at, count } if !bytes.is_empty() => {
                let start = at % length;
                bytes.drain(start..(start + count).min(bytes.len()));
            }
            _ => {}
        }
    }
    bytes
}

/// A dimension list mixing small values with ones near overflow.
fn huge_shape() -> impl Strategy<Value = Vec<u64>> {
    let dimension = prop_oneof![
        0..4u64,
        Just(1 << 31),
        Just(1 << 32),
        Just(1 << 62),
        Just(u64::MAX),
        Just(usize::MAX as u64 / 4 + 1),
        any::<u64>(),
    ];
    prop::collection::vec(dimension, 0..6)
}

fn npy_with_declared_shape(descr: &str, shape: &[u64], data_length: usize, version: u8) -> Vec<u8> {
    let dims: Vec<String> = shape.iter().map(u64::to_string).collect();
    let tuple = match dims.len() {
        1 => format!("({},)", dims[0]),
        _ => format!("({})", dims.join(", ")),
    };
    let header = format!("{{'descr': '{descr}', 'fortran_order': False, 'shape': {tuple}, }}\n");
    let mut bytes = b"\x93NUMPY".to_vec();
    bytes.extend_from_slice(&[version, 0]);
    if version == 1 {
        bytes.extend_from_slice(&(header.len() as u16).to_le_bytes());
    } else {
        bytes.extend_from_slice(&(header.len() as u32).to_le_bytes());
    }
    bytes.extend_from_slice(header.as_bytes());
    bytes.extend(std::iter::repeat_n(0x3f, data_length));
    bytes
}

// ---- properties ----

/// `base_cases` cases (times `NPZ_FUZZ_SCALE`), from a fixed seed unless `PROPTEST_RNG_SEED` is set.
fn config(base_cases: u32) -> ProptestConfig {
    let scale = std::env::var("NPZ_FUZZ_SCALE")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(1);
    let mut config = ProptestConfig::with_cases(base_cases.saturating_mul(scale));
    if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
        config.rng_seed = RngSeed::Fixed(0x6e70_7a5f_6675_7a7a);
    }
    config
}

proptest! {
    #![proptest_config(config(20000))]

    #[test]
    fn mutated_archives_never_panic(seed in 0..5usize, mutations in prop::collection::vec(mutation(), 1..8)) {
        let bytes = mutate(seed_archives().swap_remove(seed), &mutations);
        let _ = read_within_bound(&bytes);
    }
}

proptest! {
    #![proptest_config(config(10000))]

    #[test]
    fn mutated_npy_entries_never_panic(
        stored in any::<bool>(),
        version in 1..=3u8,
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let tensor = NamedTensor { name: "w".into(), shape: vec![2, 3], data: vec![0.25; 6] };
        let mut npy = write_npy(&tensor);
        if version > 1 {
            // Re-encode the preamble as version 2.0/3.0 (4-byte header length).
            let header_length = u16::from_le_bytes([npy[8], npy[9]]) as u32;
            npy.splice(6..10, [version, 0].into_iter().chain(header_length.to_le_bytes()));
        }
        let npy = mutate(npy, &mutations);
        let (direct, _) = peak_extra_bytes(|| read_npy("w", &npy));
        let method = if stored { CompressionMethod::Stored } else { CompressionMethod::Deflated };
        let (archived, _) = read_within_bound(&zip_of(&[("w.npy", &npy)], method));
        // The archive adds nothing but a container: both paths accept the same tensors.
        match (direct, archived) {
            (Ok(tensor), Ok(tensors)) => prop_assert_eq!(vec![tensor], tensors),
            (Err(_), Err(_)) => {}
            (direct, archived) => prop_assert!(false, "read_npy gave {:?} but read_npz {:?}", direct, archived),
        }
    }
}

proptest! {
    #![proptest_config(config(5000))]

    #[test]
    fn random_bytes_never_panic(body in prop::collection::vec(any::<u8>(), 0..600), framing in 0..3usize) {
        // Bare noise, noise behind a local-header signature, and noise before an end-of-directory record.
        let bytes = match framing {
            0 => body,
            1 => [b"PK\x03\x04".as_slice(), &body].concat(),
            _ => [&body, b"PK\x05\x06".as_slice(), &[0; 18]].concat(),
        };
        let _ = read_within_bound(&bytes);
    }

    #[test]
    fn huge_declared_shapes_allocate_nothing_big(
        shape in huge_shape(),
        descr_index in 0..6usize,
        data_length in 0..64usize,
        version in 1..=3u8,
    ) {
        let descr = ["<f4", "<f8", "|b1", "|u1", "<i4", "<i8"][descr_index];
        let npy = npy_with_declared_shape(descr, &shape, data_length, version);
        let bytes = zip_of(&[("w.npy", &npy)], CompressionMethod::Stored);
        let (result, peak) = read_within_bound(&bytes);
        // Stored, so nothing inflates: the reader holds only a few copies of the input at most.
        prop_assert!(peak <= 64 * 1024 + 16 * bytes.len(), "peak {} for {} bytes", peak, bytes.len());
        let fits = shape
            .iter()
            .try_fold(1u64, |count, &dim| count.checked_mul(dim))
            .and_then(|count| count.checked_mul([4u64, 8, 1, 1, 4, 8][descr_index]))
            == Some(data_length as u64);
        // The filler byte 0x3f makes valid floats and uint8s, but bools other than 0/1 and
        // int32/int64 values beyond 2^24, which are all rejected.
        let values_valid = matches!(descr, "<f4" | "<f8" | "|u1") || data_length == 0;
        if !fits || !values_valid {
            prop_assert!(result.is_err());
        } else {
            prop_assert!(result.is_ok(), "{:?}", result);
        }
    }
}

/// Every prefix of every seed archive (≈ 6,000 inputs): all but the full file must be rejected.
#[test]
fn every_truncation_is_rejected_without_panicking() {
    let mut tried = 0;
    for seed in seed_archives() {
        for length in 0..seed.len() {
            let (result, _) = read_within_bound(&seed[..length]);
            assert!(
                result.is_err(),
                "a {length}-byte prefix of a {}-byte archive was accepted",
                seed.len()
            );
            tried += 1;
        }
        assert!(read_npz(&seed).is_ok());
    }
    assert!(tried > 5000, "only {tried} truncations");
}

/// Found by this fuzzer: a lone end record claiming 65,535 entries on this disk but 0 in total made
/// the zip crate reserve 13 MiB. It is now rejected before the zip crate sees it.
#[test]
fn lying_end_record_is_rejected_cheaply() {
    let mut record = b"PK\x05\x06\0\0\0\0".to_vec();
    record.extend_from_slice(&u16::MAX.to_le_bytes()); // entries on this disk
    record.extend_from_slice(&0u16.to_le_bytes()); // entries in total
    record.extend_from_slice(&[0, 0, 0, 0, 0, 0xa8, 1, 0, 0, 0]); // directory size, offset, comment length
    let (result, peak) = read_within_bound(&record);
    let message = result.expect_err("inconsistent end record").to_string();
    assert!(
        message.contains("claims 65535 entries on this disk but 0 in total"),
        "{message}"
    );
    assert!(peak < 4096, "held {peak} bytes");
}
