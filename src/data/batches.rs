//! Turning images into network inputs.
//!
//! Normalisation: `x = (p/255 − 0.1307) / 0.3081`, the mean and standard deviation of MNIST's
//! pixels (the constants PyTorch's MNIST examples use), so inputs are centred with unit spread.

use std::sync::OnceLock;

use super::Dataset;

pub const PIXEL_MEAN: f32 = 0.1307;
pub const PIXEL_STD: f32 = 0.3081;

fn table() -> &'static [f32; 256] {
    static TABLE: OnceLock<[f32; 256]> = OnceLock::new();
    TABLE.get_or_init(|| std::array::from_fn(|p| (p as f32 / 255.0 - PIXEL_MEAN) / PIXEL_STD))
}

/// The normalised network input for one 8-bit pixel.
pub fn pixel_to_input(pixel: u8) -> f32 {
    table()[pixel as usize]
}

/// Writes images `indices` as normalised f32 NCHW (C = 1) into `out` and their labels into `labels`.
pub fn fill_batch(dataset: &Dataset, indices: &[usize], out: &mut [f32], labels: &mut [u8]) {
    let table = table();
    let size = dataset.pixels_per_image();
    touch_images(dataset, indices);
    for (n, &index) in indices.iter().enumerate() {
        for (o, &p) in out[n * size..(n + 1) * size]
            .iter_mut()
            .zip(dataset.image(index))
        {
            *o = table[p as usize];
        }
        labels[n] = dataset.label(index);
    }
}

/// Bytes per cache line (x86-64 and the ARM cores browsers run on).
pub const CACHE_LINE: usize = 64;

/// Reads one byte of every cache line of the images, before they are converted. The images are
/// scattered over the dataset (shuffled order) and rarely cached: these loads do not depend on one
/// another, so their cache misses overlap, where the conversion loop would wait for each image's
/// first line in turn (it spent most of its time there).
fn touch_images(dataset: &Dataset, indices: &[usize]) {
    let mut folded = 0u8;
    for &index in indices {
        for &byte in dataset.image(index).iter().step_by(CACHE_LINE) {
            folded ^= byte;
        }
        folded ^= dataset.label(index);
    }
    std::hint::black_box(folded);
}
