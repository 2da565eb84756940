//! Training: settings, the step-able trainer and the observer interface.

pub mod config;
pub mod observer;
pub mod trainer;

pub use config::{LrSchedule, TrainConfig};
pub use observer::{BatchReport, EpochReport, Recorder, Silent, TrainObserver};
pub use trainer::{seeded_rng, EvalSet, Evaluation, Trainer};
