//! Max-pooling over `size`×`size` windows with stride `size` (rows/columns that don't fill a window are dropped).
//!
//! Formula: `y[n,c,oy,ox] = max_{i,j < size} x[n,c,oy·size+i,ox·size+j]`; the gradient flows only to the
//! position of the maximum (the first one on ties), which forward records.
//!
//! # Shapes
//! input `[N, C, H, W]` → output `[N, C, H/size, W/size]`.

use super::spec::Shape;

/// How forward records where each maximum is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Maxima {
    /// The index within the example's input, as this layer's own backward reads it.
    InExample,
    /// `y·width + x` within the channel's plane, on a grid `width` wide: a fused conv stage
    /// records where its convolution's input window starts (input rows are wider than output
    /// rows), which is what its backward needs, without converting each index.
    OnGrid(usize),
}

#[derive(Clone, Debug)]
pub struct MaxPool {
    pub input: Shape,
    pub output: Shape,
    pub size: usize,
    /// For every output value of the last forward pass, where the input maximum is (see [`Maxima`]).
    argmax: Vec<u32>,
}

impl MaxPool {
    pub fn new(input: Shape, size: usize) -> Self {
        MaxPool {
            input,
            output: Shape::new(input.channels, input.height / size, input.width / size),
            size,
            argmax: Vec::new(),
        }
    }

    pub fn forward(&mut self, input: &[f32], output: &mut [f32], batch: usize) {
        self.begin(batch);
        let (in_len, out_len) = (self.input.len(), self.output.len());
        for n in 0..batch {
            self.forward_example(
                n,
                &input[n * in_len..(n + 1) * in_len],
                &mut output[n * out_len..(n + 1) * out_len],
                Maxima::InExample,
            );
        }
    }

    /// Makes room for the maxima of `batch` examples; [`MaxPool::forward_example`] fills them.
    pub fn begin(&mut self, batch: usize) {
        self.argmax.resize(batch * self.output.len(), 0);
    }

    /// Pools example `n` of the batch (`input`: `[C, H, W]`, `output`: `[C, H/size, W/size]`),
    /// recording the maxima as `maxima` says.
    pub fn forward_example(&mut self, n: usize, input: &[f32], output: &mut [f32], maxima: Maxima) {
        let (in_plane, out_plane) = (
            self.input.height * self.input.width,
            self.output.height * self.output.width,
        );
        let channels = self.input.channels;
        let argmax = &mut self.argmax[n * channels * out_plane..(n + 1) * channels * out_plane];
        let x_planes = input[..channels * in_plane].chunks_exact(in_plane);
        let y_planes = output[..channels * out_plane].chunks_exact_mut(out_plane);
        let arg_planes = argmax.chunks_exact_mut(out_plane);
        let width = self.input.width;
        let layout = |c: usize| match maxima {
            Maxima::InExample => Layout {
                width,
                grid: width,
                offset: (c * in_plane) as u32,
            },
            Maxima::OnGrid(grid) => Layout {
                width,
                grid,
                offset: 0,
            },
        };
        for (c, ((x, y), arg)) in x_planes.zip(y_planes).zip(arg_planes).enumerate() {
            if self.size == 2 {
                pool_plane_2x2(x, layout(c), self.output, y, arg);
            } else {
                pool_plane(x, layout(c), self.output, self.size, y, arg);
            }
        }
    }

    /// Per output value of the last forward pass, where the input maximum is (see [`Maxima`]).
    pub fn argmax(&self) -> &[u32] {
        &self.argmax
    }

    pub fn backward(&self, grad_output: &[f32], grad_input: &mut [f32], batch: usize) {
        let (in_len, out_len) = (self.input.len(), self.output.len());
        grad_input[..batch * in_len].fill(0.0);
        for n in 0..batch {
            let dx = &mut grad_input[n * in_len..(n + 1) * in_len];
            for k in n * out_len..(n + 1) * out_len {
                dx[self.argmax[k] as usize] += grad_output[k];
            }
        }
    }
}

/// One input plane: its rows are `width` apart; a maximum at `(y, x)` is recorded as
/// `offset + y·grid + x`.
#[derive(Clone, Copy)]
struct Layout {
    width: usize,
    grid: usize,
    offset: u32,
}

/// The common 2×2 case. Each pooled row width an input of up to 28 columns gives has a function of
/// its own, where the width is a constant: the loop over a row unrolls into whole vectors without
/// bounds checks or a remainder loop (rows are short, 5 or 12 values in the default network, and
/// the per-row overhead was most of the pooling's time).
fn pool_plane_2x2(x: &[f32], layout: Layout, output: Shape, y: &mut [f32], arg: &mut [u32]) {
    macro_rules! widths {
        ($($w:literal),*) => {
            match output.width {
                $($w => pool_rows_2x2_fixed::<$w>(x, layout, output.height, y, arg),)*
                width => pool_rows_2x2(x, layout, output.height, width, y, arg),
            }
        };
    }
    widths!(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14)
}

/// [`pool_rows_2x2`] with the pooled row width a constant.
#[inline(never)]
fn pool_rows_2x2_fixed<const OW: usize>(
    x: &[f32],
    layout: Layout,
    rows: usize,
    y: &mut [f32],
    arg: &mut [u32],
) {
    pool_rows_2x2(x, layout, rows, OW, y, arg);
}

/// `rows` pooled rows of `ow` values, branch-free and in 32-bit index arithmetic so the compiler
/// vectorizes it. Each row's pair is compared first, then the two rows: the first maximum in
/// reading order wins ties, as in [`pool_plane`] (and PyTorch).
#[inline(always)]
fn pool_rows_2x2(
    x: &[f32],
    layout: Layout,
    rows: usize,
    ow: usize,
    y: &mut [f32],
    arg: &mut [u32],
) {
    let width = layout.width;
    let grid32 = layout.grid as u32;
    for oy in 0..rows {
        let top = &x[2 * oy * width..2 * oy * width + 2 * ow];
        let bottom = &x[(2 * oy + 1) * width..(2 * oy + 1) * width + 2 * ow];
        let y_row = &mut y[oy * ow..(oy + 1) * ow];
        let arg_row = &mut arg[oy * ow..(oy + 1) * ow];
        let row_start = (2 * oy * layout.grid) as u32 + layout.offset;
        let pairs = top.chunks_exact(2).zip(bottom.chunks_exact(2));
        for (ox, ((t, b), (out, at))) in pairs
            .zip(y_row.iter_mut().zip(arg_row.iter_mut()))
            .enumerate()
        {
            let top_right = t[1] > t[0];
            let top_best = if top_right { t[1] } else { t[0] };
            let bottom_right = b[1] > b[0];
            let bottom_best = if bottom_right { b[1] } else { b[0] };
            let down = bottom_best > top_best;
            *out = if down { bottom_best } else { top_best };
            let column = if down {
                grid32 + u32::from(bottom_right)
            } else {
                u32::from(top_right)
            };
            *at = row_start + 2 * ox as u32 + column;
        }
    }
}

/// Any window size.
fn pool_plane(
    x: &[f32],
    layout: Layout,
    output: Shape,
    size: usize,
    y: &mut [f32],
    arg: &mut [u32],
) {
    let width = layout.width;
    for oy in 0..output.height {
        for ox in 0..output.width {
            let mut best = oy * size * width + ox * size;
            for i in 0..size {
                for j in 0..size {
                    let at = (oy * size + i) * width + ox * size + j;
                    if x[at] > x[best] {
                        best = at;
                    }
                }
            }
            y[oy * output.width + ox] = x[best];
            let (row, column) = (best / width, best % width);
            arg[oy * output.width + ox] = (row * layout.grid + column) as u32 + layout.offset;
        }
    }
}
