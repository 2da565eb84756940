//! One example's forward pass with every layer's output kept, for showing feature maps.
//!
//! [`Network::infer`] fuses convolution → ReLU → max-pool and never stores the convolution's or
//! the ReLU's output. This runs the layers one by one through each layer's own `forward` (the
//! same convolution kernels, Winograd choice included), so the maps are the ones the fused stage
//! computes; the last output is the network's logits.

use super::network::{Layer, Network};
use super::relu;
use crate::{Error, Result};

/// `outputs[i]` is the output of layer `i` for one example (`[C, H, W]` flattened; the last one
/// is the logits).
pub fn layer_outputs(network: &mut Network, input: &[f32]) -> Result<Vec<Vec<f32>>> {
    if input.len() != network.input_len() {
        return Err(Error::setting(
            "digit",
            format!(
                "the digit has {} values; the network reads {}",
                input.len(),
                network.input_len()
            ),
        ));
    }
    let lengths: Vec<usize> = network.shapes().iter().map(|s| s.len()).collect();
    let mut outputs: Vec<Vec<f32>> = Vec::with_capacity(lengths.len() - 1);
    for (i, layer) in network.layers_mut().iter_mut().enumerate() {
        let x = outputs.last().map_or(input, Vec::as_slice);
        let mut y = vec![0.0f32; lengths[i + 1]];
        match layer {
            Layer::Conv(conv) => conv.forward(x, &mut y, 1),
            Layer::Relu => relu::forward(x, &mut y),
            Layer::MaxPool(pool) => pool.forward(x, &mut y, 1),
            Layer::Dense(dense) => dense.forward(x, &mut y, 1, None),
        }
        outputs.push(y);
    }
    Ok(outputs)
}
