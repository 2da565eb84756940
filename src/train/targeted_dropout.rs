//! Targeted dropout (Gomez et al. 2019, "Learning Sparse Networks Using Targeted Dropout"):
//! train the network to do without the weights magnitude pruning will remove later.
//!
//! At every training step, in each prunable tensor of `n` entries (a layer's conv kernel or dense
//! weights), the *targeted set* is the `k = ⌊γ·n⌋` entries with the smallest `|w|`, and each
//! targeted entry is dropped independently with probability `α`:
//!
//! ```text
//! dropped(w) = [w ∈ bottom-⌊γ·n⌋ by |w| of its layer] · [u < α],   u ~ U(0, 1) per entry and step
//! ```
//!
//! A dropped weight is 0 in that step's forward pass, gets no gradient (its optimiser state sees a
//! zero gradient) and keeps its value through that step's update: after the step it is back as it
//! was. The pruning mask is separate and never touched. Pruned entries count in `n` and, being 0,
//! are targeted first; they are already zero, so they are never listed as dropped: once a layer is
//! pruned to γ or beyond, targeted dropout has nothing left to drop in it.
//!
//! Defaults `γ = 0.5`, `α = 0.5`: the paper's standard weight-level setting (its ResNet-32 on
//! CIFAR-10 runs; `cifar10_resnet32_trgtd_weight` in the authors' code), which also tries
//! `γ = 0.75` with `α = 0.33` or `0.66` and schedules that ramp γ and α up. Like the paper, the kept
//! weights are not rescaled. Unlike the authors' code, which ranks within each output unit, the
//! targeted set here is ranked over the whole layer (the magnitude strategy's layer scope).
//!
//! Conventions: ties in `|w|` go to the lower index (as pruning's selection); the uniform draws
//! come from the trainer's own seeded stream, one per entry of every prunable tensor per step, in
//! [`Network::params`] order, so the same seed drops the same weights.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::error::{between, out_of_range};
use crate::nn::Network;
use crate::{Error, Result};

/// The paper's targeting proportion γ.
pub const DEFAULT_GAMMA: f64 = 0.5;
/// The paper's drop rate α.
pub const DEFAULT_ALPHA: f64 = 0.5;

/// γ and α.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct TargetedDropoutSettings {
    /// Targeting proportion γ: fraction of each layer's weights (smallest |w|) that may be dropped.
    pub gamma: f64,
    /// Drop rate α: probability that a targeted weight is dropped in a step.
    pub alpha: f64,
}

impl Default for TargetedDropoutSettings {
    fn default() -> Self {
        TargetedDropoutSettings {
            gamma: DEFAULT_GAMMA,
            alpha: DEFAULT_ALPHA,
        }
    }
}

impl TargetedDropoutSettings {
    /// Both in [0, 1]; the message names the setting (`td_gamma`, `td_alpha`).
    pub fn validate(&self) -> Result<()> {
        for (field, value) in [("td_gamma", self.gamma), ("td_alpha", self.alpha)] {
            if !(value.is_finite() && (0.0..=1.0).contains(&value)) {
                return Err(Error::setting(field, out_of_range(value, between(0, 1))));
            }
        }
        Ok(())
    }
}

/// One weight dropped for the current step, with the value it gets back afterwards.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DroppedWeight {
    /// Position in [`Network::params`] (all tensors, biases included).
    pub param: usize,
    /// Entry of that tensor.
    pub index: usize,
    pub value: f32,
}

/// The dropping of one trainer: its settings, its generator and the weights dropped this step.
#[derive(Clone, Debug)]
pub struct TargetedDropout {
    settings: TargetedDropoutSettings,
    rng: ChaCha8Rng,
    dropped: Vec<DroppedWeight>,
    /// Scratch: entry indices of one tensor, reordered to find the targeted set.
    order: Vec<usize>,
    /// Scratch: whether each entry of one tensor is targeted.
    targeted: Vec<bool>,
}

/// Marks in `targeted` the `⌊γ·n⌋` entries of `values` with the smallest |w| (ties: lower index),
/// using `order` as scratch.
pub fn mark_targeted(values: &[f32], gamma: f64, order: &mut Vec<usize>, targeted: &mut Vec<bool>) {
    let n = values.len();
    let k = ((gamma * n as f64).floor() as usize).min(n);
    targeted.clear();
    targeted.resize(n, false);
    if k == 0 {
        return;
    }
    order.clear();
    order.extend(0..n);
    if k < n {
        // A total order (|w|, index), so the k smallest form one definite set.
        order.select_nth_unstable_by(k, |&a, &b| {
            values[a].abs().total_cmp(&values[b].abs()).then(a.cmp(&b))
        });
    }
    for &index in &order[..k] {
        targeted[index] = true;
    }
}

/// The targeted set of one tensor as sorted indices (for tests and explanations).
pub fn targeted_set(values: &[f32], gamma: f64) -> Vec<usize> {
    let (mut order, mut targeted) = (Vec::new(), Vec::new());
    mark_targeted(values, gamma, &mut order, &mut targeted);
    (0..values.len()).filter(|&i| targeted[i]).collect()
}

impl TargetedDropout {
    /// Settings must be valid ([`TargetedDropoutSettings::validate`]); `rng` is the trainer's
    /// stream for this purpose.
    pub fn new(settings: TargetedDropoutSettings, rng: ChaCha8Rng) -> Self {
        TargetedDropout {
            settings,
            rng,
            dropped: Vec::new(),
            order: Vec::new(),
            targeted: Vec::new(),
        }
    }

    pub fn settings(&self) -> TargetedDropoutSettings {
        self.settings
    }

    /// The weights dropped in the current or, between steps, the last step (with their values;
    /// between steps they are back in the network).
    pub fn dropped(&self) -> &[DroppedWeight] {
        &self.dropped
    }

    /// Starts a step: sets the dropped weights to 0 and remembers their values.
    pub fn drop_weights(&mut self, network: &mut Network) {
        self.dropped.clear();
        let alpha = self.settings.alpha;
        for (param_index, param) in network.params_mut().enumerate() {
            let (values, _, Some(mask)) = param.update_parts() else {
                continue;
            };
            mark_targeted(
                values,
                self.settings.gamma,
                &mut self.order,
                &mut self.targeted,
            );
            for (index, value) in values.iter_mut().enumerate() {
                let draw: f64 = self.rng.gen();
                if self.targeted[index] && mask[index] && draw < alpha {
                    self.dropped.push(DroppedWeight {
                        param: param_index,
                        index,
                        value: *value,
                    });
                    *value = 0.0;
                }
            }
        }
    }

    /// After the backward pass: the dropped weights get no gradient.
    pub fn clear_gradients(&self, network: &mut Network) {
        let mut params: Vec<_> = network.params_mut().collect();
        for dropped in &self.dropped {
            params[dropped.param].grad[dropped.index] = 0.0;
        }
    }

    /// Ends the step: the dropped weights get their values back (whatever the update did to them).
    pub fn restore(&self, network: &mut Network) {
        let mut params: Vec<_> = network.params_mut().collect();
        for dropped in &self.dropped {
            params[dropped.param].value[dropped.index] = dropped.value;
        }
    }
}
