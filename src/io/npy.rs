//! One `.npy` array: NumPy's binary format for a single array.
//!
//! Layout (format spec: `numpy.lib.format`):
//! ```text
//! b"\x93NUMPY" | major u8 | minor u8 | header_len (u16 LE for 1.0, u32 LE for 2.0 and 3.0)
//! | header dict text, padded with spaces and ending in '\n' | raw data, C order
//! ```
//! The writer emits version 1.0, `'<f4'`, C order, and pads so the data starts at a multiple of 64
//! bytes, exactly like `np.save`. The reader accepts versions 1.0, 2.0 and 3.0 and the element types
//! in [`StoredType`]; it requires `element count × item size == data length` exactly (computed with
//! checked arithmetic), so a declared shape can never make it allocate more than the input holds.

use super::npy_header::{format_f32_header_dict, parse_header_dict};
use super::NamedTensor;
use crate::{Error, Result};

const MAGIC: &[u8; 6] = b"\x93NUMPY";
/// Alignment of the data section that `np.save` uses (and we use) when writing.
const HEADER_ALIGNMENT: usize = 64;
/// Integers beyond ±2^24 are not all exactly representable as f32, so they are refused.
const LARGEST_EXACT_F32_INTEGER: i64 = 1 << 24;

/// Writes one tensor as a version 1.0 `.npy` file: `'<f4'`, C order, data aligned to 64 bytes.
///
/// The caller guarantees `shape` describes `data` (`write_npz` checks it); this function only encodes.
pub fn write_npy(tensor: &NamedTensor) -> Vec<u8> {
    let mut header = format_f32_header_dict(&tensor.shape);
    // magic (6) + version (2) + header length (2) + header + '\n' must be a multiple of 64.
    let preamble = MAGIC.len() + 2 + 2;
    let unpadded = preamble + header.len() + 1;
    let padding = (HEADER_ALIGNMENT - unpadded % HEADER_ALIGNMENT) % HEADER_ALIGNMENT;
    header.extend(std::iter::repeat_n(' ', padding));
    header.push('\n');

    let mut bytes = Vec::with_capacity(preamble + header.len() + tensor.data.len() * 4);
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&[1, 0]);
    // The header of an f32 array with at most 64 dimensions is far below u16::MAX bytes.
    bytes.extend_from_slice(&(header.len() as u16).to_le_bytes());
    bytes.extend_from_slice(header.as_bytes());
    for value in &tensor.data {
        bytes.extend_from_slice(&value.to_le_bytes());
    }
    bytes
}

/// Reads one `.npy` file into a tensor called `name`, converting supported element types to f32.
///
/// Errors (as [`Error::Weights`], naming the tensor) for a bad magic or version, a malformed header,
/// an unsupported or big-endian dtype, `fortran_order: True`, a data length that does not match the
/// shape, and values that are NaN, infinite or not representable as f32.
pub fn read_npy(name: &str, bytes: &[u8]) -> Result<NamedTensor> {
    let fail = |message: String| Error::Weights(format!("tensor `{name}`: {message}"));

    let (header_text, data) = split_header(bytes).map_err(fail)?;
    let header = parse_header_dict(header_text).map_err(fail)?;
    let stored_type = StoredType::from_descr(&header.descr).map_err(fail)?;
    if header.fortran_order {
        return Err(fail(
            "fortran_order is True; only C-order arrays are supported (save np.ascontiguousarray(a))".to_string(),
        ));
    }

    let element_count = header
        .shape
        .iter()
        .try_fold(1usize, |count, &dim| count.checked_mul(dim))
        .ok_or_else(|| {
            fail(format!(
                "shape {:?} has too many elements to address",
                header.shape
            ))
        })?;
    let expected_bytes = element_count
        .checked_mul(stored_type.item_size())
        .ok_or_else(|| {
            fail(format!(
                "shape {:?} has too many elements to address",
                header.shape
            ))
        })?;
    if expected_bytes != data.len() {
        return Err(fail(format!(
            "shape {:?} of '{}' needs {expected_bytes} data bytes, but the file holds {}",
            header.shape,
            header.descr,
            data.len()
        )));
    }

    let values = stored_type.decode(data).map_err(fail)?;
    Ok(NamedTensor {
        name: name.to_string(),
        shape: header.shape,
        data: values,
    })
}

/// Checks magic and version, then splits the file into header text and data bytes.
fn split_header(bytes: &[u8]) -> std::result::Result<(&str, &[u8]), String> {
    let Some(rest) = bytes.strip_prefix(MAGIC) else {
        return Err(
            "not a .npy array: it does not start with the magic bytes \\x93NUMPY".to_string(),
        );
    };
    let (version, rest) = match rest {
        [major, minor, rest @ ..] => ((*major, *minor), rest),
        _ => return Err("the .npy preamble is truncated after the magic bytes".to_string()),
    };
    let (header_length, rest) = match (version, rest) {
        ((1, 0), [low, high, rest @ ..]) => (u16::from_le_bytes([*low, *high]) as usize, rest),
        ((2 | 3, 0), [b0, b1, b2, b3, rest @ ..]) => {
            (u32::from_le_bytes([*b0, *b1, *b2, *b3]) as usize, rest)
        }
        ((1..=3, 0), _) => {
            return Err("the .npy preamble is truncated in the header length".to_string())
        }
        ((major, minor), _) => {
            return Err(format!(
                ".npy format version {major}.{minor} is not supported (supported: 1.0, 2.0, 3.0)"
            ))
        }
    };
    if header_length > rest.len() {
        return Err(format!(
            "the .npy header declares {header_length} bytes, but only {} follow",
            rest.len()
        ));
    }
    let (header_bytes, data) = rest.split_at(header_length);
    // Version 1.0 and 2.0 headers are latin-1; every valid header is plain ASCII, so UTF-8 covers all three.
    let header_text = std::str::from_utf8(header_bytes)
        .map_err(|_| "the .npy header is not valid text".to_string())?;
    Ok((header_text, data))
}

/// The element types the reader accepts, named by their NumPy `descr`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StoredType {
    /// `'<f4'`: little-endian float32, taken as is.
    Float32,
    /// `'<f8'`: little-endian float64, rounded to the nearest f32.
    Float64,
    /// `'|b1'`: bool bytes 0 or 1, read as 0.0 or 1.0 (a mask).
    Bool,
    /// `'|u1'`: uint8.
    UInt8,
    /// `'<i4'`: little-endian int32.
    Int32,
    /// `'<i8'`: little-endian int64.
    Int64,
}

const SUPPORTED_DESCRS: &str = "'<f4', '<f8', '|b1', '|u1', '<i4', '<i8'";

impl StoredType {
    fn from_descr(descr: &str) -> std::result::Result<Self, String> {
        match descr {
            "<f4" => Ok(Self::Float32),
            "<f8" => Ok(Self::Float64),
            "|b1" => Ok(Self::Bool),
            "|u1" => Ok(Self::UInt8),
            "<i4" => Ok(Self::Int32),
            "<i8" => Ok(Self::Int64),
            big if big.starts_with('>') => Err(format!(
                "dtype '{big}' is big-endian; only little-endian data is supported ({SUPPORTED_DESCRS}), \
                 convert with a.astype(a.dtype.newbyteorder('<'))"
            )),
            other => Err(format!("dtype '{other}' is not supported (supported: {SUPPORTED_DESCRS})")),
        }
    }

    fn item_size(self) -> usize {
        match self {
            Self::Bool | Self::UInt8 => 1,
            Self::Float32 | Self::Int32 => 4,
            Self::Float64 | Self::Int64 => 8,
        }
    }

    /// Converts raw little-endian items to f32; `data.len()` is a multiple of the item size.
    fn decode(self, data: &[u8]) -> std::result::Result<Vec<f32>, String> {
        let mut values = Vec::with_capacity(data.len() / self.item_size());
        for (index, item) in data.chunks_exact(self.item_size()).enumerate() {
            let value = match self {
                Self::Float32 => f32::from_le_bytes(to_array(item)),
                Self::Float64 => f64_to_f32(f64::from_le_bytes(to_array(item)), index)?,
                Self::Bool => match item[0] {
                    0 => 0.0,
                    1 => 1.0,
                    other => {
                        return Err(format!(
                            "bool at flat index {index} is byte {other}; expected 0 or 1"
                        ))
                    }
                },
                Self::UInt8 => f32::from(item[0]),
                Self::Int32 => {
                    integer_to_f32(i64::from(i32::from_le_bytes(to_array(item))), index)?
                }
                Self::Int64 => integer_to_f32(i64::from_le_bytes(to_array(item)), index)?,
            };
            if !value.is_finite() {
                return Err(format!(
                    "value at flat index {index} is {value}; weights must be finite"
                ));
            }
            values.push(value);
        }
        Ok(values)
    }
}

/// Copies a chunk of exactly `N` bytes (guaranteed by `chunks_exact`) into an array.
fn to_array<const N: usize>(item: &[u8]) -> [u8; N] {
    let mut array = [0; N];
    array.copy_from_slice(item);
    array
}

fn f64_to_f32(value: f64, index: usize) -> std::result::Result<f32, String> {
    if value.is_finite() && value.abs() > f64::from(f32::MAX) {
        return Err(format!(
            "float64 value {value:e} at flat index {index} is outside the float32 range (±{:e})",
            f32::MAX
        ));
    }
    Ok(value as f32)
}

fn integer_to_f32(value: i64, index: usize) -> std::result::Result<f32, String> {
    if value.unsigned_abs() > LARGEST_EXACT_F32_INTEGER as u64 {
        return Err(format!(
            "integer {value} at flat index {index} cannot be stored exactly as float32 (allowed: ±{LARGEST_EXACT_F32_INTEGER})"
        ));
    }
    Ok(value as f32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tensor(shape: Vec<usize>, data: Vec<f32>) -> NamedTensor {
        NamedTensor {
            name: "t".to_string(),
            shape,
            data,
        }
    }

    #[test]
    fn data_starts_at_a_multiple_of_64() {
        for shape in [vec![], vec![3], vec![8, 1, 5, 5], vec![123_456_789, 0]] {
            let count = shape.iter().product();
            let bytes = write_npy(&tensor(shape.clone(), vec![0.5; count]));
            assert_eq!(
                (bytes.len() - count * 4) % HEADER_ALIGNMENT,
                0,
                "shape {shape:?}"
            );
            assert_eq!(bytes[bytes.len() - count * 4 - 1], b'\n');
        }
    }

    #[test]
    fn round_trips_a_scalar_and_a_kernel() {
        for original in [
            tensor(vec![], vec![2.5]),
            tensor(vec![2, 1, 1, 2], vec![1.0, -2.0, 3.5, 0.0]),
        ] {
            assert_eq!(read_npy("t", &write_npy(&original)), Ok(original));
        }
    }

    #[test]
    fn converts_integer_and_bool_types() {
        assert_eq!(StoredType::Bool.decode(&[0, 1, 1]), Ok(vec![0.0, 1.0, 1.0]));
        assert_eq!(StoredType::UInt8.decode(&[0, 255]), Ok(vec![0.0, 255.0]));
        assert_eq!(
            StoredType::Int32.decode(&(-7i32).to_le_bytes()),
            Ok(vec![-7.0])
        );
        assert!(StoredType::Bool
            .decode(&[2])
            .expect_err("bool 2")
            .contains("expected 0 or 1"));
        let too_big = StoredType::Int64.decode(&((1i64 << 24) + 1).to_le_bytes());
        assert!(too_big
            .expect_err("2^24+1")
            .contains("cannot be stored exactly"));
    }

    #[test]
    fn float64_outside_f32_range_is_an_error() {
        assert_eq!(
            StoredType::Float64.decode(&0.1f64.to_le_bytes()),
            Ok(vec![0.1f32])
        );
        let message = StoredType::Float64
            .decode(&1e39f64.to_le_bytes())
            .expect_err("1e39");
        assert!(message.contains("outside the float32 range"), "{message}");
    }
}
