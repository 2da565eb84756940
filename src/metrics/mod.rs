//! Compute and energy counted from the real masks.
//!
//! Training multiply-accumulates per example: forward `Σ_l kept_l · positions_l` (positions = output
//! pixels for a conv, 1 for a dense layer), the weight gradient the same again, and the input gradient
//! the same again for every layer but the first (whose input gradient is never computed).
//! Dense figures use every weight; actual figures use the kept ones.
//!
//! Energy model (Horowitz, ISSCC 2014, 45 nm, as used by Han et al. 2015): a 32-bit float multiply
//! 3.7 pJ, a 32-bit float add 0.9 pJ, a 32-bit SRAM read 5 pJ; one MAC = multiply + add + one weight
//! read from SRAM = 9.6 pJ. DRAM traffic (640 pJ per 32-bit read) is not modelled: the networks here
//! fit in on-chip memory. It is an estimate of arithmetic energy, not a measurement.

pub mod throughput;

use crate::nn::{Layer, Network};

pub const MULTIPLY_PJ: f64 = 3.7;
pub const ADD_PJ: f64 = 0.9;
pub const SRAM_READ_PJ: f64 = 5.0;
pub const DRAM_READ_PJ: f64 = 640.0;
/// Energy of one multiply-accumulate in this model.
pub const MAC_PJ: f64 = MULTIPLY_PJ + ADD_PJ + SRAM_READ_PJ;
/// One line stating the model, to print next to every energy figure.
pub const ENERGY_MODEL: &str =
    "energy estimate: 9.6 pJ per multiply-accumulate (45 nm: fp32 mult 3.7 pJ + add 0.9 pJ + SRAM read 5 pJ; Horowitz 2014)";

/// Training MACs per example (forward + both backward products): `(actual, dense)`.
pub fn training_macs_per_example(network: &Network) -> (u64, u64) {
    let (mut actual, mut dense) = (0u64, 0u64);
    let mut first = true;
    for layer in network.layers() {
        let (kept, all, positions) = match layer {
            Layer::Conv(c) => (
                c.weight.kept(),
                c.weight.len(),
                c.output.height * c.output.width,
            ),
            Layer::Dense(d) => (d.weight.kept(), d.weight.len(), 1),
            _ => continue,
        };
        let passes = if first { 2 } else { 3 };
        first = false;
        actual += (passes * kept * positions) as u64;
        dense += (passes * all * positions) as u64;
    }
    (actual, dense)
}

/// Joules for `macs` multiply-accumulates in the model above.
pub fn energy_joules(macs: u64) -> f64 {
    macs as f64 * MAC_PJ * 1e-12
}

/// Cumulative training compute of a run, counting every step actually trained.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ComputeCounter {
    /// MACs the masked network needed.
    pub actual: u64,
    /// MACs the same steps would have needed without pruning.
    pub dense: u64,
}

impl ComputeCounter {
    /// Adds one trained mini-batch of `examples` with the network's current masks.
    pub fn add_batch(&mut self, network: &Network, examples: usize) {
        let (actual, dense) = training_macs_per_example(network);
        self.actual += actual * examples as u64;
        self.dense += dense * examples as u64;
    }

    /// Adds forward passes only (e.g. the held-out loss checks of the rollback schedule).
    pub fn add_forward(&mut self, network: &Network, examples: usize) {
        self.actual += network.forward_macs() * examples as u64;
        self.dense += network.dense_forward_macs() * examples as u64;
    }
}
