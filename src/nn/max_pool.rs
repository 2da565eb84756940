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
        let (in_len, out_len) = (self.input.len(), self.output.len());
        self.argmax.resize(batch * out_len, 0);
        let (w, oh, ow, s) = (
            self.input.width,
            self.output.height,
            self.output.width,
            self.size,
        );
        for n in 0..batch {
            let x = &input[n * in_len..(n + 1) * in_len];
            for c in 0..self.output.channels {
                let plane = c * self.input.height * w;
                for oy in 0..oh {
                    for ox in 0..ow {
                        let mut best = plane + oy * s * w + ox * s;
                        for i in 0..s {
                            for j in 0..s {
                                let at = plane + (oy * s + i) * w + ox * s + j;
                                if x[at] > x[best] {
                                    best = at;
                                }
                            }
                        }
                        let out = n * out_len + (c * oh + oy) * ow + ox;
                        output[out] = x[best];
                        self.argmax[out] = best as u32;
                    }
                }
            }
        }
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
