//! Output units of the prunable tensors and the weights that read them: the map structured
//! pruning needs.
//!
//! # Conventions
//! - A *unit* of a prunable tensor is one output: a conv filter `W[o, :, :, :]` of a `[out, in, kh,
//!   kw]` kernel, or a dense row `W[o, :]` of a `[out, in]` weight. Its entries are contiguous:
//!   `o·unit_len .. (o+1)·unit_len`.
//! - A unit is *kept* while at least one of its entries is kept (torch's rule: a channel whose
//!   mask sums to 0 is pruned).
//! - The *consumer* of a prunable tensor is the next conv or dense layer. It reads unit `o` through
//!   its input channel `o`; viewing its weight as `[rows, channels, span]`, the entries fed by unit
//!   `o` are `W[r, o, s]` for every row `r` and `s < span`. For a conv consumer `span = kh·kw` (the
//!   kernel slice of input channel `o`); for a dense consumer `span = H·W`, the spatial size of the
//!   activation at its input (after pooling), because flatten puts channel `c` at in-features
//!   `c·H·W .. (c+1)·H·W`; dense → dense has `span = 1`.

use crate::nn::{Layer, Network};

/// One prunable tensor seen as units.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnitLayout {
    /// Index among the prunable tensors (the order of [`Network::params`] filtered by prunable).
    pub tensor: usize,
    /// Output units (filters or rows).
    pub units: usize,
    /// Entries per unit.
    pub unit_len: usize,
    /// Which entries of the next layer read this tensor's units, if that layer is prunable.
    pub consumer: Option<Consumer>,
}

/// The next conv/dense layer, seen as `[rows, channels, span]` (see the module doc).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Consumer {
    /// Index of the consumer among the prunable tensors.
    pub tensor: usize,
    pub rows: usize,
    pub channels: usize,
    pub span: usize,
}

impl Consumer {
    /// Entry indices of the consumer's weight that read unit `unit` of the producer.
    pub fn entries_of(self, unit: usize) -> impl Iterator<Item = usize> {
        let Consumer { channels, span, .. } = self;
        (0..self.rows).flat_map(move |row| {
            let start = (row * channels + unit) * span;
            start..start + span
        })
    }
}

impl UnitLayout {
    /// The entry range of unit `unit`.
    pub fn range(&self, unit: usize) -> std::ops::Range<usize> {
        unit * self.unit_len..(unit + 1) * self.unit_len
    }

    /// Whether each unit still has a kept entry in `mask`.
    pub fn kept_units(&self, mask: &[bool]) -> Vec<bool> {
        (0..self.units)
            .map(|o| mask[self.range(o)].iter().any(|&k| k))
            .collect()
    }
}

/// The unit layout of every prunable tensor, in prunable-tensor order.
pub fn layouts(network: &Network) -> Vec<UnitLayout> {
    // (layer index, prunable tensor index or None) of every conv/dense layer.
    let mut weighted = Vec::new();
    let mut tensor = 0;
    for (index, layer) in network.layers().iter().enumerate() {
        let weight = match layer {
            Layer::Conv(conv) => &conv.weight,
            Layer::Dense(dense) => &dense.weight,
            _ => continue,
        };
        let prunable = weight.is_prunable().then_some(tensor);
        tensor += usize::from(weight.is_prunable());
        weighted.push((index, prunable));
    }
    let mut result = Vec::new();
    for (position, &(index, prunable)) in weighted.iter().enumerate() {
        let Some(tensor) = prunable else { continue };
        let shape = &layer_weight_shape(network, index);
        let units = shape[0];
        let consumer = weighted
            .get(position + 1)
            .and_then(|&(next, next_tensor)| Some((next, next_tensor?)))
            .map(|(next, next_tensor)| consumer(network, next, next_tensor));
        result.push(UnitLayout {
            tensor,
            units,
            unit_len: shape.iter().skip(1).product(),
            consumer,
        });
    }
    result
}

fn layer_weight_shape(network: &Network, index: usize) -> Vec<usize> {
    match &network.layers()[index] {
        Layer::Conv(conv) => conv.weight.shape.clone(),
        Layer::Dense(dense) => dense.weight.shape.clone(),
        _ => vec![0],
    }
}

fn consumer(network: &Network, index: usize, tensor: usize) -> Consumer {
    // shapes[index] is the activation entering layer `index`.
    let input = network.shapes()[index];
    let (rows, span) = match &network.layers()[index] {
        Layer::Conv(conv) => (conv.output.channels, conv.kernel * conv.kernel),
        Layer::Dense(dense) => (dense.outputs, input.height * input.width),
        _ => (0, 0),
    };
    Consumer {
        tensor,
        rows,
        channels: input.channels,
        span,
    }
}

/// Spreads per-unit scores to every entry of the unit (the per-entry form [`super::Strategy`]
/// returns for structured rules).
pub fn spread(layouts: &[UnitLayout], unit_scores: &[Vec<f32>]) -> Vec<Vec<f32>> {
    layouts
        .iter()
        .zip(unit_scores)
        .map(|(layout, scores)| {
            scores
                .iter()
                .flat_map(|&s| std::iter::repeat_n(s, layout.unit_len))
                .collect()
        })
        .collect()
}
