//! The network: layers built from an [`ArchSpec`], preallocated activation buffers, forward and backward.
//!
//! Buffers: `activations[0]` is the input batch and `activations[i + 1]` the output of layer `i`;
//! `gradients[i]` has the shape of `activations[i]`. All are sized for `capacity` examples and reused,
//! so a training step allocates nothing once the capacity is reached. A conv stage (convolution →
//! ReLU → max-pool) runs fused, one example at a time, in both directions: the buffers between its
//! layers stay empty.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::conv2d::Conv2d;
use super::dense::Dense;
use super::max_pool::{MaxPool, Maxima};
use super::param::Param;
use super::relu;
use super::spec::{ArchSpec, LayerSpec, Shape};
use crate::Result;

/// One built layer.
// A network holds a handful of layers: the size difference between variants costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug)]
pub enum Layer {
    Conv(Conv2d),
    Relu,
    MaxPool(MaxPool),
    Dense(Dense),
}

#[derive(Clone, Debug)]
pub struct Network {
    spec: ArchSpec,
    layers: Vec<Layer>,
    /// `shapes[0]` is the input shape, `shapes[i + 1]` the output shape of layer `i`.
    shapes: Vec<Shape>,
    capacity: usize,
    activations: Vec<Vec<f32>>,
    gradients: Vec<Vec<f32>>,
}

impl Network {
    /// Builds the layers with all parameters zero; call [`Network::initialize`] next.
    pub fn new(spec: &ArchSpec) -> Result<Self> {
        let out_shapes = spec.output_shapes()?;
        let mut shapes = vec![spec.input];
        shapes.extend(out_shapes);
        let (mut convs, mut denses) = (0, 0);
        let layers = spec
            .layers
            .iter()
            .enumerate()
            .map(|(i, layer)| {
                let input = shapes[i];
                match *layer {
                    LayerSpec::Conv { filters, kernel } => {
                        convs += 1;
                        Layer::Conv(Conv2d::new(&format!("conv{convs}"), input, filters, kernel))
                    }
                    LayerSpec::Relu => Layer::Relu,
                    LayerSpec::MaxPool { size } => Layer::MaxPool(MaxPool::new(input, size)),
                    LayerSpec::Dense { units } => {
                        denses += 1;
                        Layer::Dense(Dense::new(&format!("fc{denses}"), input.len(), units))
                    }
                }
            })
            .collect();
        Ok(Network {
            spec: spec.clone(),
            layers,
            shapes,
            capacity: 0,
            activations: Vec::new(),
            gradients: Vec::new(),
        })
    }

    /// Builds and initialises in one go.
    pub fn seeded(spec: &ArchSpec, rng: &mut ChaCha8Rng) -> Result<Self> {
        let mut network = Network::new(spec)?;
        network.initialize(rng);
        Ok(network)
    }

    /// He (Kaiming) uniform initialisation for ReLU networks: `W ~ U(−√(6/fan_in), √(6/fan_in))`,
    /// biases 0. Pruned weights stay 0.
    pub fn initialize(&mut self, rng: &mut ChaCha8Rng) {
        for layer in &mut self.layers {
            let (weight, bias, fan_in) = match layer {
                Layer::Conv(conv) => {
                    let fan_in = conv.patch_len();
                    (&mut conv.weight, &mut conv.bias, fan_in)
                }
                Layer::Dense(dense) => (&mut dense.weight, &mut dense.bias, dense.inputs),
                _ => continue,
            };
            let bound = (6.0 / fan_in as f32).sqrt();
            for i in 0..weight.value.len() {
                let kept = weight.mask().is_none_or(|m| m[i]);
                let w: f32 = rng.gen_range(-bound..bound);
                weight.value[i] = if kept { w } else { 0.0 };
            }
            bias.value.fill(0.0);
        }
    }

    pub fn spec(&self) -> &ArchSpec {
        &self.spec
    }

    pub fn layers(&self) -> &[Layer] {
        &self.layers
    }

    /// The layers, to run one at a time ([`super::activations`]).
    pub(super) fn layers_mut(&mut self) -> &mut [Layer] {
        &mut self.layers
    }

    /// Activation shapes: input first, then the output of every layer.
    pub fn shapes(&self) -> &[Shape] {
        &self.shapes
    }

    pub fn classes(&self) -> usize {
        self.shapes.last().map_or(0, Shape::len)
    }

    pub fn input_len(&self) -> usize {
        self.shapes[0].len()
    }

    /// Every parameter tensor in layer order (weight before bias).
    pub fn params(&self) -> impl Iterator<Item = &Param> {
        self.layers.iter().flat_map(|layer| match layer {
            Layer::Conv(c) => vec![&c.weight, &c.bias],
            Layer::Dense(d) => vec![&d.weight, &d.bias],
            _ => vec![],
        })
    }

    pub fn params_mut(&mut self) -> impl Iterator<Item = &mut Param> {
        self.layers.iter_mut().flat_map(|layer| match layer {
            Layer::Conv(c) => vec![&mut c.weight, &mut c.bias],
            Layer::Dense(d) => vec![&mut d.weight, &mut d.bias],
            _ => vec![],
        })
    }

    pub fn param_count(&self) -> usize {
        self.params().map(Param::len).sum()
    }

    /// Parameters that are not pruned (biases always count as kept).
    pub fn kept_param_count(&self) -> usize {
        self.params().map(Param::kept).sum()
    }

    /// Forward multiply-accumulates per example with the current masks.
    pub fn forward_macs(&self) -> u64 {
        self.layers
            .iter()
            .map(|layer| match layer {
                Layer::Conv(c) => c.forward_macs(c.weight.kept()),
                Layer::Dense(d) => d.forward_macs(d.weight.kept()),
                _ => 0,
            })
            .sum()
    }

    /// Forward multiply-accumulates per example of the unpruned network.
    pub fn dense_forward_macs(&self) -> u64 {
        self.layers
            .iter()
            .map(|layer| match layer {
                Layer::Conv(c) => c.forward_macs(c.weight.len()),
                Layer::Dense(d) => d.forward_macs(d.weight.len()),
                _ => 0,
            })
            .sum()
    }

    /// A copy of the weights, biases and masks without the workspaces (activation and gradient
    /// buffers grow again on the first forward pass). Cloning a network that has trained
    /// at batch 128 would copy tens of MB of scratch space; this copies only the parameters.
    pub fn clone_parameters(&self) -> Network {
        let mut copy =
            Network::new(&self.spec).expect("the spec was valid when this network was built");
        for (dst, src) in copy.params_mut().zip(self.params()) {
            dst.value.copy_from_slice(&src.value);
            match src.mask() {
                Some(mask) => dst.set_mask(mask.to_vec()),
                None => dst.clear_mask(),
            }
        }
        copy
    }

    /// Grows the buffers to hold `capacity` examples.
    pub fn reserve(&mut self, capacity: usize) {
        if capacity <= self.capacity {
            return;
        }
        self.capacity = capacity;
        let lengths: Vec<usize> = (0..self.shapes.len())
            .map(|i| {
                let inside_stage = self.conv_stage_ending_at(i + 1).is_some()
                    || self.conv_stage_ending_at(i).is_some();
                if inside_stage {
                    0 // a conv stage's convolution and ReLU outputs are never stored
                } else {
                    capacity * self.shapes[i].len()
                }
            })
            .collect();
        self.activations = lengths.iter().map(|&len| vec![0.0; len]).collect();
        self.gradients = lengths.iter().map(|&len| vec![0.0; len]).collect();
    }

    /// Runs `batch` examples (`input`: `[batch, C, H, W]`) and returns the logits `[batch, classes]`.
    /// With `dropout = Some((rate, rng))` dense layers drop inputs (training mode).
    pub fn forward(
        &mut self,
        input: &[f32],
        batch: usize,
        dropout: Option<(f32, &mut ChaCha8Rng)>,
    ) -> &[f32] {
        self.run_forward(input, batch, dropout)
    }

    /// Forward for prediction only (no dropout).
    pub fn infer(&mut self, input: &[f32], batch: usize) -> &[f32] {
        self.run_forward(input, batch, None)
    }

    /// The input buffer for `batch` examples (`[batch, C, H, W]`), to be written in place and run
    /// by [`Network::forward_input`]: the trainer converts its images straight into it, where
    /// `forward` copies the batch in.
    pub fn input_mut(&mut self, batch: usize) -> &mut [f32] {
        self.reserve(batch);
        let len = batch * self.shapes[0].len();
        &mut self.activations[0][..len]
    }

    /// [`Network::forward`] on the examples written through [`Network::input_mut`]; `dropout` as
    /// there (`None` for prediction).
    pub fn forward_input(
        &mut self,
        batch: usize,
        dropout: Option<(f32, &mut ChaCha8Rng)>,
    ) -> &[f32] {
        self.run_layers(batch, dropout)
    }

    fn run_forward(
        &mut self,
        input: &[f32],
        batch: usize,
        dropout: Option<(f32, &mut ChaCha8Rng)>,
    ) -> &[f32] {
        let in_len = batch * self.shapes[0].len();
        self.input_mut(batch).copy_from_slice(&input[..in_len]);
        self.run_layers(batch, dropout)
    }

    /// Forward from `activations[0]` (the first `batch` examples).
    fn run_layers(&mut self, batch: usize, mut dropout: Option<(f32, &mut ChaCha8Rng)>) -> &[f32] {
        debug_assert!(batch <= self.capacity);
        let mut i = 0;
        while i < self.layers.len() {
            if self.conv_stage_ending_at(i + 2).is_some() {
                self.forward_conv_stage(i, batch);
                i += 3;
                continue;
            }
            let (before, after) = self.activations.split_at_mut(i + 1);
            let x = &before[i];
            let y = &mut after[0];
            match &mut self.layers[i] {
                Layer::Conv(conv) => conv.forward(x, y, batch),
                Layer::Relu => {
                    let len = batch * self.shapes[i].len();
                    relu::forward(&x[..len], &mut y[..len]);
                }
                Layer::MaxPool(pool) => pool.forward(x, y, batch),
                Layer::Dense(dense) => {
                    let drop = dropout.as_mut().map(|(rate, rng)| (*rate, &mut **rng));
                    dense.forward(x, y, batch, drop);
                }
            }
            i += 1;
        }
        let out_len = batch * self.classes();
        &self.activations[self.layers.len()][..out_len]
    }

    /// Zeroes every parameter gradient.
    pub fn zero_grad(&mut self) {
        for param in self.params_mut() {
            param.grad.fill(0.0);
        }
    }

    /// Back-propagates `grad_logits` (`[batch, classes]`) through the last forward pass,
    /// accumulating into the parameter gradients. Pruned weights get exactly zero gradient.
    pub fn backward(&mut self, grad_logits: &[f32], batch: usize) {
        let last = self.layers.len();
        let out_len = batch * self.classes();
        self.gradients[last][..out_len].copy_from_slice(&grad_logits[..out_len]);
        let mut i = last;
        while i > 0 {
            i -= 1;
            if let Some(conv) = self.conv_stage_ending_at(i) {
                self.backward_conv_stage(conv, batch);
                i = conv;
                continue;
            }
            let (before, after) = self.gradients.split_at_mut(i + 1);
            let dy = &after[0];
            // The first layer's input gradient is never needed.
            let dx = if i > 0 {
                Some(&mut before[i][..])
            } else {
                None
            };
            let x = &self.activations[i];
            let y = &self.activations[i + 1];
            match &mut self.layers[i] {
                Layer::Conv(conv) => conv.backward(x, dy, dx, batch),
                Layer::Relu => {
                    if let Some(dx) = dx {
                        let len = batch * self.shapes[i].len();
                        relu::backward(&y[..len], &dy[..len], &mut dx[..len]);
                    }
                }
                Layer::MaxPool(pool) => {
                    if let Some(dx) = dx {
                        pool.backward(dy, dx, batch);
                    }
                }
                Layer::Dense(dense) => dense.backward(x, dy, dx, batch),
            }
        }
    }

    /// Whether layer `i` is a max-pooling after a ReLU after a convolution; returns the
    /// convolution's index.
    fn conv_stage_ending_at(&self, i: usize) -> Option<usize> {
        let stage = self.layers.get(i.checked_sub(2)?..=i)?;
        matches!(stage, [Layer::Conv(_), Layer::Relu, Layer::MaxPool(_)]).then(|| i - 2)
    }

    /// Forward through a convolution (layer `conv`), its ReLU and max-pool, one example at a time
    /// (the example's convolution output is pooled while in cache and never stored), pooling
    /// first: `max(relu(x)) = relu(max(x))`, so the ReLU runs on a quarter of the values. The
    /// recorded maxima equal those of pooling after the ReLU wherever the maximum is positive;
    /// elsewhere the gradient is 0 either way.
    fn forward_conv_stage(&mut self, conv: usize, batch: usize) {
        let (head, tail) = self.layers.split_at_mut(conv + 1);
        let (Layer::Conv(layer), Layer::MaxPool(pool)) = (&mut head[conv], &mut tail[1]) else {
            unreachable!("conv_stage_ending_at checked the layer kinds");
        };
        let (before, after) = self.activations.split_at_mut(conv + 1);
        let pooled_len = self.shapes[conv + 3].len();
        let pooled = &mut after[2][..batch * pooled_len];
        pool.begin(batch);
        // Maxima on the convolution's input grid, where its backward reads (see `backward_pooled`).
        let maxima = Maxima::OnGrid(layer.input.width);
        layer.forward_each(&before[conv], batch, |n, y| {
            let pooled = &mut pooled[n * pooled_len..(n + 1) * pooled_len];
            pool.forward_example(n, y, pooled, maxima);
            relu::forward_in_place(pooled);
        });
    }

    /// Backward through conv → ReLU → max-pool (layers `conv..conv + 3`) in one pass
    /// ([`Conv2d::backward_pooled`]): the two dense intermediate gradients are never written, and
    /// the ReLU's test reads the pooled output (positive exactly where the convolution's output at
    /// the maximum is; see `forward_conv_stage`).
    fn backward_conv_stage(&mut self, conv: usize, batch: usize) {
        let (head, tail) = self.layers.split_at_mut(conv + 1);
        let (Layer::Conv(layer), Layer::MaxPool(pool)) = (&mut head[conv], &tail[1]) else {
            unreachable!("conv_stage_ending_at checked the layer kinds");
        };
        let (before, after) = self.gradients.split_at_mut(conv + 1);
        let pooled_grad = &after[2]; // gradients[conv + 3]: the pooling's output
        let dx = (conv > 0).then(|| &mut before[conv][..]);
        layer.backward_pooled(
            &self.activations[conv],
            pool.argmax(),
            &self.activations[conv + 3],
            pooled_grad,
            self.shapes[conv + 3],
            dx,
            batch,
        );
    }
}
