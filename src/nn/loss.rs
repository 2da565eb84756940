//! Softmax cross-entropy, averaged over the batch.
//!
//! `p = softmax(z)` (computed with the max subtracted for stability), `L = −(1/N) Σ_n log p[n, label_n]`,
//! `∂L/∂z[n,k] = (p[n,k] − [k = label_n]) / N`.

/// Returns the mean loss and the number of correct argmax predictions; writes `∂L/∂logits` into `grad`.
/// `logits` and `grad` are `[N, classes]`.
pub fn softmax_cross_entropy(
    logits: &[f32],
    labels: &[u8],
    classes: usize,
    grad: Option<&mut [f32]>,
) -> (f32, usize) {
    let batch = labels.len();
    let mut total = 0.0f64;
    let mut correct = 0;
    let mut grad = grad;
    for (n, &label) in labels.iter().enumerate() {
        let z = &logits[n * classes..(n + 1) * classes];
        let label = label as usize;
        let max = z.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let sum: f32 = z.iter().map(|&v| (v - max).exp()).sum();
        let log_sum = sum.ln() + max;
        total += (log_sum - z[label]) as f64;
        if argmax(z) == label {
            correct += 1;
        }
        if let Some(g) = grad.as_deref_mut() {
            let g = &mut g[n * classes..(n + 1) * classes];
            for k in 0..classes {
                let p = (z[k] - log_sum).exp();
                g[k] = (p - if k == label { 1.0 } else { 0.0 }) / batch as f32;
            }
        }
    }
    ((total / batch.max(1) as f64) as f32, correct)
}

/// Softmax probabilities of one row of logits.
pub fn softmax(logits: &[f32]) -> Vec<f32> {
    let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let exps: Vec<f32> = logits.iter().map(|&v| (v - max).exp()).collect();
    let sum: f32 = exps.iter().sum();
    exps.into_iter().map(|e| e / sum).collect()
}

/// Index of the largest value (the first on ties).
pub fn argmax(values: &[f32]) -> usize {
    let mut best = 0;
    for (i, &v) in values.iter().enumerate() {
        if v > values[best] {
            best = i;
        }
    }
    best
}
