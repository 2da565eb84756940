//! Winograd F(2×2, 3×3) forward convolution of one example: valid padding, stride 1, NCHW f32
//! (Lavin & Gray 2015, "Fast Algorithms for Convolutional Neural Networks").
//!
//! Each 2×2 output tile (rows `2ty, 2ty + 1`, columns `2tx, 2tx + 1`) comes from the 4×4 input
//! tile `d_c` at rows `2ty .. 2ty + 4`, columns `2tx .. 2tx + 4` of every channel `c`:
//!
//! `Y_f = b_f + Aᵀ [Σ_c U_fc ⊙ V_c] A`, with `U_fc = G g_fc Gᵀ` and `V_c = Bᵀ d_c B`,
//!
//! `Bᵀ = [[1,0,−1,0],[0,1,1,0],[0,−1,1,0],[0,1,0,−1]]`, `G = [[1,0,0],[½,½,½],[½,−½,½],[0,0,1]]`,
//! `Aᵀ = [[1,1,1,0],[0,1,−1,−1]]`: 16 multiplies per channel and tile instead of 36. Pruned weights
//! are 0 and save nothing here (`U` is dense), so the layer takes this path only while most of its
//! weights are kept.
//!
//! Layout. `ξ = 4·j + i` numbers the 16 positions (i, j) of a transformed tile column by column (the
//! input transform ends on columns, after a transpose); `lanes` is F rounded up to a multiple of 4.
//! - `U[ξ][c][lanes]`: the transformed weights (zeros past F), redone every forward call since the
//!   optimiser changes the weights every step (F·C small transforms, per batch).
//! - Tiles go in blocks of [`TILES`]: `V[t][c][ξ]`, then `M[t][ξ][lanes] = Σ_c V[t][c][ξ]·U[ξ][c]`,
//!   16 small matrix products vectorised over filters (20 filters fill 5 vectors exactly), then the
//!   output transform, 4 filters at a time, transposed to 2×2 tiles of one filter and stored as two
//!   pairs into `[F, OH, OW]`.
//!
//! Odd output sizes end on a partial tile: the planes are then copied into a buffer padded with
//! zeros to whole tiles, and the outputs of whole tiles are computed into another and cropped (the
//! zero margin changes no kept output: each reads only its own 3×3 window).
//!
//! Every target runs the same sequence of f32 adds and multiplies (no fused multiply-add), so the
//! wasm and native outputs agree bit for bit.

use std::{array, fmt};

use super::simd::F4;
use crate::nn::spec::Shape;

/// Tiles per block of the product stage, one accumulator each. Five accumulators, five broadcasts
/// and a weight vector fit V8's 15 vector registers; blocks of 4 tiles × 2 positions or 4 tiles × 2
/// filter vectors spilled or ran slower (measured under Node). The default network's 3×3 layer has
/// 25 tiles: 5 whole blocks.
const TILES: usize = 5;
/// Positions of a transformed 4×4 tile.
const POSITIONS: usize = 16;

/// How a layer's planes cut into tiles.
#[derive(Clone, Copy, Debug)]
struct Tiling {
    input: Shape,
    output: Shape,
    /// Tile rows and columns: `⌈OH/2⌉`, `⌈OW/2⌉`.
    rows: usize,
    columns: usize,
    /// The input planes padded to whole tiles: `2·rows + 2` by `2·columns + 2`.
    height: usize,
    width: usize,
    /// Filters rounded up to a multiple of 4.
    lanes: usize,
}

impl Tiling {
    fn new(input: Shape, output: Shape) -> Self {
        let (rows, columns) = (output.height.div_ceil(2), output.width.div_ceil(2));
        Tiling {
            input,
            output,
            rows,
            columns,
            height: 2 * rows + 2,
            width: 2 * columns + 2,
            lanes: 4 * output.channels.div_ceil(4),
        }
    }

    /// Whether the planes need padding to whole tiles (an odd output height or width).
    fn padded(&self) -> bool {
        (self.height, self.width) != (self.input.height, self.input.width)
    }

    fn padded_plane(&self) -> usize {
        self.height * self.width
    }

    /// Outputs of one filter over whole tiles: `2·rows · 2·columns`.
    fn padded_output_plane(&self) -> usize {
        4 * self.rows * self.columns
    }

    /// Row and column of tile `t` (row-major).
    fn tile(&self, t: usize) -> (usize, usize) {
        (t / self.columns, t % self.columns)
    }
}

/// The transformed weights and the workspaces of one layer, allocated once.
pub struct Winograd {
    tiling: Tiling,
    /// `U[ξ][c][lanes]`.
    weights: Vec<f32>,
    /// The bias, zeros past F.
    bias: Vec<f32>,
    /// `V[t][c][ξ]` of one block.
    inputs: Vec<f32>,
    /// `M[t][ξ][lanes]` of one block.
    products: Vec<f32>,
    /// Odd output sizes only: the example's planes padded with zeros to whole tiles, and the
    /// outputs of whole tiles (`[F, 2·rows, 2·columns]`), cropped into `y`.
    padded_input: Vec<f32>,
    padded_output: Vec<f32>,
}

impl Winograd {
    /// For a 3×3 convolution from `input` to `output` (`OH = H − 2`, `OW = W − 2`).
    pub fn new(input: Shape, output: Shape) -> Self {
        debug_assert!(output.height + 2 == input.height && output.width + 2 == input.width);
        let t = Tiling::new(input, output);
        let (channels, lanes) = (input.channels, t.lanes);
        let padded = usize::from(t.padded());
        // Lanes past F are never written and stay 0, as do the padded input's margins.
        Winograd {
            tiling: t,
            weights: zeros(POSITIONS * channels * lanes),
            bias: zeros(lanes),
            inputs: zeros(TILES * channels * POSITIONS),
            products: zeros(TILES * POSITIONS * lanes),
            padded_input: zeros(padded * channels * t.padded_plane()),
            padded_output: zeros(padded * output.channels * t.padded_output_plane()),
        }
    }

    /// Transforms `weight` (`[F, C, 3, 3]`) and takes `bias` (`[F]`) for the next forward calls.
    pub fn prepare(&mut self, weight: &[f32], bias: &[f32]) {
        let t = self.tiling;
        let (channels, filters, lanes) = (t.input.channels, t.output.channels, t.lanes);
        assert!(weight.len() == filters * channels * 9 && bias.len() == filters);
        self.bias[..filters].copy_from_slice(bias);
        for (fc, kernel) in weight.chunks_exact(9).enumerate() {
            let (f, c) = (fc / channels, fc % channels);
            let transformed = transform_kernel(kernel.try_into().expect("chunks of 9"));
            let column = self.weights[c * lanes + f..]
                .iter_mut()
                .step_by(channels * lanes);
            for (u, value) in column.zip(transformed) {
                *u = value;
            }
        }
    }

    /// `y = x ⋆ W + b` for one example: `x` is `[C, H, W]`, `y` is `[F, OH, OW]`. Call
    /// [`Winograd::prepare`] first.
    pub fn forward(&mut self, x: &[f32], y: &mut [f32]) {
        let t = self.tiling;
        let (input, output) = (t.input, t.output);
        let x = &x[..input.len()];
        let padded = t.padded();
        if padded {
            let shape = (input.height, input.width);
            copy_planes(x, shape, &mut self.padded_input, (t.height, t.width), input);
        }
        let planes = if padded { &self.padded_input[..] } else { x };
        let out = if padded {
            &mut self.padded_output[..]
        } else {
            &mut y[..output.len()]
        };
        let tiles = t.rows * t.columns;
        for first in (0..tiles).step_by(TILES) {
            let count = TILES.min(tiles - first);
            transform_inputs(&t, planes, first, count, &mut self.inputs);
            multiply(&t, &self.inputs, &self.weights, &mut self.products);
            transform_outputs(&t, &self.products, &self.bias, first, count, out);
        }
        if padded {
            let shape = (2 * t.rows, 2 * t.columns);
            copy_planes(
                &self.padded_output,
                shape,
                y,
                (output.height, output.width),
                output,
            );
        }
    }
}

/// A zeroed workspace (one function for all of them: the site's wasm stays small).
#[inline(never)]
fn zeros(len: usize) -> Vec<f32> {
    vec![0.0; len]
}

/// Copies the `size.height × size.width` corner of each of `size.channels` planes from planes of
/// `(height, width)` in `from` to planes of `(height, width)` in `to`.
fn copy_planes(
    from: &[f32],
    (from_height, from_width): (usize, usize),
    to: &mut [f32],
    (to_height, to_width): (usize, usize),
    size: Shape,
) {
    for c in 0..size.channels {
        for i in 0..size.height {
            let row = &from[(c * from_height + i) * from_width..][..size.width];
            to[(c * to_height + i) * to_width..][..size.width].copy_from_slice(row);
        }
    }
}

/// A clone starts from fresh workspaces: forward transforms the weights again anyway.
impl Clone for Winograd {
    fn clone(&self) -> Self {
        Winograd::new(self.tiling.input, self.tiling.output)
    }
}

impl fmt::Debug for Winograd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Winograd").finish_non_exhaustive()
    }
}

/// `G·(a, b, c)`: the kernel transform of one row or column.
fn g_times(a: f32, b: f32, c: f32) -> [f32; 4] {
    [a, 0.5 * (a + b + c), 0.5 * (a - b + c), c]
}

/// `U = G g Gᵀ` of a 3×3 kernel (row-major), at `ξ = 4·j + i`.
fn transform_kernel(g: &[f32; 9]) -> [f32; POSITIONS] {
    // `columns[k][i] = (G g)[i][k]`, then row i of `U` is `G` times row i of `G g`.
    let columns: [[f32; 4]; 3] = array::from_fn(|k| g_times(g[k], g[3 + k], g[6 + k]));
    let rows: [[f32; 4]; 4] =
        array::from_fn(|i| g_times(columns[0][i], columns[1][i], columns[2][i]));
    array::from_fn(|xi| rows[xi % 4][xi / 4])
}

/// `Bᵀ·(v0, v1, v2, v3)`: the input transform of four rows (or columns) at once.
#[inline(always)]
fn b_transpose([v0, v1, v2, v3]: [F4; 4]) -> [F4; 4] {
    [v0.sub(v2), v1.add(v2), v2.sub(v1), v1.sub(v3)]
}

/// `Aᵀ·(v0, v1, v2, v3)`: the output transform of four rows (or columns) at once.
#[inline(always)]
fn a_transpose([v0, v1, v2, v3]: [F4; 4]) -> [F4; 2] {
    [v0.add(v1).add(v2), v1.sub(v2).sub(v3)]
}

/// `V[k][c] = Bᵀ d B` for tiles `first .. first + count` into block slots `0 .. count`; the other
/// slots get zeros (their products are computed and dropped). `planes`: `[C, height, width]`.
fn transform_inputs(t: &Tiling, planes: &[f32], first: usize, count: usize, inputs: &mut [f32]) {
    let (channels, width, plane) = (t.input.channels, t.width, t.padded_plane());
    assert!(planes.len() >= channels * plane && inputs.len() >= TILES * channels * POSITIONS);
    for k in 0..count {
        let (ty, tx) = t.tile(first + k);
        for c in 0..channels {
            let corner = c * plane + 2 * ty * width + 2 * tx;
            let out = (k * channels + c) * POSITIONS;
            // SAFETY: the tile's rows 2ty .. 2ty + 4 ≤ height and columns 2tx .. 2tx + 4 ≤ width lie
            // inside plane c of `planes` (tiling, asserted length); `out + 16 ≤ inputs.len()`.
            unsafe {
                let rows = array::from_fn(|i| F4::load(planes.as_ptr().add(corner + i * width)));
                let columns = F4::transpose(b_transpose(rows));
                for (j, column) in b_transpose(columns).into_iter().enumerate() {
                    column.store(inputs.as_mut_ptr().add(out + 4 * j));
                }
            }
        }
    }
    inputs[count * channels * POSITIONS..TILES * channels * POSITIONS].fill(0.0);
}

/// `M[k][ξ] = Σ_c V[k][c][ξ]·U[ξ][c]`, 4 filters per vector, one accumulator per tile of the block.
fn multiply(t: &Tiling, inputs: &[f32], weights: &[f32], products: &mut [f32]) {
    let (channels, lanes) = (t.input.channels, t.lanes);
    assert!(
        inputs.len() >= TILES * channels * POSITIONS
            && weights.len() >= POSITIONS * channels * lanes
            && products.len() >= TILES * POSITIONS * lanes
    );
    for xi in 0..POSITIONS {
        for lane in (0..lanes).step_by(4) {
            let mut acc = [F4::zero(); TILES];
            for c in 0..channels {
                // SAFETY: every index is below the lengths asserted above.
                unsafe {
                    let u = F4::load(weights.as_ptr().add((xi * channels + c) * lanes + lane));
                    for (k, acc) in acc.iter_mut().enumerate() {
                        let v = *inputs.get_unchecked((k * channels + c) * POSITIONS + xi);
                        *acc = acc.mul_add(F4::splat(v), u);
                    }
                }
            }
            for (k, acc) in acc.into_iter().enumerate() {
                // SAFETY: as above.
                unsafe {
                    acc.store(
                        products
                            .as_mut_ptr()
                            .add((k * POSITIONS + xi) * lanes + lane),
                    )
                };
            }
        }
    }
}

/// `Y = Aᵀ M A + b` for tiles `first .. first + count`, 4 filters at a time, written to `out`
/// (`[F, 2·rows, 2·columns]`: whole tiles).
fn transform_outputs(
    t: &Tiling,
    products: &[f32],
    bias: &[f32],
    first: usize,
    count: usize,
    out: &mut [f32],
) {
    let (filters, lanes, width) = (t.output.channels, t.lanes, 2 * t.columns);
    assert!(products.len() >= TILES * POSITIONS * lanes && bias.len() >= lanes);
    assert!(out.len() >= filters * t.padded_output_plane());
    for k in 0..count {
        let (ty, tx) = t.tile(first + k);
        for lane in (0..lanes).step_by(4) {
            // SAFETY: `(k·16 + ξ)·lanes + lane + 4 ≤ products.len()` and `lane + 4 ≤ bias.len()`
            // (asserted above).
            let (m, b): ([F4; POSITIONS], F4) = unsafe {
                let at = products.as_ptr().add(k * POSITIONS * lanes + lane);
                (
                    array::from_fn(|xi| F4::load(at.add(xi * lanes))),
                    F4::load(bias.as_ptr().add(lane)),
                )
            };
            // `columns[j] = Aᵀ·(column j of M)`, then row a of `Y` is `Aᵀ·(row a of those)`.
            let columns: [[F4; 2]; 4] = array::from_fn(|j| {
                a_transpose([m[4 * j], m[4 * j + 1], m[4 * j + 2], m[4 * j + 3]])
            });
            let [y00, y01] = a_transpose(array::from_fn(|j| columns[j][0]));
            let [y10, y11] = a_transpose(array::from_fn(|j| columns[j][1]));
            // Lane f of each is filter `lane + f`; transposed, each vector holds one filter's
            // 2×2 outputs: (0,0), (0,1), (1,0), (1,1).
            let tiles = F4::transpose([y00.add(b), y01.add(b), y10.add(b), y11.add(b)]);
            for (f, tile) in (lane..filters.min(lane + 4)).zip(tiles) {
                let at = (f * 2 * t.rows + 2 * ty) * width + 2 * tx;
                // SAFETY: rows 2ty, 2ty + 1 and columns 2tx, 2tx + 1 are inside plane f of `out`
                // (asserted length).
                unsafe {
                    tile.store_halves(out.as_mut_ptr().add(at), out.as_mut_ptr().add(at + width))
                };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// `y[f,oy,ox] = b[f] + Σ w[f,c,i,j]·x[c,oy+i,ox+j]` in f64, and the scale of its rounding
    /// error: `|b[f]| + Σ |w·x|`.
    fn direct(
        x: &[f32],
        w: &[f32],
        b: &[f32],
        input: Shape,
        output: Shape,
    ) -> (Vec<f64>, Vec<f64>) {
        let (channels, height, width) = (input.channels, input.height, input.width);
        let (mut y, mut scale) = (Vec::new(), Vec::new());
        for f in 0..output.channels {
            for oy in 0..output.height {
                for ox in 0..output.width {
                    let (mut sum, mut magnitude) = (f64::from(b[f]), f64::from(b[f].abs()));
                    for c in 0..channels {
                        for i in 0..3 {
                            for j in 0..3 {
                                let product = f64::from(w[((f * channels + c) * 3 + i) * 3 + j])
                                    * f64::from(x[(c * height + oy + i) * width + ox + j]);
                                sum += product;
                                magnitude += product.abs();
                            }
                        }
                    }
                    y.push(sum);
                    scale.push(magnitude);
                }
            }
        }
        (y, scale)
    }

    fn check(
        channels: usize,
        filters: usize,
        height: usize,
        width: usize,
        sparsity: f64,
        seed: u64,
    ) {
        let input = Shape::new(channels, height, width);
        let output = Shape::new(filters, height - 2, width - 2);
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(3);
        let x: Vec<f32> = (0..input.len()).map(|_| rng.gen_range(-1.0..1.0)).collect();
        // Pruned weights are exactly 0, as the layer's mask keeps them.
        let w: Vec<f32> = (0..filters * channels * 9)
            .map(|_| {
                let value = rng.gen_range(-1.0..1.0);
                if rng.gen::<f64>() < sparsity {
                    0.0
                } else {
                    value
                }
            })
            .collect();
        let b: Vec<f32> = (0..filters).map(|_| rng.gen_range(-1.0..1.0)).collect();
        let mut winograd = Winograd::new(input, output);
        winograd.prepare(&w, &b);
        let mut y = vec![f32::NAN; output.len()];
        winograd.forward(&x, &mut y);
        let (want, scale) = direct(&x, &w, &b, input, output);
        for (i, ((&got, want), scale)) in y.iter().zip(want).zip(scale).enumerate() {
            let error = (f64::from(got) - want).abs();
            assert!(
                error <= 1e-5 * scale,
                "C {channels}, F {filters}, {height}×{width}, sparsity {sparsity}: y[{i}] = {got}, want {want}"
            );
        }
    }

    #[test]
    fn matches_direct_convolution_for_even_and_odd_outputs() {
        let mut seed = 0;
        for channels in [1, 3, 10] {
            for filters in [1, 5, 20] {
                // Outputs 10×10 (even), 9×7 (odd both ways), 1×1, 2×3 and 5×4 (odd one way).
                for (height, width) in [(12, 12), (11, 9), (3, 3), (4, 5), (7, 6)] {
                    for sparsity in [0.0, 0.6] {
                        seed += 1;
                        check(channels, filters, height, width, sparsity, seed);
                    }
                }
            }
        }
    }

    #[test]
    fn repeated_calls_reuse_the_workspaces() {
        let (input, output) = (Shape::new(2, 7, 6), Shape::new(3, 5, 4));
        let mut winograd = Winograd::new(input, output);
        let w: Vec<f32> = (0..3 * 2 * 9).map(|i| (i as f32 * 0.37).sin()).collect();
        let b = [0.1, -0.2, 0.3];
        winograd.prepare(&w, &b);
        let x: Vec<f32> = (0..input.len()).map(|i| (i as f32 * 0.11).cos()).collect();
        let (mut first, mut second) = (vec![0.0; output.len()], vec![0.0; output.len()]);
        winograd.forward(&x, &mut first);
        // Another example in between must not leave anything behind in the padded planes.
        let other: Vec<f32> = x.iter().map(|v| v * 3.0 + 1.0).collect();
        winograd.forward(&other, &mut second);
        winograd.prepare(&w, &b);
        winograd.forward(&x, &mut second);
        assert_eq!(first, second);
    }

    #[test]
    fn kernel_transform_matches_g_g_gt() {
        let g: [f32; 9] = array::from_fn(|k| (k + 1) as f32);
        let gm = [
            [1.0, 0.0, 0.0],
            [0.5, 0.5, 0.5],
            [0.5, -0.5, 0.5],
            [0.0, 0.0, 1.0],
        ];
        let u = transform_kernel(&g);
        for i in 0..4 {
            for j in 0..4 {
                let want: f32 = (0..3)
                    .flat_map(|k| (0..3).map(move |l| (k, l)))
                    .map(|(k, l)| gm[i][k] * g[k * 3 + l] * gm[j][l])
                    .sum();
                assert_eq!(u[4 * j + i], want, "U[{i}][{j}]");
            }
        }
    }
}
