//! A minimal PNG encoder (8-bit RGB, no interlace, filter "None"), built on the crate's existing
//! zlib (flate2) and CRC-32 (crc32fast) dependencies so PNG export needs no image library.
//!
//! File = signature, then chunks `length (u32 BE) | type | data | CRC-32(type | data)`:
//! IHDR (size, bit depth 8, colour type 2 = RGB), IDAT (zlib of rows, each prefixed by filter
//! byte 0), IEND.

use super::ChartError;
use std::io::Write;

const SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];

/// Encodes `rgb` (row-major, 3 bytes per pixel, `width * height * 3` bytes) as a PNG file.
pub(crate) fn encode_rgb(width: u32, height: u32, rgb: &[u8]) -> Result<Vec<u8>, ChartError> {
    let row_bytes = width as usize * 3;
    if rgb.len() != row_bytes * height as usize || row_bytes == 0 {
        return Err(ChartError(format!(
            "png: {} bytes do not make a {width}×{height} RGB image",
            rgb.len()
        )));
    }
    let mut rows = Vec::with_capacity((row_bytes + 1) * height as usize);
    for row in rgb.chunks_exact(row_bytes) {
        rows.push(0); // filter type None
        rows.extend_from_slice(row);
    }
    let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    zlib.write_all(&rows)
        .and_then(|_| zlib.flush())
        .map_err(|error| ChartError(format!("png: compression failed: {error}")))?;
    let compressed = zlib
        .finish()
        .map_err(|error| ChartError(format!("png: compression failed: {error}")))?;

    let mut header = Vec::with_capacity(13);
    header.extend_from_slice(&width.to_be_bytes());
    header.extend_from_slice(&height.to_be_bytes());
    header.extend_from_slice(&[8, 2, 0, 0, 0]); // bit depth, RGB, deflate, adaptive filters, no interlace

    let mut file = SIGNATURE.to_vec();
    write_chunk(&mut file, b"IHDR", &header);
    write_chunk(&mut file, b"IDAT", &compressed);
    write_chunk(&mut file, b"IEND", &[]);
    Ok(file)
}

fn write_chunk(file: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    file.extend_from_slice(&(data.len() as u32).to_be_bytes());
    file.extend_from_slice(kind);
    file.extend_from_slice(data);
    let mut crc = crc32fast::Hasher::new();
    crc.update(kind);
    crc.update(data);
    file.extend_from_slice(&crc.finalize().to_be_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn encoded_png_has_valid_chunks_and_round_trips_the_pixels() {
        let (width, height) = (3u32, 2u32);
        let rgb: Vec<u8> = (0..18).map(|i| i * 13).collect();
        let file = encode_rgb(width, height, &rgb).expect("valid image");
        assert_eq!(file[..8], SIGNATURE);

        let mut position = 8;
        let mut idat = Vec::new();
        let mut kinds = Vec::new();
        while position < file.len() {
            let length =
                u32::from_be_bytes(file[position..position + 4].try_into().unwrap()) as usize;
            let kind = &file[position + 4..position + 8];
            let data = &file[position + 8..position + 8 + length];
            let stored = u32::from_be_bytes(
                file[position + 8 + length..position + 12 + length]
                    .try_into()
                    .unwrap(),
            );
            let mut crc = crc32fast::Hasher::new();
            crc.update(kind);
            crc.update(data);
            assert_eq!(
                crc.finalize(),
                stored,
                "CRC of {:?}",
                std::str::from_utf8(kind)
            );
            if kind == b"IDAT" {
                idat.extend_from_slice(data);
            }
            kinds.push(kind.to_vec());
            position += 12 + length;
        }
        assert_eq!(
            kinds,
            [b"IHDR".to_vec(), b"IDAT".to_vec(), b"IEND".to_vec()]
        );

        let mut rows = Vec::new();
        flate2::read::ZlibDecoder::new(&idat[..])
            .read_to_end(&mut rows)
            .unwrap();
        assert_eq!(rows.len(), 2 * (1 + 9));
        assert_eq!(rows[0], 0);
        assert_eq!(rows[1..10], rgb[..9]);
        assert_eq!(rows[11..20], rgb[9..]);
    }

    #[test]
    fn wrong_buffer_length_is_an_error() {
        assert!(encode_rgb(2, 2, &[0; 11]).is_err());
    }
}
