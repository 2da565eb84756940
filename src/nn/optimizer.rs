//! Optimisers: SGD with momentum and Adam, with optional L2 and L1 penalties on prunable weights.
//!
//! Per entry with gradient `g` (after back-propagation), learning rate `η`, step `t`:
//! - L2 (coupled weight decay, as PyTorch's `weight_decay`): `g ← g + λ₂·w`
//! - SGD (PyTorch form): `v ← μ·v + g`, `w ← w − η·v`
//! - Adam: `m ← β₁m + (1−β₁)g`, `v ← β₂v + (1−β₂)g²`, `w ← w − η·m̂/(√v̂ + ε)` with `m̂ = m/(1−β₁ᵗ)`, `v̂ = v/(1−β₂ᵗ)`
//! - L1 as a proximal (soft-threshold) step after the update: `w ← sign(w)·max(|w| − η·λ₁, 0)`, which
//!   produces exact zeros.
//!
//! Penalties apply to prunable weights only (conv kernels, dense weights), not to biases.
//! Pruned entries are skipped: their value stays exactly 0.0 and their momentum/moments are held at 0,
//! so a weight regrown later starts from a clean state.

use serde::{Deserialize, Serialize};

use super::network::Network;

/// The update rule. Names and labels: see [`crate::names`].
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::Display,
    strum::VariantArray,
    strum::EnumMessage,
)]
#[strum(serialize_all = "kebab-case")]
pub enum OptimizerKind {
    #[strum(message = "SGD + momentum")]
    Sgd,
    #[strum(message = "Adam")]
    Adam,
}

crate::names::named!(OptimizerKind, "optimizer");

impl OptimizerKind {
    /// The canonical name, e.g. `adam`.
    pub fn name(self) -> &'static str {
        crate::names::Named::name(self)
    }
}

/// Hyper-parameters of the update rule (the learning rate is passed per step, for schedules).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct OptimizerSettings {
    pub kind: OptimizerKind,
    /// SGD momentum μ.
    pub momentum: f32,
    pub beta1: f32,
    pub beta2: f32,
    pub epsilon: f32,
    /// λ₂ of the L2 penalty λ₂/2·Σw² (its gradient is λ₂·w).
    pub l2: f32,
    /// λ₁ of the L1 penalty λ₁·Σ|w|, applied as a proximal step.
    pub l1: f32,
}

impl OptimizerSettings {
    pub fn new(kind: OptimizerKind) -> Self {
        OptimizerSettings {
            kind,
            momentum: 0.9,
            beta1: 0.9,
            beta2: 0.999,
            epsilon: 1e-8,
            l2: 0.0,
            l1: 0.0,
        }
    }
}

/// The optimiser with its per-entry state; cloning it snapshots the state (used by rollback).
#[derive(Clone, Debug, PartialEq)]
pub struct Optimizer {
    pub settings: OptimizerSettings,
    steps: u64,
    /// SGD velocity or Adam first moment, one vector per parameter tensor.
    first: Vec<Vec<f32>>,
    /// Adam second moment (empty for SGD).
    second: Vec<Vec<f32>>,
}

impl Optimizer {
    pub fn new(settings: OptimizerSettings, network: &Network) -> Self {
        let zeros: Vec<Vec<f32>> = network.params().map(|p| vec![0.0; p.len()]).collect();
        let second = match settings.kind {
            OptimizerKind::Adam => zeros.clone(),
            OptimizerKind::Sgd => Vec::new(),
        };
        Optimizer {
            settings,
            steps: 0,
            first: zeros,
            second,
        }
    }

    /// Number of updates applied so far.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// SGD velocity / Adam first moment of parameter `index` (for tests and inspection).
    pub fn first_moment(&self, index: usize) -> &[f32] {
        &self.first[index]
    }

    /// Applies one update with learning rate `learning_rate` to every parameter of `network`.
    ///
    /// An entry whose update would be non-finite keeps its old value; the return value is the name of
    /// the first such tensor (the run has diverged), or `None`.
    pub fn step(&mut self, network: &mut Network, learning_rate: f32) -> Option<String> {
        let mut diverged = None;
        self.steps += 1;
        let s = self.settings;
        let bias1 = 1.0 - s.beta1.powi(self.steps.min(i32::MAX as u64) as i32);
        let bias2 = 1.0 - s.beta2.powi(self.steps.min(i32::MAX as u64) as i32);
        for (index, param) in network.params_mut().enumerate() {
            let penalised = param.is_weight;
            let (l2, l1) = if penalised { (s.l2, s.l1) } else { (0.0, 0.0) };
            let shrink = learning_rate * l1;
            let first = &mut self.first[index];
            let (values, grads, mask) = param.update_parts();
            for i in 0..values.len() {
                if mask.is_some_and(|m| !m[i]) {
                    first[i] = 0.0;
                    if let Some(second) = self.second.get_mut(index) {
                        second[i] = 0.0;
                    }
                    continue;
                }
                let w = values[i];
                let g = grads[i] + l2 * w;
                let mut updated = match s.kind {
                    OptimizerKind::Sgd => {
                        first[i] = s.momentum * first[i] + g;
                        w - learning_rate * first[i]
                    }
                    OptimizerKind::Adam => {
                        let second = &mut self.second[index];
                        first[i] = s.beta1 * first[i] + (1.0 - s.beta1) * g;
                        second[i] = s.beta2 * second[i] + (1.0 - s.beta2) * g * g;
                        let m_hat = first[i] / bias1;
                        let v_hat = second[i] / bias2;
                        w - learning_rate * m_hat / (v_hat.sqrt() + s.epsilon)
                    }
                };
                if shrink > 0.0 {
                    updated = updated.signum() * (updated.abs() - shrink).max(0.0);
                }
                if updated.is_finite() {
                    values[i] = updated;
                } else if diverged.is_none() {
                    diverged = Some(index);
                }
            }
        }
        diverged.and_then(|index| network.params().nth(index).map(|p| p.name.clone()))
    }
}
