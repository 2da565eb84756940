//! The counted figures of one network: parameters, storage sizes and multiply-accumulates, from
//! the tensors' shapes and masks alone (so a history is enough, no network needs building).
//!
//! Conventions: every conv/dense weight is a prunable tensor with one bias per unit (filter or
//! row), `shape[0]` units; biases are never pruned. A conv has valid padding and stride 1, so
//! `positions = (H − K + 1)·(W − K + 1)` output pixels per filter; a dense layer has 1.
//! - fp32 storage: every parameter, pruned or not, 4 bytes.
//! - CSR ([`CSR_FORMAT`]): per weight tensor viewed as `[units, inputs]`, kept values (4 B) and
//!   their column indices (4 B) plus `units + 1` row pointers (4 B); biases dense (4 B each).
//! - Inference MACs per image: `Σ kept·positions`.
//! - Training MACs per image: forward, weight gradient and input gradient, the last skipped for
//!   the first layer: `Σ passes·kept·positions`, `passes` = 2 for the first layer, 3 after
//!   (the rule of [`crate::metrics::training_macs_per_example`]).
//! - Compacted ([`crate::nn::compact`]): units whose weights are all pruned are cut out, with the
//!   next layer's inputs from them; the output layer keeps its units and a layer keeps at least
//!   one. Its parameters are every entry of the kept units over the kept inputs plus their biases,
//!   stored as fp32.

use serde::Serialize;

use crate::run::history::TensorInfo;

/// Says exactly how the sparse size is counted.
pub const CSR_FORMAT: &str = "CSR per weight tensor (rows = filters or units): fp32 values, \
    32-bit column indices, 32-bit row pointers; biases stored dense as fp32";

const BYTES_PER_VALUE: u64 = 4;
const BYTES_PER_INDEX: u64 = 4;

/// One network's counted figures.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NetworkFigures {
    /// Weights and biases that are not pruned (biases always count).
    pub params: u64,
    pub bytes_fp32: u64,
    pub bytes_csr: u64,
    pub inference_macs_per_image: u64,
    pub training_macs_per_image: u64,
}

/// How many whole units compaction removes, and what is left.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Compaction {
    /// Filters and dense units cut out (the output layer's are never cut).
    pub units_removed: u64,
    pub params: u64,
    pub bytes_fp32: u64,
}

/// One tensor's shape read as units × inputs, with its output positions.
struct TensorShape {
    len: usize,
    units: usize,
    per_unit: usize,
    positions: usize,
}

fn tensor_shape(info: &TensorInfo) -> TensorShape {
    let len = info.shape.iter().product::<usize>();
    let units = info.shape.first().copied().unwrap_or(1).max(1);
    let positions = match info.shape.as_slice() {
        [_, _, kernel_h, kernel_w] => {
            (info.input.height + 1).saturating_sub(*kernel_h)
                * (info.input.width + 1).saturating_sub(*kernel_w)
        }
        _ => 1,
    };
    TensorShape {
        len,
        units,
        per_unit: len / units,
        positions,
    }
}

/// The figures of the network with these tensors; `masks = None` counts every weight (dense).
pub fn network_figures(tensors: &[TensorInfo], masks: Option<&[Vec<bool>]>) -> NetworkFigures {
    let mut figures = NetworkFigures {
        params: 0,
        bytes_fp32: 0,
        bytes_csr: 0,
        inference_macs_per_image: 0,
        training_macs_per_image: 0,
    };
    for (index, info) in tensors.iter().enumerate() {
        let shape = tensor_shape(info);
        let kept = match masks.and_then(|m| m.get(index)) {
            Some(mask) => mask.iter().filter(|&&k| k).count(),
            None => shape.len,
        } as u64;
        let (len, units) = (shape.len as u64, shape.units as u64);
        let passes = if index == 0 { 2 } else { 3 };
        figures.params += kept + units;
        figures.bytes_fp32 += (len + units) * BYTES_PER_VALUE;
        figures.bytes_csr += kept * (BYTES_PER_VALUE + BYTES_PER_INDEX)
            + (units + 1) * BYTES_PER_INDEX
            + units * BYTES_PER_VALUE;
        figures.inference_macs_per_image += kept * shape.positions as u64;
        figures.training_macs_per_image += passes * kept * shape.positions as u64;
    }
    figures
}

/// What [`crate::nn::compact`] would leave of the network with these masks.
pub fn compaction(tensors: &[TensorInfo], masks: &[Vec<bool>]) -> Compaction {
    let mut kept_units: Vec<usize> = Vec::with_capacity(tensors.len());
    let (mut units_removed, mut params) = (0u64, 0u64);
    for (index, info) in tensors.iter().enumerate() {
        let shape = tensor_shape(info);
        let is_output = index + 1 == tensors.len();
        let mask = masks.get(index).map(Vec::as_slice).unwrap_or(&[]);
        let emptied = |unit: usize| {
            mask.get(unit * shape.per_unit..(unit + 1) * shape.per_unit)
                .is_some_and(|entries| entries.iter().all(|&k| !k))
        };
        let kept = if is_output {
            shape.units
        } else {
            (0..shape.units).filter(|&u| !emptied(u)).count().max(1)
        };
        // Inputs per kept unit: all of them for the first layer; otherwise the previous layer's
        // kept units, each read over `per_unit / previous units` entries (K·K for a conv, H·W for
        // a dense layer after a conv stage, 1 after a dense layer).
        let inputs = match (index.checked_sub(1), kept_units.last()) {
            (Some(previous), Some(&previous_kept)) => {
                let previous_units = tensor_shape(&tensors[previous]).units;
                previous_kept * (shape.per_unit / previous_units)
            }
            _ => shape.per_unit,
        };
        units_removed += (shape.units - kept) as u64;
        params += (kept * inputs + kept) as u64;
        kept_units.push(kept);
    }
    Compaction {
        units_removed,
        params,
        bytes_fp32: params * BYTES_PER_VALUE,
    }
}

/// Whether any 3×3 layer still keeps enough weights to run forward as Winograd F(2×2, 3×3), whose
/// cost does not fall with the mask: the name of the first such layer.
pub fn winograd_layer(tensors: &[TensorInfo], masks: &[Vec<bool>]) -> Option<String> {
    tensors.iter().zip(masks).find_map(|(info, mask)| {
        let three_by_three = matches!(info.shape.as_slice(), [_, _, 3, 3]);
        let kept = mask.iter().filter(|&&k| k).count() as f64;
        (three_by_three && kept >= crate::nn::conv2d::WINOGRAD_MIN_KEPT * mask.len() as f64)
            .then(|| info.name.trim_end_matches(".weight").to_string())
    })
}
