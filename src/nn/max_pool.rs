//! Max-pooling over `size`×`size` windows with stride `size` (rows/columns that don't fill a window are dropped).
//!
//! Formula: `y[n,c,oy,ox] = max_{i,j < size} x[n,c,oy·size+i,ox·size+j]`; the gradient flows only to the
//! position of the maximum (the first one on ties), which forward records.
//!
//! # Shapes
//! input `[N, C, H, W]` → output `[N, C, H/size, W/size]`.

use super::spec::Shape;

#[derive(Clone, Debug)]
pub struct MaxPool {
    pub input: Shape,
    pub output: Shape,
    pub size: usize,
    /// For every output value of the last forward pass, the index (within its example) of the input maximum.
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
        let (in_plane, out_plane) = (
            self.input.height * self.input.width,
            self.output.height * self.output.width,
        );
        let planes = batch * self.input.channels;
        self.argmax.resize(planes * out_plane, 0);
        let x_planes = input[..planes * in_plane].chunks_exact(in_plane);
        let y_planes = output[..planes * out_plane].chunks_exact_mut(out_plane);
        let arg_planes = self.argmax.chunks_exact_mut(out_plane);
        for (plane, ((x, y), arg)) in x_planes.zip(y_planes).zip(arg_planes).enumerate() {
            // Indices are stored relative to the example, as backward expects.
            let offset = ((plane % self.input.channels) * in_plane) as u32;
            if self.size == 2 {
                pool_plane_2x2(x, self.input.width, self.output, y, arg, offset);
            } else {
                pool_plane(x, self.input.width, self.output, self.size, y, arg, offset);
            }
        }
    }

    /// Per output value of the last forward pass, the index (within its example) of the input maximum.
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

/// The common 2×2 case, written so the compiler drops the bounds checks.
fn pool_plane_2x2(
    x: &[f32],
    width: usize,
    output: Shape,
    y: &mut [f32],
    arg: &mut [u32],
    offset: u32,
) {
    let ow = output.width;
    for oy in 0..output.height {
        let top = &x[2 * oy * width..2 * oy * width + 2 * ow];
        let bottom = &x[(2 * oy + 1) * width..(2 * oy + 1) * width + 2 * ow];
        let y_row = &mut y[oy * ow..(oy + 1) * ow];
        let arg_row = &mut arg[oy * ow..(oy + 1) * ow];
        let pairs = top.chunks_exact(2).zip(bottom.chunks_exact(2));
        for (ox, ((t, b), (out, at))) in pairs
            .zip(y_row.iter_mut().zip(arg_row.iter_mut()))
            .enumerate()
        {
            let base = (2 * oy * width + 2 * ox) as u32 + offset;
            let (mut best, mut index) = (t[0], base);
            if t[1] > best {
                (best, index) = (t[1], base + 1);
            }
            if b[0] > best {
                (best, index) = (b[0], base + width as u32);
            }
            if b[1] > best {
                (best, index) = (b[1], base + width as u32 + 1);
            }
            *out = best;
            *at = index;
        }
    }
}

/// Any window size.
fn pool_plane(
    x: &[f32],
    width: usize,
    output: Shape,
    size: usize,
    y: &mut [f32],
    arg: &mut [u32],
    offset: u32,
) {
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
            arg[oy * output.width + ox] = best as u32 + offset;
        }
    }
}
