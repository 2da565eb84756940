//! When to prune and how far: the target sparsity as a function of the training step.
//!
//! - One-shot: the final sparsity `s_f` at the first step.
//! - Iterative (Han et al. 2015): every `interval` steps prune `rate` of what remains,
//!   `s_k = 1 − (1 − rate)^k`, capped at `s_f`.
//! - Gradual (Zhu & Gupta 2017; TF-MOT's PolynomialDecay with power 3):
//!   `s_t = s_f + (s_i − s_f)·(1 − (t − t₀)/(n·Δt))³` at `t = t₀, t₀ + Δt, …, t₀ + n·Δt`. It equals `s_i`
//!   at `t₀` and `s_f` at `t₀ + n·Δt` exactly. Between two pruning steps the rate applied to the
//!   remaining weights is `(s_t − s_{t−1}) / (1 − s_{t−1})`, which is what pruning "to" `s_t` does.
//!
//! Steps are counted from the start of the pruning phase (0 = its first mini-batch).

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SparsitySchedule {
    OneShot {
        target: f64,
    },
    Iterative {
        target: f64,
        rate: f64,
        interval: u64,
    },
    Gradual {
        initial: f64,
        target: f64,
        start: u64,
        interval: u64,
        steps: u64,
    },
}

impl SparsitySchedule {
    /// The sparsity to prune to at `step`, or `None` when no pruning happens at this step.
    pub fn target_at(&self, step: u64) -> Option<f64> {
        match *self {
            SparsitySchedule::OneShot { target } => (step == 0).then_some(target),
            SparsitySchedule::Iterative {
                target,
                rate,
                interval,
            } => {
                if step % interval != 0 {
                    return None;
                }
                let k = step / interval + 1;
                let previous = 1.0 - (1.0 - rate).powi((k - 1) as i32);
                (previous < target).then(|| (1.0 - (1.0 - rate).powi(k as i32)).min(target))
            }
            SparsitySchedule::Gradual {
                initial,
                target,
                start,
                interval,
                steps,
            } => {
                if step < start
                    || (step - start) % interval != 0
                    || (step - start) / interval > steps
                {
                    return None;
                }
                let progress = (step - start) as f64 / (steps * interval) as f64;
                Some(target + (initial - target) * (1.0 - progress).powi(3))
            }
        }
    }

    /// The sparsity the schedule ends at.
    pub fn final_target(&self) -> f64 {
        match *self {
            SparsitySchedule::OneShot { target }
            | SparsitySchedule::Iterative { target, .. }
            | SparsitySchedule::Gradual { target, .. } => target,
        }
    }

    /// Checks ranges; the message names the field.
    pub fn validate(&self) -> Result<()> {
        super::validate_target(self.final_target())?;
        match *self {
            SparsitySchedule::OneShot { .. } => Ok(()),
            SparsitySchedule::Iterative { rate, interval, .. } => {
                if !(rate > 0.0 && rate < 1.0) {
                    return Err(Error::setting(
                        "prune_rate",
                        format!("{rate} is out of range; allowed: above 0, below 1"),
                    ));
                }
                if interval == 0 {
                    return Err(Error::setting("prune_interval", "must be at least 1 step"));
                }
                Ok(())
            }
            SparsitySchedule::Gradual {
                initial,
                target,
                interval,
                steps,
                ..
            } => {
                if !(0.0..=target).contains(&initial) {
                    return Err(Error::setting(
                        "initial_sparsity",
                        format!("{initial} is out of range; allowed: 0 to the target {target}"),
                    ));
                }
                if interval == 0 || steps == 0 {
                    return Err(Error::setting(
                        "prune_interval",
                        "the interval and the number of pruning steps must be at least 1",
                    ));
                }
                Ok(())
            }
        }
    }
}
