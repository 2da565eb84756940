//! Dynamic sparse training (SET, Mocanu et al. 2018; RigL, Evci et al. 2020): every ΔT steps each
//! layer drops a fraction of its kept weights — the smallest |w| — and regrows as many elsewhere,
//! so the sparsity stays exactly where it is.
//!
//! - Drop fraction at step t (RigL's cosine decay): `f_t = (α/2)·(1 + cos(π·t/T_end))`, none after
//!   `T_end`.
//! - Regrowth: SET picks uniformly at random among the inactive weights; RigL picks those with the
//!   largest |∂L/∂w| of the *dense* gradient (pruned positions included). Weights dropped in the
//!   same step are not regrown. Regrown weights start at exactly 0 (pruned values already are), and
//!   their optimiser moments at 0 (the optimiser holds them there while pruned).
//! - Per layer `k = round(f_t · kept)` — Python rounding — capped by the inactive weights available.

use rand::seq::SliceRandom;

use super::select::amount_to_count;
use crate::train::seeded_rng;

/// Seed stream of SET's random regrowth.
const REGROW_STREAM: u64 = 0x11;

/// How the regrown weights are chosen.
pub enum Regrowth<'a> {
    /// Uniformly at random (SET), from `seed` and the step.
    Random { seed: u64, step: u64 },
    /// Largest |dense gradient| (RigL), one tensor per prunable tensor.
    Gradient(&'a [Vec<f32>]),
}

/// Where drop-and-regrow stops, in percent of the sparse phase: `T_end` (Evci et al. 2020 stop
/// updating the mask at 75% of training, so the last quarter fine-tunes a fixed mask).
pub const REGROW_END_PERCENT: u64 = 75;

/// `T_end`, the step after which the mask stays fixed, for a phase of `phase_steps` mini-batches.
pub fn regrow_end(phase_steps: u64) -> u64 {
    phase_steps * REGROW_END_PERCENT / 100
}

/// `(α/2)·(1 + cos(π·t/T_end))` for `t < T_end`, else 0.
pub fn drop_fraction(alpha: f64, step: u64, end: u64) -> f64 {
    if step >= end || end == 0 {
        return 0.0;
    }
    alpha / 2.0 * (1.0 + (std::f64::consts::PI * step as f64 / end as f64).cos())
}

/// New masks after one drop-and-regrow step. `values` are the weights, `masks` the current masks.
/// Returns, per tensor, the new mask.
pub fn drop_and_regrow(
    values: &[&[f32]],
    masks: &[Vec<bool>],
    fraction: f64,
    regrowth: &Regrowth<'_>,
) -> Vec<Vec<bool>> {
    let mut rng = match regrowth {
        // A generator per step (seed and step mixed), so steps draw independent numbers.
        Regrowth::Random { seed, step } => Some(seeded_rng(
            seed.wrapping_add(step.wrapping_mul(0x9E37_79B9_7F4A_7C15)),
            REGROW_STREAM,
        )),
        Regrowth::Gradient(_) => None,
    };
    masks
        .iter()
        .enumerate()
        .map(|(t, mask)| {
            let kept: Vec<usize> = (0..mask.len()).filter(|&i| mask[i]).collect();
            let inactive: Vec<usize> = (0..mask.len()).filter(|&i| !mask[i]).collect();
            let k = amount_to_count(fraction, kept.len()).min(inactive.len());
            let mut new = mask.clone();
            if k == 0 {
                return new;
            }
            // Drop the k smallest |w| (ties by index).
            let mut by_magnitude = kept;
            by_magnitude.sort_by(|&a, &b| {
                values[t][a]
                    .abs()
                    .total_cmp(&values[t][b].abs())
                    .then(a.cmp(&b))
            });
            for &i in &by_magnitude[..k] {
                new[i] = false;
            }
            // Regrow k among the weights inactive before this step.
            let mut candidates = inactive;
            match (regrowth, rng.as_mut()) {
                (Regrowth::Random { .. }, Some(rng)) => candidates.shuffle(rng),
                (Regrowth::Gradient(grads), _) => candidates.sort_by(|&a, &b| {
                    grads[t][b]
                        .abs()
                        .total_cmp(&grads[t][a].abs())
                        .then(a.cmp(&b))
                }),
                _ => {}
            }
            for &i in &candidates[..k] {
                new[i] = true;
            }
            new
        })
        .collect()
}
