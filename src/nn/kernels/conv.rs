//! Direct convolution kernels (valid padding, stride 1) on 4-lane vectors, for one layer geometry.
//!
//! Conventions: NCHW, f32. Every example's input is copied to a buffer with [`PAD`] spare floats
//! after it, so a vector that runs past the end of a row (or of the example) reads padding instead
//! of leaving the buffer. Tap `k = (c·K + i)·K + j` of a filter multiplies `x[c, oy + i, ox + j]`,
//! which sits at `tap_offset(k) + oy·W + ox` in the example.
//!
//! - Forward, `y[f,oy,ox] = b[f] + Σ_k W[f,k]·x[tap_offset(k) + oy·W + ox]`: the outputs are cut into
//!   vectors of 4 along each row and grouped into register blocks of up to 8 vectors; each kept
//!   tap is one splat and one multiply-add per vector. Pruned taps are skipped (not multiplied by 0).
//! - Backward reads only the nonzero output gradients. After ReLU and 2×2 max-pooling at most one
//!   in four is nonzero (the gradient reaches only each window's maximum, and only where it was
//!   positive), so this does a quarter of the dense products or less:
//!   `∂W[f,c,i,·] += g·x[c, oy + i, ox + ·]` and `∂x[c, oy + i, ox + ·] += g·W[f,c,i,·]` for every
//!   nonzero `g = ∂y[f,oy,ox]`, a kernel row (K values) at a time, as `ceil(K/4)` vectors.

use std::ops::Range;

use super::simd::F4;
use crate::nn::param::Param;
use crate::nn::spec::Shape;

/// Spare floats after every padded example (a vector of 4 or 8 read from a row's last position
/// reaches at most 3 floats past the example).
pub const PAD: usize = 8;
/// Vectors per forward register block: accumulators that leave room in 16 SIMD registers for the
/// tap's weight and a loaded vector. Natively 12 (x86-64): against 8, the default network's
/// training step ran about 6% faster, dense and at 90% sparsity (examples/bench_probe.rs). In
/// WebAssembly 8: the engine spilled blocks of 12 (examples/train_probe.rs under Node was slower).
#[cfg(not(target_arch = "wasm32"))]
const BLOCK: usize = 12;
#[cfg(target_arch = "wasm32")]
const BLOCK: usize = 8;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Geometry {
    pub input: Shape,
    pub output: Shape,
    pub kernel: usize,
}

impl Geometry {
    /// Floats per padded example.
    pub fn stride(&self) -> usize {
        self.input.len() + PAD
    }

    fn plane(&self) -> usize {
        self.input.height * self.input.width
    }

    /// Positions of one output plane: OH·OW.
    pub fn output_plane(&self) -> usize {
        self.output.height * self.output.width
    }

    /// Entries of one filter: C·K·K.
    pub fn patch_len(&self) -> usize {
        self.input.channels * self.kernel * self.kernel
    }

    /// Where tap `k` reads for output (0, 0).
    pub fn tap_offset(&self, k: usize) -> usize {
        let kernel = self.kernel;
        let (c, i, j) = (k / (kernel * kernel), (k / kernel) % kernel, k % kernel);
        c * self.plane() + i * self.input.width + j
    }

    /// Vectors per kernel row in the backward kernels.
    fn row_vectors(&self) -> usize {
        self.kernel.div_ceil(4)
    }
}

/// The examples of a batch as the kernels read them, each followed by at least [`PAD`] readable
/// floats. Most are read in place: the rest of the batch follows them, and the lanes that read it
/// are never stored. Only the last examples (usually one) are copied, to `tail`, with zeros after.
#[derive(Clone, Copy, Debug)]
pub struct Examples<'a> {
    batch: &'a [f32],
    tail: &'a [f32],
    len: usize,
    stride: usize,
    in_place: usize,
}

impl<'a> Examples<'a> {
    /// How many of `count` examples of `len` floats have [`PAD`] floats of the batch after them.
    pub fn in_place(len: usize, count: usize) -> usize {
        (count * len)
            .checked_sub(len + PAD)
            .map_or(0, |spare| spare / len + 1)
    }

    /// The first `count` examples of `input`; those that cannot be read in place are copied to
    /// `tail` (a workspace the caller keeps), padded.
    pub fn pad(
        geometry: &Geometry,
        input: &'a [f32],
        count: usize,
        tail: &'a mut Vec<f32>,
    ) -> Self {
        let (len, stride) = (geometry.input.len(), geometry.stride());
        let in_place = Self::in_place(len, count);
        tail.resize((count - in_place) * stride, 0.0);
        for (n, padded) in (in_place..count).zip(tail.chunks_exact_mut(stride)) {
            padded[..len].copy_from_slice(&input[n * len..(n + 1) * len]);
            padded[len..].fill(0.0);
        }
        Examples {
            batch: &input[..count * len],
            tail,
            len,
            stride,
            in_place,
        }
    }

    /// Example `n`, followed by at least [`PAD`] readable floats.
    pub fn get(&self, n: usize) -> &'a [f32] {
        if n < self.in_place {
            &self.batch[n * self.len..]
        } else {
            &self.tail[(n - self.in_place) * self.stride..][..self.stride]
        }
    }
}

/// A run of register blocks of the forward pass: `count` blocks of `rows` output rows each, from
/// `row`, with `VECTORS` vectors of 4 along each row (`VECTORS · rows ≤ BLOCK`). Within a row the
/// vectors sit at fixed distances (0, 4, 8, …), so one address per row and tap serves all of them.
#[derive(Clone, Copy, Debug)]
struct Block {
    row: usize,
    rows: usize,
    count: usize,
}

/// The forward register blocks of one output plane: a run of full blocks and one shorter block
/// for the rows left over.
#[derive(Clone, Debug, Default)]
pub struct Blocks {
    blocks: Vec<Block>,
}

impl Blocks {
    pub fn plan(geometry: &Geometry) -> Self {
        let output = geometry.output;
        let rows = (BLOCK / output.width.div_ceil(4)).max(1);
        let (count, left) = (output.height / rows, output.height % rows);
        let full = Block {
            row: 0,
            rows,
            count,
        };
        let rest = Block {
            row: count * rows,
            rows: left,
            count: 1,
        };
        let blocks = [full, rest].into_iter().filter(|b| b.count * b.rows > 0);
        Blocks {
            blocks: blocks.collect(),
        }
    }
}

/// The kept taps of every filter: offsets into the input and weights, in tap order.
#[derive(Clone, Debug, Default)]
pub struct Taps {
    /// The mask version the positions were built for.
    mask_version: Option<u64>,
    starts: Vec<usize>,
    offsets: Vec<usize>,
    weights: Vec<f32>,
    /// Index of each tap in the weight tensor (`f·C·K·K + k`).
    indices: Vec<usize>,
}

impl Taps {
    /// Brings the lists up to date with `weight` (`[F, C·K·K]`): which taps are kept only changes
    /// with the mask, their values every step.
    pub fn refresh(&mut self, geometry: &Geometry, weight: &Param) {
        if self.mask_version != Some(weight.mask_version()) {
            self.mask_version = Some(weight.mask_version());
            self.rebuild_positions(geometry, weight.mask(), weight.len());
        }
        for (w, &index) in self.weights.iter_mut().zip(&self.indices) {
            *w = weight.value[index];
        }
    }

    fn rebuild_positions(&mut self, geometry: &Geometry, mask: Option<&[bool]>, len: usize) {
        let patch = geometry.patch_len();
        self.starts.clear();
        self.offsets.clear();
        self.indices.clear();
        self.starts.push(0);
        for f in 0..len / patch {
            for k in 0..patch {
                if mask.is_none_or(|m| m[f * patch + k]) {
                    self.offsets.push(geometry.tap_offset(k));
                    self.indices.push(f * patch + k);
                }
            }
            self.starts.push(self.offsets.len());
        }
        self.weights.resize(self.indices.len(), 0.0);
    }

    fn filter(&self, f: usize) -> (&[usize], &[f32]) {
        let range = self.starts[f]..self.starts[f + 1];
        (&self.offsets[range.clone()], &self.weights[range])
    }

    /// Kept taps of filter `f`.
    pub fn kept(&self, f: usize) -> usize {
        self.starts[f + 1] - self.starts[f]
    }
}

/// Forward pass of one example. `x`: the padded example (`geometry.stride()` floats), `y`: `[F, OH, OW]`.
pub fn forward(
    geometry: &Geometry,
    blocks: &Blocks,
    taps: &Taps,
    bias: &[f32],
    x: &[f32],
    y: &mut [f32],
) {
    let plane = geometry.output_plane();
    assert!(x.len() >= geometry.stride() && y.len() >= bias.len() * plane);
    let vectors = geometry.output.width.div_ceil(4);
    for (f, &b) in bias.iter().enumerate() {
        let filter = taps.filter(f);
        let y_f = &mut y[f * plane..(f + 1) * plane];
        for &block in &blocks.blocks {
            // SAFETY: every tap offset + row start + 4·vectors − 1 is at most C·H·W + 2 < stride
            // (module doc).
            unsafe {
                match vectors {
                    1 => forward_rows::<1>(geometry, x, filter, block, b, y_f),
                    2 => forward_rows::<2>(geometry, x, filter, block, b, y_f),
                    3 => forward_rows::<3>(geometry, x, filter, block, b, y_f),
                    4 => forward_rows::<4>(geometry, x, filter, block, b, y_f),
                    5 => forward_rows::<5>(geometry, x, filter, block, b, y_f),
                    6 => forward_rows::<6>(geometry, x, filter, block, b, y_f),
                    7 => forward_rows::<7>(geometry, x, filter, block, b, y_f),
                    _ => forward_wide_rows(geometry, x, filter, block, b, y_f),
                }
            }
        }
    }
}

/// A run of blocks of `block.rows ≤ BLOCK / V` rows of `V` vectors. Only the pairs with
/// `R·V ≤ BLOCK` exist (each pair is a function of its own: see [`forward_blocks`]).
///
/// # Safety
/// As [`forward`]: every read is inside `x`.
#[inline(always)]
unsafe fn forward_rows<const V: usize>(
    geometry: &Geometry,
    x: &[f32],
    filter: (&[usize], &[f32]),
    block: Block,
    bias: f32,
    y: &mut [f32],
) {
    macro_rules! dispatch {
        ($($r:literal),*) => {
            // SAFETY (all arms): passed on from the caller.
            unsafe {
                match block.rows {
                    $($r => forward_blocks::<$r, V>(geometry, x, filter, block, bias, y),)*
                    _ => unreachable!("blocks hold at most BLOCK / V rows"),
                }
            }
        };
    }
    #[cfg(not(target_arch = "wasm32"))]
    match V {
        1 => dispatch!(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12),
        2 => dispatch!(1, 2, 3, 4, 5, 6),
        3 => dispatch!(1, 2, 3, 4),
        4 => dispatch!(1, 2, 3),
        5 | 6 => dispatch!(1, 2),
        _ => dispatch!(1),
    }
    #[cfg(target_arch = "wasm32")]
    match V {
        1 => dispatch!(1, 2, 3, 4, 5, 6, 7, 8),
        2 => dispatch!(1, 2, 3, 4),
        3 | 4 => dispatch!(1, 2),
        _ => dispatch!(1),
    }
}

/// Rows wider than 7 vectors (28 outputs; never for 28×28 digits): one vector at a time.
///
/// # Safety
/// As [`forward`].
unsafe fn forward_wide_rows(
    geometry: &Geometry,
    x: &[f32],
    filter: (&[usize], &[f32]),
    block: Block,
    bias: f32,
    y: &mut [f32],
) {
    let (width, out_width) = (geometry.input.width, geometry.output.width);
    for row in block.row..block.row + block.rows * block.count {
        for column in (0..out_width).step_by(4) {
            let out = &mut y[row * out_width + column..][..(out_width - column).min(4)];
            // SAFETY: passed on from the caller; each vector reads a part of the row.
            let acc = unsafe { accumulate::<1, 1>(x, filter, [row * width + column], bias) };
            store_row(&acc[0], out);
        }
    }
}

/// Not inlined: each (R, V) pair is its own small function, whose accumulators the wasm engine
/// keeps in registers (inlined into one large function, they spilled to memory). It runs the
/// whole run of blocks, so a plane costs one or two calls.
///
/// # Safety
/// Every `offset + row start + 4·V` is within `x`.
#[inline(never)]
unsafe fn forward_blocks<const R: usize, const V: usize>(
    geometry: &Geometry,
    x: &[f32],
    filter: (&[usize], &[f32]),
    block: Block,
    bias: f32,
    y: &mut [f32],
) {
    let (width, out_width) = (geometry.input.width, geometry.output.width);
    for first in (block.row..block.row + R * block.count).step_by(R) {
        let starts: [usize; R] = std::array::from_fn(|r| (first + r) * width);
        // SAFETY: passed on from the caller.
        let acc = unsafe { accumulate::<R, V>(x, filter, starts, bias) };
        for (r, values) in acc.iter().enumerate() {
            store_row(values, &mut y[(first + r) * out_width..][..out_width]);
        }
    }
}

/// `bias + Σ_taps w·x[offset + start_r + 4v ..]` for R rows of V vectors.
///
/// # Safety
/// Every `offset + starts[r] + 4·V` is within `x`.
#[inline(always)]
unsafe fn accumulate<const R: usize, const V: usize>(
    x: &[f32],
    (offsets, weights): (&[usize], &[f32]),
    starts: [usize; R],
    bias: f32,
) -> [[F4; V]; R] {
    let mut acc = [[F4::splat(bias); V]; R];
    for (&offset, &w) in offsets.iter().zip(weights) {
        let w = F4::splat(w);
        // SAFETY: the caller guarantees the reads are inside `x`.
        unsafe {
            let tap = x.as_ptr().add(offset);
            for (row, &start) in acc.iter_mut().zip(&starts) {
                let at = tap.add(start);
                for (v, lane) in row.iter_mut().enumerate() {
                    *lane = lane.mul_add(w, F4::load(at.add(4 * v)));
                }
            }
        }
    }
    acc
}

/// Writes the first `out.len()` lanes of a row of vectors.
#[inline(always)]
fn store_row<const V: usize>(values: &[F4; V], out: &mut [f32]) {
    for (chunk, value) in out.chunks_mut(4).zip(values) {
        if chunk.len() == 4 {
            // SAFETY: the chunk holds 4 values.
            unsafe { value.store(chunk.as_mut_ptr()) };
        } else {
            // Lane by lane: a `copy_from_slice` of 1–3 values became a call to memmove, once per
            // row of a 10-wide layer (1.4% of a training step at 90% sparsity).
            let lanes = value.to_array();
            match chunk {
                [a] => *a = lanes[0],
                [a, b] => (*a, *b) = (lanes[0], lanes[1]),
                [a, b, c] => (*a, *b, *c) = (lanes[0], lanes[1], lanes[2]),
                _ => unreachable!("chunks of 4 hold 1 to 4 values"),
            }
        }
    }
}

/// The nonzero output gradients of a batch, per example and filter, as (input offset of the output
/// position `oy·W + ox`, value).
#[derive(Clone, Debug, Default)]
pub struct NonZeros {
    /// Input offset `oy·W + ox` of every output position `oy·OW + ox`.
    plane_positions: Vec<u32>,
    starts: Vec<usize>,
    /// 32 bits: half the memory traffic of `usize` offsets when the lists are written and read.
    positions: Vec<u32>,
    values: Vec<f32>,
}

impl NonZeros {
    /// `dy`: `[N, F, OH, OW]`. Eight values at a time: a bit mask of the nonzeros (one vector
    /// compare), then one step per set bit; most values are zero, and a branch per value would be
    /// mispredicted about as often as a value is nonzero.
    pub fn collect(&mut self, geometry: &Geometry, dy: &[f32], batch: usize) {
        let (output, plane) = (geometry.output, geometry.output_plane());
        self.begin(geometry);
        for dy_f in dy[..batch * output.channels * plane].chunks_exact(plane) {
            for (chunk, values) in dy_f.chunks(8).enumerate() {
                let mut mask = values
                    .iter()
                    .enumerate()
                    .fold(0u32, |mask, (i, &g)| mask | (u32::from(g != 0.0) << i));
                while mask != 0 {
                    let p = chunk * 8 + mask.trailing_zeros() as usize;
                    self.positions.push(self.plane_positions[p]);
                    self.values.push(dy_f[p]);
                    mask &= mask - 1;
                }
            }
            self.starts.push(self.positions.len());
        }
    }

    /// The same lists when `∂y` is known to vanish outside the maxima of a following ReLU and
    /// max-pooling (windows do not overlap, so each output position has at most one gradient):
    /// `∂y[p] = ∂pooled[o]` where `p` is the maximum of window `o` and the output there is positive
    /// (the ReLU passes it), 0 elsewhere. `maxima`: per pooled value, the maximum's input offset
    /// `oy·W + ox` within the plane (`Maxima::OnGrid(W)`, W the input width), as the lists hold
    /// positions; `pooled`: the pooled output after the ReLU, positive exactly where the
    /// convolution's output at the maximum is; `pooled_grad`: its gradient (both `[N, F, PH, PW]`).
    // Not inlined: inlined into `Conv2d::backward_pooled`, the training step at 90% sparsity ran
    // about 5% slower (measured with examples/bench_probe.rs).
    #[inline(never)]
    pub fn collect_pooled(
        &mut self,
        geometry: &Geometry,
        maxima: &[u32],
        pooled_grad: &[f32],
        pooled: &[f32],
        pooled_plane: usize,
        batch: usize,
    ) {
        self.starts.clear();
        self.starts.push(0);
        let planes = batch * geometry.output.channels;
        let candidates = planes * pooled_plane;
        // Branch-free: every candidate is written and the end advances only past kept ones (the
        // ReLU test is a coin flip, which a branch would mispredict half the time). The lists only
        // grow, so they are not cleared and zeroed every round (`starts` bounds the entries).
        if self.positions.len() < candidates {
            self.positions.resize(candidates, 0);
            self.values.resize(candidates, 0.0);
        }
        let (positions, values) = (&mut self.positions[..], &mut self.values[..]);
        let mut end = 0;
        let planes = pooled_grad[..candidates]
            .chunks_exact(pooled_plane)
            .zip(pooled[..candidates].chunks_exact(pooled_plane))
            .zip(maxima[..candidates].chunks_exact(pooled_plane));
        for ((grads, pooled), maxima) in planes {
            for ((&g, &value), &at) in grads.iter().zip(pooled).zip(maxima) {
                // SAFETY: `end` ≤ the candidates seen so far, so within the lists (sized to all).
                unsafe {
                    *positions.get_unchecked_mut(end) = at;
                    *values.get_unchecked_mut(end) = g;
                }
                end += usize::from((g != 0.0) & (value > 0.0));
            }
            self.starts.push(end);
        }
    }

    /// Empties the lists (and builds the position table on first use), for [`NonZeros::collect`].
    fn begin(&mut self, geometry: &Geometry) {
        self.starts.clear();
        self.positions.clear();
        self.values.clear();
        self.starts.push(0);
        let (output, plane) = (geometry.output, geometry.output_plane());
        if self.plane_positions.len() != plane {
            let width = geometry.input.width;
            self.plane_positions = (0..plane)
                .map(|p| (p / output.width * width + p % output.width) as u32)
                .collect();
        }
    }

    /// Nonzeros of example `n` (counted from the first collected), filter `f` (of `filters`).
    fn of(&self, n: usize, f: usize, filters: usize) -> (&[u32], &[f32]) {
        let range = self.starts[n * filters + f]..self.starts[n * filters + f + 1];
        (&self.positions[range.clone()], &self.values[range])
    }

    /// Nonzero gradients of filter `f` over the `batch` examples collected.
    pub fn count(&self, f: usize, filters: usize, batch: usize) -> usize {
        (0..batch)
            .map(|n| self.starts[n * filters + f + 1] - self.starts[n * filters + f])
            .sum()
    }

    /// `Σ` of the nonzero gradients of filter `f` over the `batch` examples collected: their part
    /// of the bias gradient.
    pub fn sum(&self, f: usize, filters: usize, batch: usize) -> f32 {
        (0..batch)
            .map(|n| self.of(n, f, filters).1.iter().sum::<f32>())
            .sum()
    }
}

/// Accumulates `∂W` (`[F, C, K, K]`) over the batch's examples `examples`, whose nonzero gradients
/// `nonzeros` holds (the first of them as its example 0).
pub fn weight_gradient(
    geometry: &Geometry,
    nonzeros: &NonZeros,
    x: &Examples,
    examples: Range<usize>,
    grad: &mut [f32],
) {
    let filters = geometry.output.channels;
    // SAFETY (all arms): reads reach at most C·H·W + 2 past each example's start (module doc), and
    // `Examples` gives every example PAD readable floats after it.
    unsafe {
        match geometry.kernel {
            // The odd sizes networks use; the others take the scalar loop (each vector variant
            // costs wasm size, and the site's module stays under 1 MB).
            3 => weight_gradient_rows::<3, 1>(geometry, nonzeros, x, examples, filters, grad),
            5 => weight_gradient_rows::<5, 2>(geometry, nonzeros, x, examples, filters, grad),
            7 => weight_gradient_rows::<7, 2>(geometry, nonzeros, x, examples, filters, grad),
            _ => weight_gradient_scalar(geometry, nonzeros, x, examples, filters, grad),
        }
    }
}

/// One filter-channel at a time, its K×K gradient held in K·KV vector registers across the
/// examples.
///
/// # Safety
/// `KV = ceil(K/4)`, `K = geometry.kernel`, and `x` holds the examples.
unsafe fn weight_gradient_rows<const K: usize, const KV: usize>(
    geometry: &Geometry,
    nonzeros: &NonZeros,
    x: &Examples,
    examples: Range<usize>,
    filters: usize,
    grad: &mut [f32],
) {
    debug_assert_eq!(KV, geometry.row_vectors());
    let (channels, width, plane) = (
        geometry.input.channels,
        geometry.input.width,
        geometry.plane(),
    );
    for f in 0..filters {
        for c in 0..channels {
            let mut acc = [[F4::zero(); KV]; K];
            for (local, n) in examples.clone().enumerate() {
                let (positions, values) = nonzeros.of(local, f, filters);
                let x_c = x.get(n)[c * plane..].as_ptr();
                for (&position, &g) in positions.iter().zip(values) {
                    let g = F4::splat(g);
                    // SAFETY: the caller guarantees the rows read are inside the padded example.
                    unsafe {
                        let base = x_c.add(position as usize);
                        for (i, row) in acc.iter_mut().enumerate() {
                            for (v, lane) in row.iter_mut().enumerate() {
                                *lane = lane.mul_add(g, F4::load(base.add(i * width + 4 * v)));
                            }
                        }
                    }
                }
            }
            let out = &mut grad[(f * channels + c) * K * K..(f * channels + c + 1) * K * K];
            for (i, row) in acc.iter().enumerate() {
                let mut values = [0.0f32; 8];
                for (v, lane) in row.iter().enumerate() {
                    values[4 * v..4 * v + 4].copy_from_slice(&lane.to_array());
                }
                for (o, value) in out[i * K..(i + 1) * K].iter_mut().zip(values) {
                    *o += value;
                }
            }
        }
    }
}

/// Kernel sizes without a vector variant: the same sums one value at a time.
fn weight_gradient_scalar(
    geometry: &Geometry,
    nonzeros: &NonZeros,
    x: &Examples,
    examples: Range<usize>,
    filters: usize,
    grad: &mut [f32],
) {
    let patch = geometry.patch_len();
    for (local, n) in examples.enumerate() {
        let x_n = x.get(n);
        for f in 0..filters {
            let (positions, values) = nonzeros.of(local, f, filters);
            for (&position, &g) in positions.iter().zip(values) {
                for k in 0..patch {
                    grad[f * patch + k] += g * x_n[geometry.tap_offset(k) + position as usize];
                }
            }
        }
    }
}

/// The weights with every kernel row padded to `4·ceil(K/4)` lanes (zeros after K), as the
/// input-gradient kernel reads them.
pub fn pad_rows(geometry: &Geometry, weight: &[f32], padded: &mut Vec<f32>) {
    let (kernel, lanes) = (geometry.kernel, 4 * geometry.row_vectors());
    padded.clear();
    padded.resize(weight.len() / kernel * lanes, 0.0);
    for (row, out) in weight
        .chunks_exact(kernel)
        .zip(padded.chunks_exact_mut(lanes))
    {
        out[..kernel].copy_from_slice(row);
    }
}

/// Adds `∂x` of example `n` (of those `nonzeros` holds) to `dx` (zeroed by the caller; at least
/// `stride` floats: the example and [`PAD`] after it, where only zeros are added) from the nonzero
/// output gradients and the row-padded weights ([`pad_rows`]).
pub fn input_gradient(
    geometry: &Geometry,
    nonzeros: &NonZeros,
    padded_weights: &[f32],
    n: usize,
    dx: &mut [f32],
) {
    let filters = geometry.output.channels;
    let kv = geometry.row_vectors();
    assert!(dx.len() >= geometry.stride());
    assert_eq!(
        padded_weights.len(),
        filters * geometry.patch_len() / geometry.kernel * 4 * kv
    );
    // SAFETY (both arms): writes reach at most C·H·W + 2 within the padded example (module doc),
    // and weight rows are read inside `padded_weights` (checked above).
    unsafe {
        if kv == 1 {
            input_gradient_rows::<1>(geometry, nonzeros, padded_weights, n, dx);
        } else if kv == 2 {
            input_gradient_rows::<2>(geometry, nonzeros, padded_weights, n, dx);
        } else {
            input_gradient_scalar(geometry, nonzeros, padded_weights, n, dx);
        }
    }
}

/// # Safety
/// `KV = ceil(K/4)`; `dx` holds one padded example.
unsafe fn input_gradient_rows<const KV: usize>(
    geometry: &Geometry,
    nonzeros: &NonZeros,
    padded_weights: &[f32],
    n: usize,
    dx: &mut [f32],
) {
    let filters = geometry.output.channels;
    let (channels, kernel, width, plane) = (
        geometry.input.channels,
        geometry.kernel,
        geometry.input.width,
        geometry.plane(),
    );
    let filter_len = channels * kernel * 4 * KV;
    for f in 0..filters {
        let w_f = &padded_weights[f * filter_len..(f + 1) * filter_len];
        let (positions, values) = nonzeros.of(n, f, filters);
        for (&position, &g) in positions.iter().zip(values) {
            let g = F4::splat(g);
            for c in 0..channels {
                for i in 0..kernel {
                    let row = (c * kernel + i) * 4 * KV;
                    // SAFETY: the caller guarantees the row is inside the padded example; the
                    // weight row is inside `w_f`.
                    unsafe {
                        let out = dx
                            .as_mut_ptr()
                            .add(c * plane + position as usize + i * width);
                        let w = w_f.as_ptr().add(row);
                        for v in 0..KV {
                            let at = out.add(4 * v);
                            F4::load(at).mul_add(g, F4::load(w.add(4 * v))).store(at);
                        }
                    }
                }
            }
        }
    }
}

/// Kernels wider than 8: one value at a time.
fn input_gradient_scalar(
    geometry: &Geometry,
    nonzeros: &NonZeros,
    padded_weights: &[f32],
    n: usize,
    dx: &mut [f32],
) {
    let filters = geometry.output.channels;
    let (kernel, lanes) = (geometry.kernel, 4 * geometry.row_vectors());
    let rows = geometry.patch_len() / kernel;
    for f in 0..filters {
        let (positions, values) = nonzeros.of(n, f, filters);
        for (&position, &g) in positions.iter().zip(values) {
            for row in 0..rows {
                let start = geometry.tap_offset(row * kernel) + position as usize;
                let w = &padded_weights[(f * rows + row) * lanes..][..kernel];
                for (d, &w) in dx[start..start + kernel].iter_mut().zip(w) {
                    *d += g * w;
                }
            }
        }
    }
}

/// Backward over pairs of a kept tap and a nonzero gradient, for example `n` of those `nonzeros`
/// holds (`x`: its input):
/// `∂W[f,k] += Σ g·x[offset_k + position]` and, with `dx` (the example's input gradient, zeroed by
/// the caller), `∂x[offset_k + position] += W[f,k]·g`. One value at a time (gathers), but the work
/// is kept taps × nonzero gradients: far less than either vector form once both are sparse.
pub fn kept_tap_gradients(
    geometry: &Geometry,
    taps: &Taps,
    nonzeros: &NonZeros,
    n: usize,
    x: &[f32],
    grad: &mut [f32],
    mut dx: Option<&mut [f32]>,
) {
    let filters = geometry.output.channels;
    // Every tap offset + position addresses an input value of the example (`tap_offset` and the
    // position tables stay inside the plane), so the reads of `x` and writes of `dx` need no
    // checks once the lengths are.
    let in_len = geometry.input.len();
    assert!(x.len() >= in_len && dx.as_deref().is_none_or(|dx| dx.len() >= in_len));
    for f in 0..filters {
        let (positions, values) = nonzeros.of(n, f, filters);
        if positions.is_empty() {
            continue;
        }
        let range = taps.starts[f]..taps.starts[f + 1];
        for t in range {
            let (offset, w) = (taps.offsets[t], taps.weights[t]);
            // Two arms so that the first layer's copy of `pairs` has no scatter at all.
            // SAFETY (both arms): see above; `debug_assert`s re-check every index in tests.
            grad[taps.indices[t]] += match dx.as_deref_mut() {
                None => unsafe { pairs(x, None, offset, w, positions, values) },
                Some(dx) => unsafe { pairs(x, Some(dx), offset, w, positions, values) },
            };
        }
    }
}

/// One kept tap against the nonzero gradients: returns `Σ g·x[offset + position]` and, with `dx`,
/// adds `w·g` at the same places, in the same pass (the position, the value and the address are
/// loaded and computed once for both). Four running sums: one sum would wait for the previous
/// addition on every pair (the add latency, not the loads, would set the pace).
///
/// # Safety
/// Every `offset + position` is inside `x` and `dx`.
#[inline(always)]
unsafe fn pairs(
    x: &[f32],
    mut dx: Option<&mut [f32]>,
    offset: usize,
    w: f32,
    positions: &[u32],
    values: &[f32],
) -> f32 {
    let mut pair = |position: u32, g: f32| {
        let at = offset + position as usize;
        debug_assert!(at < x.len() && dx.as_deref().is_none_or(|dx| at < dx.len()));
        // SAFETY: passed on from the caller.
        unsafe {
            if let Some(dx) = dx.as_deref_mut() {
                *dx.get_unchecked_mut(at) += w * g;
            }
            g * *x.get_unchecked(at)
        }
    };
    let mut sums = [0.0f32; 4];
    let (position_quads, value_quads) = (positions.chunks_exact(4), values.chunks_exact(4));
    let (position_rest, value_rest) = (position_quads.remainder(), value_quads.remainder());
    for (p, g) in position_quads.zip(value_quads) {
        for lane in 0..4 {
            sums[lane] += pair(p[lane], g[lane]);
        }
    }
    for (&position, &g) in position_rest.iter().zip(value_rest) {
        sums[0] += pair(position, g);
    }
    (sums[0] + sums[1]) + (sums[2] + sums[3])
}
