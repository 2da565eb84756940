//! A run's history as CSV, shared by the CLI's history.csv and the page's download.

use std::fmt::Write as _;

use super::History;

/// One row per recorded evaluation (step 0, `evals_per_epoch` points within each epoch, each
/// epoch's end, every pruning or rolled-back step). The first eight columns are the CLI contract;
/// later ones were added after it.
pub fn history_csv(history: &History) -> String {
    let mut csv = String::from(
        "step,phase,loss,test_accuracy,kept_params,sparsity,train_macs_actual,train_macs_dense,epoch,test_loss,train_accuracy\n",
    );
    for e in &history.records.evals {
        let _ = writeln!(
            csv,
            "{},{},{},{},{},{},{},{},{},{},{}",
            e.step,
            e.phase.name(),
            e.train_loss.unwrap_or(e.test_loss),
            e.test_accuracy,
            e.kept,
            e.sparsity,
            e.macs_actual,
            e.macs_dense,
            e.epoch,
            e.test_loss,
            e.train_accuracy.map_or(String::new(), |a| a.to_string()),
        );
    }
    csv
}
