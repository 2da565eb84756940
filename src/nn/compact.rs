//! Physically smaller networks from structured masks: units (conv filters, dense rows) whose every
//! weight is pruned are cut out of the architecture, with the next layer's inputs from them.
//!
//! # Rules
//! - A unit is *removed* when its weight tensor has a mask and every entry of the unit is pruned.
//!   The output layer (its units are the classes) is never shrunk, and a layer keeps at least one
//!   unit (its lowest index when all are pruned: a fully pruned unit still computes exactly).
//! - A removed unit `o` still emits its bias `b[o]` through the layers up to the next conv/dense
//!   layer: ReLU makes it `max(b, 0)`, max-pooling a constant plane leaves it unchanged. So the next
//!   layer reads a constant `v` on input channel `o`, and its contribution is folded into that
//!   layer's bias: `b'[r] = b[r] + v·Σ_s W[r, o, s]`, viewing the consumer's weight as
//!   `[rows, channels, span]` (conv: `span = K·K`, valid padding so every output position sees all
//!   taps; dense after a conv stage: `span = H·W`, the channel's flattened columns `o·H·W ..
//!   (o+1)·H·W`; dense after dense: `span = 1`). Structured pruning masks those consumer weights
//!   already ([`crate::prune::structured::mask_consumer_inputs`]), in which case they are 0 and the
//!   fold adds nothing; masks that empty a unit without masking its consumer (unstructured pruning,
//!   loaded masks) are folded exactly.
//! - Kept entries keep their values and masks; the compacted network computes the same logits as
//!   the masked one (up to float summation order). Dropout during training is not constant-preserving,
//!   so the equivalence is for inference and dropout-free training.
//!
//! # Parameter counts
//! The compacted network's parameters are all entries of the kept units (pruned ones inside them
//! included, still masked) and the biases of kept units. The biases of removed units are not
//! parameters any more (they live on, folded into the next layer's bias), so
//! `compacted.kept_param_count() = masked.kept_param_count() − removed_biases − dropped_live_inputs`.

use serde::Serialize;

use super::network::{Layer, Network};
use super::param::Param;
use super::spec::LayerSpec;
use crate::Result;

/// The units one conv/dense layer keeps.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KeptUnits {
    /// Layer name: `conv1`, `fc2`, …
    pub layer: String,
    /// Units (filters or rows) before compaction.
    pub units: usize,
    /// Original indices of the kept units, ascending.
    pub kept: Vec<usize>,
}

/// A compacted network and how it maps to the original.
#[derive(Clone, Debug)]
pub struct Compacted {
    pub network: Network,
    /// One entry per conv/dense layer, in layer order.
    pub kept_units: Vec<KeptUnits>,
    /// Parameters (weights and biases, pruned or not) before and after.
    pub params_before: usize,
    pub params_after: usize,
    /// Biases of removed units (folded into the next layer, no longer parameters).
    pub removed_biases: usize,
    /// Unpruned consumer weights that read a removed unit (folded into the next layer's bias).
    pub dropped_live_inputs: usize,
}

/// Builds the physically smaller network; see the module doc.
pub fn compact(network: &Network) -> Result<Compacted> {
    let layers = network.layers();
    let weighted: Vec<usize> = (0..layers.len())
        .filter(|&i| weight_and_bias(&layers[i]).is_some())
        .collect();
    // Per weighted layer: kept units, and (unit, constant it feeds the next weighted layer).
    let mut kept = Vec::with_capacity(weighted.len());
    let mut constants = Vec::with_capacity(weighted.len());
    for (position, &index) in weighted.iter().enumerate() {
        let Some((weight, bias)) = weight_and_bias(&layers[index]) else {
            continue;
        };
        let is_output = position + 1 == weighted.len();
        let units = weight.shape[0];
        let unit_len = weight.len() / units.max(1);
        let emptied = |o: usize| {
            weight
                .mask()
                .is_some_and(|m| m[o * unit_len..(o + 1) * unit_len].iter().all(|&k| !k))
        };
        let mut keep: Vec<usize> = (0..units).filter(|&o| is_output || !emptied(o)).collect();
        if keep.is_empty() {
            keep.push(0);
        }
        let next = weighted.get(position + 1).copied().unwrap_or(layers.len());
        let between = &layers[index + 1..next];
        let removed: Vec<(usize, f32)> = (0..units)
            .filter(|o| keep.binary_search(o).is_err())
            .map(|o| (o, constant_after(between, bias.value[o])))
            .collect();
        kept.push(keep);
        constants.push(removed);
    }

    let mut spec = network.spec().clone();
    for (&index, keep) in weighted.iter().zip(&kept) {
        match &mut spec.layers[index] {
            LayerSpec::Conv { filters, .. } => *filters = keep.len(),
            LayerSpec::Dense { units } => *units = keep.len(),
            _ => {}
        }
    }
    let mut compacted = Network::new(&spec)?;
    let mut dropped_live_inputs = 0;
    let mut kept_units = Vec::with_capacity(weighted.len());
    {
        let mut targets: Vec<&mut Param> = compacted.params_mut().collect();
        for (position, &index) in weighted.iter().enumerate() {
            let Some((weight, bias)) = weight_and_bias(&layers[index]) else {
                continue;
            };
            let channels = network.shapes()[index].channels;
            let inputs = match position.checked_sub(1) {
                Some(previous) => Inputs {
                    kept: kept[previous].clone(),
                    constants: &constants[previous],
                },
                None => Inputs {
                    kept: (0..channels).collect(),
                    constants: &[],
                },
            };
            let (new_weight, new_bias) = targets[2 * position..].split_at_mut(1);
            dropped_live_inputs += copy_layer(
                weight,
                bias,
                &kept[position],
                channels,
                &inputs,
                &mut *new_weight[0],
                &mut *new_bias[0],
            );
            kept_units.push(KeptUnits {
                layer: weight.name.trim_end_matches(".weight").to_string(),
                units: weight.shape[0],
                kept: kept[position].clone(),
            });
        }
    }
    Ok(Compacted {
        params_before: network.param_count(),
        params_after: compacted.param_count(),
        removed_biases: constants.iter().map(Vec::len).sum(),
        dropped_live_inputs,
        network: compacted,
        kept_units,
    })
}

/// The input channels a layer keeps and the constants of those it drops.
struct Inputs<'a> {
    kept: Vec<usize>,
    constants: &'a [(usize, f32)],
}

/// Copies the kept rows × kept input channels of `weight` (seen as `[rows, channels, span]`) and
/// the kept biases, folding dropped constant inputs into the bias. Returns how many unpruned
/// weights read a dropped input.
fn copy_layer(
    weight: &Param,
    bias: &Param,
    rows: &[usize],
    channels: usize,
    inputs: &Inputs<'_>,
    new_weight: &mut Param,
    new_bias: &mut Param,
) -> usize {
    let span = weight.len() / (weight.shape[0] * channels).max(1);
    let row_len = channels * span;
    let mut values = Vec::with_capacity(new_weight.len());
    let mut mask = Vec::with_capacity(new_weight.len());
    let mut live = 0;
    for (slot, &row) in rows.iter().enumerate() {
        for &channel in &inputs.kept {
            let start = row * row_len + channel * span;
            values.extend_from_slice(&weight.value[start..start + span]);
            match weight.mask() {
                Some(m) => mask.extend_from_slice(&m[start..start + span]),
                None => mask.extend(std::iter::repeat_n(true, span)),
            }
        }
        let mut folded = bias.value[row] as f64;
        for &(channel, constant) in inputs.constants {
            let start = row * row_len + channel * span;
            let taps = &weight.value[start..start + span];
            folded += constant as f64 * taps.iter().map(|&w| w as f64).sum::<f64>();
            live += weight.mask().map_or(span, |m| {
                m[start..start + span].iter().filter(|&&k| k).count()
            });
        }
        new_bias.value[slot] = folded as f32;
    }
    new_weight.value.copy_from_slice(&values);
    if weight.mask().is_some() {
        new_weight.set_mask(mask);
    } else {
        new_weight.clear_mask();
    }
    live
}

/// What a constant `value` becomes after the ReLU / max-pool layers between two weighted layers.
fn constant_after(between: &[Layer], value: f32) -> f32 {
    between.iter().fold(value, |v, layer| match layer {
        Layer::Relu => v.max(0.0),
        // The max of a constant window is the constant; conv/dense never sit in between.
        _ => v,
    })
}

fn weight_and_bias(layer: &Layer) -> Option<(&Param, &Param)> {
    match layer {
        Layer::Conv(conv) => Some((&conv.weight, &conv.bias)),
        Layer::Dense(dense) => Some((&dense.weight, &dense.bias)),
        _ => None,
    }
}
