//! Rectified linear unit: `y = max(0, x)`, `∂x = ∂y · [y > 0]`. Any shape.

/// A compare-select rather than f32::max, which compiles to a libm call (fmaxf) in wasm.
#[inline(always)]
fn rectify(x: f32) -> f32 {
    if x > 0.0 {
        x
    } else {
        0.0
    }
}

pub fn forward(input: &[f32], output: &mut [f32]) {
    for (y, &x) in output.iter_mut().zip(input) {
        *y = rectify(x);
    }
}

/// `max(0, x)` in place.
pub fn forward_in_place(values: &mut [f32]) {
    for value in values {
        *value = rectify(*value);
    }
}

/// `output` is the forward output; the derivative at exactly 0 is taken as 0, as PyTorch does.
pub fn backward(output: &[f32], grad_output: &[f32], grad_input: &mut [f32]) {
    for ((dx, &dy), &y) in grad_input.iter_mut().zip(grad_output).zip(output) {
        *dx = if y > 0.0 { dy } else { 0.0 };
    }
}
