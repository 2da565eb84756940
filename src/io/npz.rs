//! `.npz` archives: a zip file whose entries are `<name>.npy` arrays (what `np.savez` and
//! `np.savez_compressed` write, and what `np.load` reads into a dict keyed by `<name>`).
//!
//! Bytes in, bytes out: nothing here touches files, so it runs unchanged in WebAssembly.
//!
//! Memory is bounded before anything is decoded: inputs over [`MAX_NPZ_BYTES`] are refused, every
//! entry's declared uncompressed size counts against [`MAX_NPY_TOTAL_BYTES`], and each entry is read
//! through `take(declared + 1)`, so a lying header or a zip bomb cannot make us inflate more than the
//! budget. The `.npy` reader then only allocates what the data bytes actually hold. `zip_guards`
//! adds the checks the `zip` crate lacks (repeated names, an end record with bogus entry counts).
//! tests/npz_fuzz.rs measures the result: peak memory grows with the input's length only.

use std::collections::HashSet;
use std::io::{Cursor, Read, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use super::npy::{read_npy, write_npy};
use super::zip_guards::{check_end_records, first_duplicate_entry_name};
use super::NamedTensor;
use crate::{Error, Result};

/// The largest `.npz` input [`read_npz`] accepts (and [`write_npz`] produces), in bytes.
pub const MAX_NPZ_BYTES: usize = 64 << 20;
/// The largest total of uncompressed `.npy` bytes [`read_npz`] will inflate from one archive.
pub const MAX_NPY_TOTAL_BYTES: usize = 128 << 20;

const NPY_SUFFIX: &str = ".npy";

/// Writes float32 (`'<f4'`, C order, `.npy` format version 1.0) arrays into a zip with entries
/// `<name>.npy`, stored uncompressed, in the order given — the same layout as `np.savez`.
///
/// Errors if a name is empty or repeated, if a shape does not describe its data, if a value is NaN
/// or infinite (the reader would refuse it), or if the archive would exceed [`MAX_NPZ_BYTES`].
pub fn write_npz(tensors: &[NamedTensor]) -> Result<Vec<u8>> {
    let mut seen = HashSet::new();
    for tensor in tensors {
        check_writable(tensor)?;
        if !seen.insert(tensor.name.as_str()) {
            return Err(Error::Weights(format!(
                "tensor `{}` appears twice; names must be unique",
                tensor.name
            )));
        }
    }

    let zip_error = |error: zip::result::ZipError| {
        Error::Weights(format!("cannot build the .npz archive: {error}"))
    };
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    for tensor in tensors {
        writer
            .start_file(format!("{}{NPY_SUFFIX}", tensor.name), options)
            .map_err(zip_error)?;
        writer.write_all(&write_npy(tensor)).map_err(|error| {
            Error::Weights(format!("cannot write tensor `{}`: {error}", tensor.name))
        })?;
    }
    let bytes = writer.finish().map_err(zip_error)?.into_inner();
    if bytes.len() > MAX_NPZ_BYTES {
        return Err(Error::Weights(format!(
            "the archive would be {} bytes, more than the {MAX_NPZ_BYTES} bytes read_npz accepts",
            bytes.len()
        )));
    }
    Ok(bytes)
}

fn check_writable(tensor: &NamedTensor) -> Result<()> {
    let fail = |message: String| {
        Err(Error::Weights(format!(
            "tensor `{}`: {message}",
            tensor.name
        )))
    };
    if tensor.name.is_empty() {
        return Err(Error::Weights(
            "a tensor has an empty name; every array needs a name".to_string(),
        ));
    }
    let element_count = tensor
        .shape
        .iter()
        .try_fold(1usize, |count, &dim| count.checked_mul(dim));
    if element_count != Some(tensor.data.len()) {
        return fail(format!(
            "shape {:?} does not describe {} values",
            tensor.shape,
            tensor.data.len()
        ));
    }
    if tensor.shape.len() > super::npy_header::MAX_DIMENSIONS {
        return fail(format!(
            "has {} dimensions; NumPy allows at most 64",
            tensor.shape.len()
        ));
    }
    if let Some(index) = tensor.data.iter().position(|value| !value.is_finite()) {
        return fail(format!(
            "value at flat index {index} is {}; weights must be finite",
            tensor.data[index]
        ));
    }
    Ok(())
}

/// Reads every array of an `.npz` archive, in archive order.
///
/// Accepts stored or deflated entries (`np.savez`, `np.savez_compressed`), `.npy` versions 1.0–3.0
/// and the dtypes `'<f4'`, `'<f8'` (rounded to f32), `'|b1'`, `'|u1'`, `'<i4'`, `'<i8'` (as f32
/// values). Rejects inputs over [`MAX_NPZ_BYTES`], entries that are not `<name>.npy`, duplicate
/// names, archives inflating past [`MAX_NPY_TOTAL_BYTES`], and every error [`read_npy`] reports —
/// always as [`Error::Weights`] naming the entry or tensor.
pub fn read_npz(bytes: &[u8]) -> Result<Vec<NamedTensor>> {
    if bytes.len() > MAX_NPZ_BYTES {
        return Err(Error::Weights(format!(
            "the file is {} bytes; at most {MAX_NPZ_BYTES} bytes are accepted",
            bytes.len()
        )));
    }
    check_end_records(bytes)?;
    let mut archive = ZipArchive::new(Cursor::new(bytes))
        .map_err(|error| Error::Weights(format!("not a readable .npz (zip) archive: {error}")))?;
    if let Some(name) = first_duplicate_entry_name(bytes, archive.central_directory_start()) {
        return Err(Error::Weights(format!(
            "entry `{name}` appears more than once in the archive"
        )));
    }

    let mut remaining_budget = MAX_NPY_TOTAL_BYTES;
    let mut tensors = Vec::with_capacity(archive.len());
    for index in 0..archive.len() {
        let entry = archive.by_index(index).map_err(|error| {
            Error::Weights(format!("cannot open archive entry #{index}: {error}"))
        })?;
        let entry_name = entry.name().to_string();
        let fail = |message: String| Error::Weights(format!("entry `{entry_name}`: {message}"));
        let tensor_name = match entry_name.strip_suffix(NPY_SUFFIX) {
            Some(name) if !name.is_empty() && !entry.is_dir() => name.to_string(),
            _ => {
                return Err(fail(
                    "expected a `<name>.npy` array; an .npz holds only .npy entries".to_string(),
                ))
            }
        };

        let declared = usize::try_from(entry.size()).unwrap_or(usize::MAX);
        if declared > remaining_budget {
            return Err(fail(format!(
                "declares {declared} uncompressed bytes, but only {remaining_budget} of the \
                 {MAX_NPY_TOTAL_BYTES}-byte limit for all arrays remain"
            )));
        }
        remaining_budget -= declared;
        let npy_bytes = read_entry(entry, declared, bytes.len()).map_err(fail)?;
        tensors.push(read_npy(&tensor_name, &npy_bytes)?);
    }
    Ok(tensors)
}

/// Inflates one entry, reading at most `declared + 1` bytes so a lying size is caught, not obeyed.
fn read_entry(
    entry: impl Read,
    declared: usize,
    input_length: usize,
) -> std::result::Result<Vec<u8>, String> {
    // Reserve no more than the input's own size up front: a tiny file claiming a huge entry must not
    // allocate it. Entries that really inflate beyond that grow the buffer as data arrives.
    let mut npy_bytes = Vec::with_capacity(declared.min(input_length));
    entry
        .take(declared as u64 + 1)
        .read_to_end(&mut npy_bytes)
        .map_err(|error| format!("cannot decompress: {error}"))?;
    if npy_bytes.len() > declared {
        return Err(format!(
            "inflates to more than the {declared} bytes it declares"
        ));
    }
    if npy_bytes.len() < declared {
        return Err(format!(
            "holds {} uncompressed bytes but declares {declared}",
            npy_bytes.len()
        ));
    }
    Ok(npy_bytes)
}
