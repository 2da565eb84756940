//! Whether a finished run reached its target sparsity and, when not, why — in a sentence for the
//! lesson panel and the page header (the run summary uses it for every run, lesson or not).

use serde::Serialize;

use super::metrics::{is_finished, pruning_events};
use super::text::{percent, percent_setting};
use crate::run::history::History;
use crate::run::{PruneSettings, ScheduleKind};

/// A final sparsity this close below the target counts as reached: whole-unit (structured)
/// selection cannot hit a fraction exactly.
pub const REACHED_WITHIN: f64 = 0.01;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TargetStatus {
    pub target: f64,
    /// `None` until the run has finished.
    pub reached: Option<bool>,
    /// Why a finished run stayed below its target.
    pub reason: Option<String>,
}

/// The target of a run with pruning settings `prune`, as recorded in `history`.
pub fn target_status(prune: &PruneSettings, history: &History) -> TargetStatus {
    let target = prune.target_sparsity;
    let final_sparsity = history.records.evals.last().map(|e| e.sparsity);
    let (reached, reason) = match final_sparsity {
        Some(sparsity) if is_finished(history) => {
            let reached = sparsity >= target - REACHED_WITHIN;
            (
                Some(reached),
                (!reached).then(|| missed_reason(prune, history, sparsity)),
            )
        }
        _ => (None, None),
    };
    TargetStatus {
        target,
        reached,
        reason,
    }
}

/// Why the run ended at `sparsity`, below its target.
fn missed_reason(p: &PruneSettings, history: &History, sparsity: f64) -> String {
    let ended = format!(
        "the run ended at {} sparsity, below its {} target",
        percent(sparsity),
        percent_setting(p.target_sparsity)
    );
    if p.schedule != ScheduleKind::Rollback {
        return capitalised(&ended);
    }
    let attempts = pruning_events(history).count();
    let undone = history
        .records
        .events
        .iter()
        .filter(|e| !e.accepted)
        .count();
    if undone == 0 {
        return capitalised(&format!(
            "{ended}: each step pruned {} of what remained, and the pruning phase ended first",
            percent_setting(p.prune_rate)
        ));
    }
    let each = if undone == 1 { "it" } else { "each" };
    format!(
        "{undone} of {attempts} pruning steps were rolled back: {each} raised the held-out loss more than {}, and every rollback halves the next step; {ended}",
        percent_setting(p.tolerance)
    )
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}
