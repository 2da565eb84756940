//! Training: settings, the step-able trainer and the observer interface.

pub mod config;
pub mod observer;
pub mod targeted_dropout;
pub mod trainer;

pub use config::{LrSchedule, TrainConfig};
pub use observer::{BatchReport, EpochReport, Recorder, Silent, TrainObserver};
pub use targeted_dropout::{TargetedDropout, TargetedDropoutSettings};
pub use trainer::{seeded_rng, EvalSet, Evaluation, Trainer};
