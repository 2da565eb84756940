//! Pruning: scoring rules (one file each; higher score = keep) and mask selection with the
//! semantics of `torch.nn.utils.prune`.
//!
//! # Conventions
//! - Prunable tensors are the conv kernels and dense weights (biases are never pruned).
//! - An *amount* `a` in [0, 1) prunes `round(a × n)` of the `n` entries still unpruned in that
//!   tensor (layer scope) or in all prunable tensors together (global scope, as torch's
//!   `global_unstructured`). A *target sparsity* `s` is converted to the amount that brings the
//!   fraction of pruned prunable weights to `s`.
//! - Ties in score are broken by index: among equal scores the entry with the lower (tensor, index)
//!   is pruned first, so runs are reproducible.

pub mod apply;
pub mod batch_gradients;
pub mod cosine;
pub mod filter_norm;
pub mod gradient;
pub mod largest_magnitude;
pub mod layer_targets;
pub mod magnitude;
pub mod override_select;
pub mod random;
pub mod regrow;
pub mod schedule;
pub mod select;
pub mod snip;
pub mod structured;
pub mod synflow;
pub mod taylor;
pub mod units;

pub use select::{prune_by_amount, Scope, Selection};

use crate::data::Dataset;
use crate::error::ErrorCode;
use crate::i18n::plain;
use crate::names::{self, Named};
use crate::nn::Network;
use crate::{Error, Result};

/// A scoring rule. `movement` needs scores accumulated during training (the run keeps them);
/// `set` and `rigl` are dynamic sparse training: the run prunes at random at step 0 and then drops
/// and regrows (see [`regrow`]). Names and labels: see [`crate::names`]; the order here is the
/// order the CLI and the page list them in.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::Display,
    strum::VariantArray,
    strum::EnumMessage,
)]
#[strum(serialize_all = "kebab-case")]
pub enum Strategy {
    /// |w|: the smallest weights go first.
    #[strum(message = "Weight magnitude")]
    Magnitude,
    /// |∂L/∂w| averaged over `batches` mini-batches: a growth score, poor for pruning alone.
    #[strum(message = "Gradient magnitude")]
    Gradient,
    /// L1-penalty pruning: training adds `λ Σ|w|` (done by the trainer), which drives unneeded
    /// weights toward 0; the pruning score afterwards is |w|, as for [`Strategy::Magnitude`].
    #[strum(message = "L1 regularisation")]
    L1,
    /// L2-penalty (weight decay) pruning: training adds `λ Σ w²` (done by the trainer); the
    /// pruning score afterwards is |w|, as for [`Strategy::Magnitude`].
    #[strum(message = "L2 regularisation")]
    L2,
    /// Random scores from a seeded generator: the baseline every method must beat.
    #[strum(message = "Random (baseline)")]
    Random,
    /// Structured: cosine-similarity redundancy; units are ranked by greedy removal of the smaller
    /// of the most similar pair (see [`cosine`]).
    #[strum(message = "Cosine similarity (structured)")]
    Cosine,
    /// |w · ∂L/∂w| with the gradient averaged over `batches` mini-batches (Molchanov et al.).
    #[strum(message = "Taylor first order")]
    Taylor,
    /// SNIP (Lee et al. 2019): |w · ∂L/∂w| on one batch, normalised to sum 1.
    #[strum(message = "SNIP (at initialisation)")]
    Snip,
    /// SynFlow (Tanaka et al. 2020), one data-free round: |θ · ∂R/∂θ| with R the logit sum of
    /// the |θ| network on an all-ones input. The 100-round schedule is run-level.
    #[strum(message = "SynFlow (data-free)")]
    Synflow,
    /// Movement (Sanh et al. 2020): `−Σ_t w·∂L/∂w` accumulated over the training steps so far —
    /// weights moving away from zero score high.
    #[strum(message = "Movement")]
    Movement,
    /// Structured: the L1 norm of each output unit (conv filter / dense row), Li et al. 2017.
    #[strum(message = "Filter L1 norm (structured)")]
    FilterL1,
    /// Structured: the L2 norm of each output unit, as torch's `ln_structured(n=2, dim=0)`.
    #[strum(message = "Filter L2 norm (structured)")]
    FilterL2,
    /// SET (Mocanu et al. 2018): sparse from step 0 (random mask), drop smallest |w|, regrow at random.
    #[strum(message = "SET (dynamic sparse)")]
    Set,
    /// RigL (Evci et al. 2020): sparse from step 0, drop smallest |w|, regrow largest |∂L/∂w|.
    #[strum(message = "RigL (dynamic sparse)")]
    Rigl,
    /// Targeted dropout (Gomez et al. 2019): while training, each step drops the γ fraction of
    /// every prunable layer's smallest weights with probability α (done by the trainer, see
    /// [`crate::train::targeted_dropout`]); the pruning score afterwards is |w|, as for
    /// [`Strategy::Magnitude`].
    #[strum(message = "Targeted dropout")]
    TargetedDropout,
    /// −|w|: the largest weights go first. The source document's literal instruction
    /// (选取最大的权值进行剪枝, "select the largest weights for pruning"), see [`largest_magnitude`].
    #[strum(message = "Largest magnitude (source's literal rule)")]
    LargestMagnitude,
}

names::named!(Strategy, "strategy");

impl Strategy {
    /// The canonical name, e.g. `filter-l1`.
    pub fn name(self) -> &'static str {
        Named::name(self)
    }

    /// Dynamic sparse training: sparse from the first step, the mask keeps changing.
    pub fn is_dynamic(self) -> bool {
        matches!(self, Strategy::Set | Strategy::Rigl)
    }

    /// Whether the rule scores whole output units (conv filters, dense rows): every entry of a
    /// unit then carries the unit's score, and masks should be chosen with
    /// [`structured::prune_units_by_amount`] rather than entry by entry.
    pub fn is_structured(self) -> bool {
        matches!(
            self,
            Strategy::FilterL1 | Strategy::FilterL2 | Strategy::Cosine
        )
    }

    /// One score per entry of every prunable tensor of `network`, in [`Network::params`] order.
    /// Data-driven rules run forward/backward passes on `context`'s batches (the network's weights
    /// and masks are left as they were; its gradients are overwritten).
    pub fn scores(
        self,
        network: &mut Network,
        context: &ScoreContext<'_>,
    ) -> Result<Vec<Vec<f32>>> {
        Ok(match self {
            // The L1/L2 penalties and targeted dropout act during training; what they leave is
            // pruned by magnitude.
            Strategy::Magnitude | Strategy::L1 | Strategy::L2 | Strategy::TargetedDropout => {
                magnitude::scores(network)
            }
            Strategy::LargestMagnitude => largest_magnitude::scores(network),
            // SET and RigL start from a random mask (uniform per layer with layer scope).
            Strategy::Random | Strategy::Set | Strategy::Rigl => {
                random::scores(network, context.seed)
            }
            Strategy::Movement => match context.movement {
                Some(scores) => scores.to_vec(),
                None => {
                    return Err(Error::setting(
                        "strategy",
                        ErrorCode::MovementNeedsTraining.with(vec![]),
                    ))
                }
            },
            Strategy::Gradient => gradient::scores(network, context)?,
            Strategy::Taylor => taylor::scores(network, context)?,
            Strategy::Snip => snip::scores(network, context)?,
            Strategy::Synflow => synflow::scores(network),
            Strategy::FilterL1 => filter_norm::scores(network, filter_norm::Norm::L1),
            Strategy::FilterL2 => filter_norm::scores(network, filter_norm::Norm::L2),
            Strategy::Cosine => cosine::scores(network),
        })
    }
}

/// What a scoring rule may look at besides the weights.
#[derive(Clone, Copy, Debug)]
pub struct ScoreContext<'a> {
    /// The images the data-driven rules draw their mini-batches from.
    pub dataset: &'a Dataset,
    /// Training-image indices, in the order batches are taken (the first `batches × batch_size`).
    pub training_indices: &'a [usize],
    pub batch_size: usize,
    /// Mini-batches averaged by gradient-based rules (k ≥ 1).
    pub batches: usize,
    /// Seed of the run: the random rule draws from it.
    pub seed: u64,
    /// Movement scores accumulated by the run (`−Σ_t w·∂L/∂w` per weight), when it keeps them.
    pub movement: Option<&'a [Vec<f32>]>,
}

/// Fraction of prunable weights that are pruned.
pub fn sparsity(network: &Network) -> f64 {
    let (mut total, mut kept) = (0usize, 0usize);
    for param in network.params().filter(|p| p.is_prunable()) {
        total += param.len();
        kept += param.kept();
    }
    if total == 0 {
        0.0
    } else {
        1.0 - kept as f64 / total as f64
    }
}

/// Checks a target sparsity: a fraction in [0, 1).
pub fn validate_target(target: f64) -> Result<()> {
    if !(target.is_finite() && (0.0..1.0).contains(&target)) {
        return Err(Error::setting(
            "target_sparsity",
            ErrorCode::TargetOutOfRange.with(vec![("value", plain(target))]),
        ));
    }
    Ok(())
}
