//! TEMPORARY stub until the data module lands (feat-data branch); same API.
use crate::Result;
pub const NUM_CLASSES: usize = 10;
#[derive(Clone, Debug)]
pub struct Dataset {
    rows: usize,
    cols: usize,
    labels: Vec<u8>,
    pixels: Vec<u8>,
}
impl Dataset {
    pub fn new(rows: usize, cols: usize, labels: Vec<u8>, pixels: Vec<u8>) -> Result<Dataset> {
        Ok(Dataset {
            rows,
            cols,
            labels,
            pixels,
        })
    }
    pub fn len(&self) -> usize {
        self.labels.len()
    }
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }
    pub fn rows(&self) -> usize {
        self.rows
    }
    pub fn cols(&self) -> usize {
        self.cols
    }
    pub fn pixels_per_image(&self) -> usize {
        self.rows * self.cols
    }
    pub fn label(&self, index: usize) -> u8 {
        self.labels[index]
    }
    pub fn image(&self, index: usize) -> &[u8] {
        &self.pixels[index * 784..(index + 1) * 784]
    }
}
pub struct Split {
    pub train: Vec<usize>,
    pub test: Vec<usize>,
}
fn shuffled(mut v: Vec<usize>, seed: u64) -> Vec<usize> {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    for i in (1..v.len()).rev() {
        let j = rng.gen_range(0..=i as u32) as usize;
        v.swap(i, j);
    }
    v
}
impl Split {
    pub fn standard(len: usize) -> Split {
        let all = shuffled((0..len).collect(), 12345);
        let t = len * 4 / 5;
        Split {
            train: all[..t].to_vec(),
            test: all[t..].to_vec(),
        }
    }
    pub fn fit(&self) -> &[usize] {
        &self.train[..self.train.len() * 7 / 8]
    }
    pub fn validation(&self) -> &[usize] {
        &self.train[self.train.len() * 7 / 8..]
    }
}
pub fn epoch_order(train: &[usize], seed: u64, epoch: u64) -> Vec<usize> {
    shuffled(train.to_vec(), seed * 1000 + epoch)
}
pub fn pixel_to_input(pixel: u8) -> f32 {
    (pixel as f32 / 255.0 - 0.1307) / 0.3081
}
pub fn fill_batch(dataset: &Dataset, indices: &[usize], out: &mut [f32], labels: &mut [u8]) {
    for (n, &i) in indices.iter().enumerate() {
        for (o, &p) in out[n * 784..(n + 1) * 784].iter_mut().zip(dataset.image(i)) {
            *o = pixel_to_input(p);
        }
        labels[n] = dataset.label(i);
    }
}
#[cfg(not(target_arch = "wasm32"))]
pub fn bundled() -> Result<Dataset> {
    use std::io::Read;
    let bytes = std::fs::read(std::env::var("PRUNELAB_DATA").unwrap_or_default())
        .map_err(|e| crate::Error::Dataset(e.to_string()))?;
    let mut raw = Vec::new();
    flate2::read::GzDecoder::new(&bytes[..])
        .read_to_end(&mut raw)
        .map_err(|e| crate::Error::Dataset(e.to_string()))?;
    let count = u32::from_le_bytes([raw[16], raw[17], raw[18], raw[19]]) as usize;
    let labels = raw[24..24 + count].to_vec();
    let pixels = raw[24 + count..].to_vec();
    Dataset::new(28, 28, labels, pixels)
}
