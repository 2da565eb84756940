//! A digit drawn on the page, prepared the way MNIST's digits were: the ink's bounding box scaled
//! (area averaging) so its longer side is 20 px, placed in a 28×28 image with its centre of mass at
//! the centre, then normalised like the training images.
//!
//! Ink is the alpha channel times brightness: the page draws white strokes on a transparent canvas.

use super::batches::pixel_to_input;
use crate::error::ErrorCode;
use crate::{Error, Result};

const SIDE: usize = 28;
const BOX: f64 = 20.0;
const MAX_CANVAS: usize = 2048;

/// 784 normalised inputs from an RGBA canvas of `width`×`height`.
pub fn digit_input(rgba: &[u8], width: usize, height: usize) -> Result<Vec<f32>> {
    if width == 0 || height == 0 || width > MAX_CANVAS || height > MAX_CANVAS {
        return Err(Error::setting(
            "drawing",
            format!("a {width}×{height} canvas is not supported; allowed: 1 to {MAX_CANVAS} pixels per side"),
        ));
    }
    if rgba.len() != width * height * 4 {
        return Err(Error::setting(
            "drawing",
            format!(
                "expected {} RGBA bytes for {width}×{height}, got {}",
                width * height * 4,
                rgba.len()
            ),
        ));
    }
    let ink: Vec<f64> = rgba
        .chunks_exact(4)
        .map(|p| {
            let brightness = (p[0] as f64 + p[1] as f64 + p[2] as f64) / (3.0 * 255.0);
            p[3] as f64 / 255.0 * brightness
        })
        .collect();
    let (mut x0, mut y0, mut x1, mut y1) = (width, height, 0, 0);
    for y in 0..height {
        for x in 0..width {
            if ink[y * width + x] > 0.05 {
                x0 = x0.min(x);
                y0 = y0.min(y);
                x1 = x1.max(x + 1);
                y1 = y1.max(y + 1);
            }
        }
    }
    if x0 >= x1 {
        return Err(Error::setting(
            "drawing",
            ErrorCode::NothingDrawn.with(vec![]),
        ));
    }
    let scale = BOX / (x1 - x0).max(y1 - y0) as f64;
    let (w, h) = (
        ((x1 - x0) as f64 * scale).ceil() as usize,
        ((y1 - y0) as f64 * scale).ceil() as usize,
    );
    // Area averaging: each target pixel is the mean ink over the source pixels it covers.
    let mut small = vec![0.0f64; w * h];
    let mut counts = vec![0.0f64; w * h];
    for y in y0..y1 {
        for x in x0..x1 {
            let tx = (((x - x0) as f64 * scale) as usize).min(w - 1);
            let ty = (((y - y0) as f64 * scale) as usize).min(h - 1);
            small[ty * w + tx] += ink[y * width + x];
            counts[ty * w + tx] += 1.0;
        }
    }
    for (v, c) in small.iter_mut().zip(&counts) {
        if *c > 0.0 {
            *v /= c;
        }
    }
    // Centre of mass of the scaled digit, moved to (14, 14) and clamped so the digit stays inside.
    let total: f64 = small.iter().sum::<f64>().max(1e-9);
    let cx = (0..w * h).map(|i| (i % w) as f64 * small[i]).sum::<f64>() / total;
    let cy = (0..w * h).map(|i| (i / w) as f64 * small[i]).sum::<f64>() / total;
    let left = ((SIDE as f64 / 2.0 - cx).round() as i64).clamp(0, (SIDE - w) as i64) as usize;
    let top = ((SIDE as f64 / 2.0 - cy).round() as i64).clamp(0, (SIDE - h) as i64) as usize;
    let mut image = vec![0u8; SIDE * SIDE];
    for y in 0..h {
        for x in 0..w {
            let value = (small[y * w + x] * 255.0).round().clamp(0.0, 255.0) as u8;
            image[(top + y) * SIDE + left + x] = value;
        }
    }
    Ok(image.into_iter().map(pixel_to_input).collect())
}
