//! Whether a finished run reached its target sparsity and, when not, why — in a sentence for the
//! lesson panel and the page header (the run summary uses it for every run, lesson or not).

use serde::Serialize;

use super::metrics::{is_finished, pruning_events};
use super::text::{percent, percent_setting};
use crate::i18n::{tr, Lang};
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
    target_status_in(prune, history, Lang::En)
}

/// [`target_status`] with the reason in `lang`.
pub fn target_status_in(prune: &PruneSettings, history: &History, lang: Lang) -> TargetStatus {
    let target = prune.target_sparsity;
    let final_sparsity = history.records.evals.last().map(|e| e.sparsity);
    let (reached, reason) = match final_sparsity {
        Some(sparsity) if is_finished(history) => {
            let reached = sparsity >= target - REACHED_WITHIN;
            (
                Some(reached),
                (!reached).then(|| missed_reason(prune, history, sparsity, lang)),
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
fn missed_reason(p: &PruneSettings, history: &History, sparsity: f64, lang: Lang) -> String {
    let (sparsity, target) = (percent(sparsity), percent_setting(p.target_sparsity));
    let ended: [(&str, &dyn std::fmt::Display); 2] = [("sparsity", &sparsity), ("target", &target)];
    if p.schedule != ScheduleKind::Rollback {
        return tr(lang, "summary.target.ended", &ended);
    }
    let attempts = pruning_events(history).count();
    let undone = history
        .records
        .events
        .iter()
        .filter(|e| !e.accepted)
        .count();
    if undone == 0 {
        let rate = percent_setting(p.prune_rate);
        return tr(
            lang,
            "summary.target.phase-ended",
            &[ended[0], ended[1], ("rate", &rate)],
        );
    }
    let key = if undone == 1 {
        "summary.target.rolled-back-one"
    } else {
        "summary.target.rolled-back-many"
    };
    let tolerance = percent_setting(p.tolerance);
    tr(
        lang,
        key,
        &[
            ended[0],
            ended[1],
            ("undone", &undone),
            ("attempts", &attempts),
            ("tolerance", &tolerance),
        ],
    )
}
