//! The gradient of the training loss with respect to every prunable weight, averaged over `k`
//! mini-batches: the shared first step of the gradient-based scores (gradient, Taylor, SNIP).
//!
//! # Formula
//! With `L_b` the mean softmax cross-entropy of mini-batch `b` (batch `b` holds
//! `training_indices[b·B .. (b+1)·B]`, `B = batch_size`, in order),
//!
//! `ḡ = (1/k) Σ_{b<k} ∂L_b/∂w`,
//!
//! which, since the batches have equal size, is the gradient of the mean loss over all `k·B`
//! images. Forward passes run without dropout. Pruned weights get exactly 0 (their gradient is
//! masked by the layers).
//!
//! The network's weights and masks are left untouched; its `grad` buffers are overwritten.

use super::ScoreContext;
use crate::data::fill_batch;
use crate::error::ErrorCode;
use crate::i18n::plain;
use crate::nn::loss::softmax_cross_entropy;
use crate::nn::Network;
use crate::{Error, Result};

/// `ḡ` for every prunable tensor, in [`Network::params`] order (one entry per weight).
pub fn average_gradients(
    network: &mut Network,
    context: &ScoreContext<'_>,
    batches: usize,
) -> Result<Vec<Vec<f32>>> {
    validate(network, context, batches)?;
    let batch = context.batch_size;
    let classes = network.classes();
    let mut input = vec![0.0f32; batch * network.input_len()];
    let mut labels = vec![0u8; batch];
    let mut grad_logits = vec![0.0f32; batch * classes];
    network.zero_grad();
    for chunk in context.training_indices.chunks_exact(batch).take(batches) {
        fill_batch(context.dataset, chunk, &mut input, &mut labels);
        let logits = network.forward(&input, batch, None);
        let (loss, _) = softmax_cross_entropy(logits, &labels, classes, Some(&mut grad_logits));
        if !loss.is_finite() {
            return Err(Error::Diverged(
                ErrorCode::DivergedScoring.with(vec![("loss", plain(loss))]),
            ));
        }
        // `backward` accumulates, so the sum over batches builds up in `grad`.
        network.backward(&grad_logits, batch);
    }
    let scale = 1.0 / batches as f32;
    Ok(network
        .params()
        .filter(|p| p.is_prunable())
        .map(|p| p.grad.iter().map(|g| g * scale).collect())
        .collect())
}

/// Checks that `batches` mini-batches of `context.batch_size` can be drawn and fit the network.
pub fn validate(network: &Network, context: &ScoreContext<'_>, batches: usize) -> Result<()> {
    if context.batch_size == 0 {
        return Err(Error::setting("batch_size", "is 0; allowed: at least 1"));
    }
    if batches == 0 {
        return Err(Error::setting(
            "batches",
            "is 0; gradient-based scores need at least 1 mini-batch",
        ));
    }
    let needed = batches.saturating_mul(context.batch_size);
    if needed > context.training_indices.len() {
        return Err(Error::setting(
            "batches",
            format!(
                "{batches} batches of {} need {needed} training images; only {} available",
                context.batch_size,
                context.training_indices.len()
            ),
        ));
    }
    let input = network.shapes()[0];
    let dataset = context.dataset;
    if input.channels != 1 || input.height != dataset.rows() || input.width != dataset.cols() {
        return Err(Error::setting(
            "dataset",
            format!(
                "images are 1×{}×{}, the network expects {}×{}×{}",
                dataset.rows(),
                dataset.cols(),
                input.channels,
                input.height,
                input.width
            ),
        ));
    }
    if let Some(&bad) = context.training_indices[..needed]
        .iter()
        .find(|&&i| i >= dataset.len())
    {
        return Err(Error::setting(
            "training_indices",
            format!(
                "image index {bad} is out of range; the dataset has {} images",
                dataset.len()
            ),
        ));
    }
    Ok(())
}
