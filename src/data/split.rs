//! The fixed train/test split and each epoch's example order.
//!
//! Both come from seeded ChaCha8 generators and a Fisher–Yates shuffle drawing `u32` ranges, so
//! 32-bit WebAssembly and 64-bit native builds produce the same indices.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The split's seed: fixed forever, so "the test digits" always means the same 2,000 images.
const SPLIT_SEED: u64 = 0x5052_554e_454c_4142; // "PRUNELAB"
/// Size of the validation slice of the 10,000-digit split.
const VALIDATION_LEN: usize = 1_000;

/// Indices of the training and test images. `validation` is the end of `train`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Split {
    pub train: Vec<usize>,
    pub test: Vec<usize>,
}

impl Split {
    /// 8,000 train / 2,000 test for the 10,000 bundled digits; 80/20 for other sizes.
    pub fn standard(len: usize) -> Split {
        let mut indices: Vec<usize> = (0..len).collect();
        shuffle(&mut indices, &mut ChaCha8Rng::seed_from_u64(SPLIT_SEED));
        let train_len = len * 4 / 5;
        let test = indices.split_off(train_len);
        Split {
            train: indices,
            test,
        }
    }

    fn validation_len(&self) -> usize {
        VALIDATION_LEN.min(self.train.len() / 8)
    }

    /// The training images used for fitting when hyper-parameters are being chosen.
    pub fn fit(&self) -> &[usize] {
        &self.train[..self.train.len() - self.validation_len()]
    }

    /// The last 1,000 training images (1/8 of train for other sizes): for choosing hyper-parameters.
    pub fn validation(&self) -> &[usize] {
        &self.train[self.train.len() - self.validation_len()..]
    }
}

/// The training order of epoch `epoch` (0-based) for a run seeded with `seed`.
pub fn epoch_order(train: &[usize], seed: u64, epoch: u64) -> Vec<usize> {
    let mut order = train.to_vec();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    // One stream per epoch: the order of epoch e does not depend on how many draws earlier epochs made.
    rng.set_stream(epoch.wrapping_add(0x100));
    shuffle(&mut order, &mut rng);
    order
}

/// Fisher–Yates with `u32` draws (portable across pointer widths).
fn shuffle(values: &mut [usize], rng: &mut ChaCha8Rng) {
    for i in (1..values.len()).rev() {
        let j = rng.gen_range(0..=i as u32) as usize;
        values.swap(i, j);
    }
}
