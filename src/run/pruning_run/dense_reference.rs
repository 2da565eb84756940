//! The dense network a run is compared with ("dense said 7, pruned says 1").
//!
//! The run records it itself, inside [`super::PruningRun::step`], at the moment that defines it:
//! - one-shot, iterative, gradual, rollback: when the pruning phase starts, just before the first
//!   pruning step (after pre-training, or the starting weights when there is none);
//! - lottery: at the end of round 0, the trained dense network, before the first pruning step and
//!   rewind (not the rewound initial weights the next round starts from);
//! - SET / RigL: never — they train sparse from step 0, so there is no dense network at all.
//!
//! Because it is taken by the run, a run replayed from its configuration (the page after a
//! reload) gets the same reference, bit for bit, whatever slices it was stepped in. It is not
//! stored in the session file: replaying the run rebuilds it. Its test accuracy, when the network
//! was trained, is [`crate::run::History::dense_test_accuracy`], measured at the same moment.

use crate::nn::Network;

/// What the page says instead of showing a dense network that never existed.
pub const NO_DENSE_NETWORK: &str =
    "No dense network to compare with: SET and RigL train sparse from step 0.";

#[derive(Clone, Debug)]
pub enum DenseReference {
    /// The run has not pruned yet: the network it trains is still the dense one.
    NotYetPruned,
    /// The network just before the first pruning step (weights and any starting masks).
    Recorded(Box<Network>),
    /// SET / RigL train sparse from step 0: there never is a dense network to compare with.
    SparseFromStepZero,
}

impl DenseReference {
    /// The recorded dense network (`None` before it is recorded, and for SET / RigL).
    pub fn network(&self) -> Option<&Network> {
        match self {
            DenseReference::Recorded(network) => Some(network),
            _ => None,
        }
    }

    /// Why this run has no dense network at all, in a sentence for the page (`None` when it has
    /// one, or will have once it prunes).
    pub fn absence_reason(&self) -> Option<&'static str> {
        match self {
            DenseReference::SparseFromStepZero => Some(NO_DENSE_NETWORK),
            _ => None,
        }
    }
}
