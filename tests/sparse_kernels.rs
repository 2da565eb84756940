//! The layers' two code paths (blocked matrix multiply below the sparsity threshold, index lists
//! above it) both match a direct textbook implementation, forward and backward, within 1e-4.

// Native tests: the wasm32 build runs only the browser tests (tests/web_*.rs).
#![cfg(not(target_arch = "wasm32"))]

use prunelab::nn::conv2d::Conv2d;
use prunelab::nn::dense::Dense;
use prunelab::nn::Shape;
use prunelab::train::seeded_rng;
use rand::Rng;

fn random(len: usize, seed: u64) -> Vec<f32> {
    let mut rng = seeded_rng(seed, 9);
    (0..len).map(|_| rng.gen_range(-1.0f32..1.0)).collect()
}

fn random_mask(len: usize, sparsity: f64, seed: u64) -> Vec<bool> {
    let mut rng = seeded_rng(seed, 10);
    (0..len).map(|_| rng.gen::<f64>() >= sparsity).collect()
}

fn assert_close(what: &str, got: &[f32], want: &[f32]) {
    assert_eq!(got.len(), want.len());
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert!(
            (g - w).abs() <= 1e-4 * (1.0 + w.abs()),
            "{what}[{i}]: {g} vs {w}"
        );
    }
}

/// Direct convolution, valid padding, stride 1: returns (y, ∂W, ∂b, ∂x) for upstream gradient `dy`.
fn naive_conv(
    x: &[f32],
    w: &[f32],
    b: &[f32],
    dy: &[f32],
    batch: usize,
    input: Shape,
    filters: usize,
    k: usize,
) -> (Vec<f32>, Vec<f32>, Vec<f32>, Vec<f32>) {
    let (c_in, h, wd) = (input.channels, input.height, input.width);
    let (oh, ow) = (h - k + 1, wd - k + 1);
    let mut y = vec![0.0; batch * filters * oh * ow];
    let (mut dw, mut db, mut dx) = (vec![0.0; w.len()], vec![0.0; filters], vec![0.0; x.len()]);
    for n in 0..batch {
        for f in 0..filters {
            for oy in 0..oh {
                for ox in 0..ow {
                    let out = ((n * filters + f) * oh + oy) * ow + ox;
                    let mut sum = b[f];
                    for c in 0..c_in {
                        for i in 0..k {
                            for j in 0..k {
                                let wi = ((f * c_in + c) * k + i) * k + j;
                                let xi = ((n * c_in + c) * h + oy + i) * wd + ox + j;
                                sum += w[wi] * x[xi];
                                dw[wi] += dy[out] * x[xi];
                                dx[xi] += dy[out] * w[wi];
                            }
                        }
                    }
                    y[out] = sum;
                    db[f] += dy[out];
                }
            }
        }
    }
    (y, dw, db, dx)
}

#[test]
fn conv_dense_and_sparse_paths_match_direct_convolution() {
    // Kernel sizes cover the vector kernels (rows of 1 and 2 vectors) and the scalar fallback (> 8);
    // odd widths leave partial vectors at row ends; every third case zeroes most output gradients,
    // as ReLU and max-pooling do.
    let input = Shape::new(3, 12, 11);
    let (filters, batch) = (4, 3);
    let cases = [(1, 0.0), (2, 0.3), (3, 0.8), (4, 0.97), (5, 0.0), (6, 0.5)];
    for (case, (seed, sparsity)) in cases.into_iter().enumerate() {
        for k in [1, 2, 3, 4, 5, 7, 8, 9] {
            check_conv(input, filters, k, batch, seed, sparsity, case % 3 == 2);
        }
    }
    // Rows wider than one register block (38 outputs).
    check_conv(Shape::new(2, 5, 40), 3, 3, 2, 7, 0.2, true);
    // Examples shorter than the padding: more than the last one goes through a padded copy.
    for (input, k) in [(Shape::new(1, 2, 3), 2), (Shape::new(1, 3, 3), 3)] {
        for (seed, sparsity, sparse_gradient) in [(8, 0.0, false), (9, 0.5, true)] {
            check_conv(input, 2, k, 5, seed, sparsity, sparse_gradient);
        }
    }
}

fn check_conv(
    input: Shape,
    filters: usize,
    k: usize,
    batch: usize,
    seed: u64,
    sparsity: f64,
    sparse_gradient: bool,
) {
    {
        let mut conv = Conv2d::new("conv1", input, filters, k);
        conv.weight.value = random(conv.weight.len(), seed);
        conv.bias.value = random(filters, seed + 10);
        conv.weight
            .set_mask(random_mask(conv.weight.len(), sparsity, seed));
        let x = random(batch * input.len(), seed + 20);
        let mut dy = random(batch * conv.output.len(), seed + 30);
        if sparse_gradient {
            let keep = random_mask(dy.len(), 0.75, seed + 40);
            dy.iter_mut()
                .zip(keep)
                .for_each(|(g, kept)| *g *= f32::from(u8::from(kept)));
        }
        let (want_y, want_dw, want_db, want_dx) = naive_conv(
            &x,
            &conv.weight.value,
            &conv.bias.value,
            &dy,
            batch,
            input,
            filters,
            k,
        );
        let mut y = vec![0.0; want_y.len()];
        conv.forward(&x, &mut y, batch);
        let mut dx = vec![0.0; x.len()];
        conv.backward(&x, &dy, Some(&mut dx), batch);
        let mask = conv.weight.mask().unwrap().to_vec();
        let want_dw: Vec<f32> = want_dw
            .iter()
            .zip(&mask)
            .map(|(&g, &kept)| if kept { g } else { 0.0 })
            .collect();
        let label = format!("kernel {k}, sparsity {sparsity}, sparse ∂y {sparse_gradient}");
        assert_close(&format!("{label} y"), &y, &want_y);
        assert_close(&format!("{label} dW"), &conv.weight.grad, &want_dw);
        assert_close(&format!("{label} db"), &conv.bias.grad, &want_db);
        assert_close(&format!("{label} dx"), &dx, &want_dx);
    }
}

#[test]
fn dense_layer_paths_match_textbook_formulas() {
    let (inputs, outputs, batch) = (13, 6, 5);
    for (seed, sparsity) in [(1, 0.0), (2, 0.4), (3, 0.75), (4, 0.95)] {
        let mut dense = Dense::new("fc1", inputs, outputs);
        dense.weight.value = random(inputs * outputs, seed);
        dense.bias.value = random(outputs, seed + 10);
        dense
            .weight
            .set_mask(random_mask(inputs * outputs, sparsity, seed));
        let w = dense.weight.value.clone();
        let x = random(batch * inputs, seed + 20);
        let dy = random(batch * outputs, seed + 30);
        let mut want_y = vec![0.0; batch * outputs];
        let (mut want_dw, mut want_dx) = (vec![0.0; w.len()], vec![0.0; x.len()]);
        for n in 0..batch {
            for o in 0..outputs {
                want_y[n * outputs + o] = dense.bias.value[o]
                    + (0..inputs)
                        .map(|i| w[o * inputs + i] * x[n * inputs + i])
                        .sum::<f32>();
                for i in 0..inputs {
                    if dense.weight.mask().unwrap()[o * inputs + i] {
                        want_dw[o * inputs + i] += dy[n * outputs + o] * x[n * inputs + i];
                    }
                    want_dx[n * inputs + i] += dy[n * outputs + o] * w[o * inputs + i];
                }
            }
        }
        let mut y = vec![0.0; batch * outputs];
        dense.forward(&x, &mut y, batch, None);
        let mut dx = vec![0.0; x.len()];
        dense.backward(&x, &dy, Some(&mut dx), batch);
        let label = format!("sparsity {sparsity}");
        assert_close(&format!("{label} y"), &y, &want_y);
        assert_close(&format!("{label} dW"), &dense.weight.grad, &want_dw);
        assert_close(&format!("{label} dx"), &dx, &want_dx);
    }
}
