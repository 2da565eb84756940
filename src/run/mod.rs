//! A pruning run, step by step, and its record: the single data contract that the CLI, the
//! charts and the browser all read.
//!
//! - [`catalog`]: the named choices and quoted defaults the page lists (no copies in JavaScript).
//! - [`config`]: [`RunConfig`] (architecture, training, pruning settings) and its validation.
//! - [`pruning_run`]: [`PruningRun`], the state machine (train → prune / check / roll back → fine-tune),
//!   one file per schedule in `pruning_run/schedules/`, and the dense reference it records.
//! - [`history`]: the append-only [`History`] (per-step and per-evaluation records, pruning events,
//!   mask deltas, weight snapshots) with cursors for incremental transfer to another thread.
//! - [`sweep`]: many runs sharing their dense pre-training (accuracy against sparsity).
//! - [`replay`]: masks, pruned-at steps and weights as of any recorded step.
//! - [`lessons`]: lessons that are experiments (runs, a question, claims checked on the runs).
//! - [`views`]: what is shown of a history: chart inputs, the summary, hover facts (plain data).

pub mod catalog;
pub mod config;
pub mod export;
pub mod history;
pub mod lessons;
pub mod pruning_run;
pub mod replay;
pub mod session_file;
pub mod sweep;
pub mod url;
pub mod views;

pub use config::{PruneSettings, RunConfig, ScheduleKind};
pub use history::{Cursor, History, Phase, Records};
pub use pruning_run::{DenseReference, PruningRun, StepOutcome};
