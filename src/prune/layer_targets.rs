//! Per-layer sparsity overrides: some layers pruned to their own sparsity, the rest to the target.
//!
//! # Semantics
//! - An override names a layer (`conv1`, `fc2`) or its weight tensor (`conv1.weight`) and gives
//!   that layer's own sparsity (fraction of its weights pruned), in [0, 1).
//! - Layer scope: each overridden layer goes to its own sparsity; the other layers are pruned as
//!   without overrides (each by the same fraction, computed over the non-overridden layers).
//! - Global scope: overridden layers go to their own sparsity first; then one threshold over the
//!   other (non-skipped) layers prunes what is left to reach the total target. When that cannot be
//!   met the amount is clamped: overrides that already prune more than the target leave the other
//!   layers untouched (total above target); overrides that prune too little for the others to make
//!   up stop at the one-weight-per-layer guard (total below target). Either way the step's event
//!   records its target and the sparsity reached, and `prunelab prune` notes the shortfall.
//! - Schedules that prune in steps (iterative, gradual, rollback, lottery) scale every override
//!   with the schedule: at a step whose target is `s` of a final `S`, a layer with override `o` is
//!   pruned to `o·s/S`, so each layer follows the same ramp and reaches `o` when the run reaches `S`.
//! - Structured pruning removes units, so a layer's sparsity is approximate there (as for the
//!   target): a fraction of its units goes, and the next layer's inputs from them are masked on top.

use serde::{Deserialize, Serialize};

use crate::error::{below, ErrorCode};
use crate::i18n::plain;
use crate::nn::{ArchSpec, LayerSpec, Network};
use crate::{Error, Result};

/// One override, as configured (`RunConfig.prune.layer_targets`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LayerTarget {
    /// A layer name (`conv1`, `fc2`) or its weight tensor's name (`conv1.weight`).
    pub layer: String,
    /// The layer's own sparsity, in [0, 1).
    pub sparsity: f64,
}

/// An override resolved to a prunable tensor (index in prunable-tensor order).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TensorTarget {
    pub tensor: usize,
    pub sparsity: f64,
}

/// The config field the messages name.
pub const FIELD: &str = "layer_targets";

/// The conv/dense layer names of an architecture, in order (`conv1`, `conv2`, `fc1`), as
/// [`Network::new`] names them.
pub fn layer_names(spec: &ArchSpec) -> Vec<String> {
    let (mut convs, mut denses) = (0, 0);
    spec.layers
        .iter()
        .filter_map(|layer| match layer {
            LayerSpec::Conv { .. } => {
                convs += 1;
                Some(format!("conv{convs}"))
            }
            LayerSpec::Dense { .. } => {
                denses += 1;
                Some(format!("fc{denses}"))
            }
            _ => None,
        })
        .collect()
}

/// The layer names of a network's prunable tensors, in prunable-tensor order.
pub fn prunable_names(network: &Network) -> Vec<String> {
    network
        .params()
        .filter(|p| p.is_prunable())
        .map(|p| p.name.trim_end_matches(".weight").to_string())
        .collect()
}

/// Maps overrides to tensor indices among `names`; unknown or repeated layers and sparsities
/// outside [0, 1) are refused with a message naming the field and what is allowed.
pub fn resolve(names: &[String], targets: &[LayerTarget]) -> Result<Vec<TensorTarget>> {
    let mut resolved: Vec<TensorTarget> = Vec::with_capacity(targets.len());
    for target in targets {
        let name = target.layer.trim();
        let name = name.strip_suffix(".weight").unwrap_or(name);
        let Some(tensor) = names.iter().position(|n| n == name) else {
            return Err(Error::setting(
                FIELD,
                ErrorCode::UnknownLayer.with(vec![
                    ("layer", plain(&target.layer)),
                    ("layers", plain(names.join(", "))),
                    (
                        "example",
                        plain(names.first().map_or("conv1", String::as_str)),
                    ),
                ]),
            ));
        };
        if resolved.iter().any(|r| r.tensor == tensor) {
            return Err(Error::setting(
                FIELD,
                ErrorCode::LayerGivenTwice.with(vec![("layer", plain(name))]),
            ));
        }
        if !(target.sparsity.is_finite() && (0.0..1.0).contains(&target.sparsity)) {
            return Err(Error::setting(
                FIELD,
                ErrorCode::LayerSparsityOutOfRange.with(vec![
                    ("layer", plain(name)),
                    ("value", plain(target.sparsity)),
                    ("allowed", below(0, 1)),
                ]),
            ));
        }
        resolved.push(TensorTarget {
            tensor,
            sparsity: target.sparsity,
        });
    }
    Ok(resolved)
}

/// The overrides at a schedule step pruning to `current` of a `final_target`: each scaled by
/// `current / final_target` (unscaled when the final target is 0; see the module doc).
pub fn scaled(targets: &[TensorTarget], current: f64, final_target: f64) -> Vec<TensorTarget> {
    let factor = if final_target > 0.0 {
        (current / final_target).clamp(0.0, 1.0)
    } else {
        1.0
    };
    targets
        .iter()
        .map(|t| TensorTarget {
            sparsity: t.sparsity * factor,
            ..*t
        })
        .collect()
}
