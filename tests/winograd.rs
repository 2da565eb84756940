//! The 3×3 convolution's Winograd forward path against its direct kernel, on the default network's
//! 3×3 layer (10×12×12 → 20×10×10): the same outputs within float rounding, and the same backward
//! afterwards (backward reads the input, whichever path forward took).

// Native tests: the wasm32 build runs only the browser tests (tests/web_*.rs).
#![cfg(not(target_arch = "wasm32"))]

use prunelab::nn::conv2d::Conv2d;
use prunelab::nn::Shape;
use prunelab::train::seeded_rng;
use rand::Rng;

/// Forces the Winograd path (`true`) or the direct kernel (`false`).
fn with_path(conv: &Conv2d, winograd: bool) -> Conv2d {
    let mut conv = conv.clone();
    conv.winograd_min_kept = if winograd { 0.0 } else { 2.0 };
    conv
}

#[test]
fn winograd_forward_matches_the_direct_kernel_on_the_default_3x3_layer() {
    let (input, filters, batch) = (Shape::new(10, 12, 12), 20, 4);
    let mut rng = seeded_rng(5, 1);
    for sparsity in [0.0, 0.3, 0.8] {
        let mut conv = Conv2d::new("conv2", input, filters, 3);
        let bound = (6.0f32 / 90.0).sqrt();
        conv.weight.value = (0..conv.weight.len())
            .map(|_| rng.gen_range(-bound..bound))
            .collect();
        conv.bias.value = (0..filters).map(|_| rng.gen_range(-0.1..0.1)).collect();
        let keep = (0..conv.weight.len())
            .map(|_| rng.gen::<f64>() >= sparsity)
            .collect();
        conv.weight.set_mask(keep);
        let x: Vec<f32> = (0..batch * input.len())
            .map(|_| rng.gen_range(-0.4..2.8))
            .collect();
        let out_len = batch * conv.output.len();

        let (mut winograd, mut direct) = (with_path(&conv, true), with_path(&conv, false));
        let (mut y_winograd, mut y_direct) = (vec![0.0; out_len], vec![0.0; out_len]);
        winograd.forward(&x, &mut y_winograd, batch);
        direct.forward(&x, &mut y_direct, batch);

        // The rounding error of a sum scales with the sum of the magnitudes of its terms:
        // the same convolution over |x|, |W| and |b|.
        let mut magnitudes = with_path(&conv, false);
        magnitudes
            .weight
            .value
            .iter_mut()
            .for_each(|w| *w = w.abs());
        magnitudes.bias.value.iter_mut().for_each(|b| *b = b.abs());
        let x_abs: Vec<f32> = x.iter().map(|v| v.abs()).collect();
        let mut scale = vec![0.0; out_len];
        magnitudes.forward(&x_abs, &mut scale, batch);
        for (i, ((&got, &want), &scale)) in y_winograd.iter().zip(&y_direct).zip(&scale).enumerate()
        {
            assert!(
                (got - want).abs() <= 1e-5 * scale,
                "sparsity {sparsity}: y[{i}] = {got} (Winograd), {want} (direct), scale {scale}"
            );
        }

        // A second pass over the reused workspaces gives the same outputs.
        let mut y_again = vec![0.0; out_len];
        winograd.forward(&x, &mut y_again, batch);
        assert_eq!(y_again, y_winograd, "sparsity {sparsity}: second pass");

        // Backward from the same output gradient reads the input, not forward's outputs: the
        // gradients agree exactly whichever path forward took.
        let dy: Vec<f32> = (0..out_len).map(|_| rng.gen_range(-1.0..1.0)).collect();
        let (mut dx_winograd, mut dx_direct) = (vec![0.0; x.len()], vec![0.0; x.len()]);
        winograd.backward(&x, &dy, Some(&mut dx_winograd), batch);
        direct.backward(&x, &dy, Some(&mut dx_direct), batch);
        assert_eq!(dx_winograd, dx_direct, "sparsity {sparsity}: ∂x");
        assert_eq!(
            winograd.weight.grad, direct.weight.grad,
            "sparsity {sparsity}: ∂W"
        );
        assert_eq!(
            winograd.bias.grad, direct.bias.grad,
            "sparsity {sparsity}: ∂b"
        );
    }
}
