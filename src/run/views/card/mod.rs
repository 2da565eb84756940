//! The results card: the plain before/after answer at the end of a run, dense vs pruned — test
//! accuracy, parameters, model size (fp32, sparse CSR, compacted), inference and training MACs,
//! the energy estimate and the times measured in the browser.
//!
//! "Dense" is the same architecture with every weight (its accuracy is the run's dense
//! reference, [`History::dense_test_accuracy`]); "pruned" is the network at the run's last step.
//! Everything is counted from the history (shapes and masks, see [`figures`]), so the page's
//! viewer, a comparison and the CLI give the same card.

mod figures;
mod text;

use serde::{Deserialize, Serialize};

use crate::i18n::{tr, Lang};
use crate::metrics::{energy_joules, ENERGY_MODEL};
use crate::run::catalog::label_key;
use crate::run::history::History;
use crate::run::RunConfig;
pub use figures::{compaction, network_figures, Compaction, NetworkFigures, CSR_FORMAT};
pub use text::{time_verdict, SAME_TIME_WITHIN};

/// Times measured in the browser's worker (web::timing) on the run's dense snapshot and its
/// pruned network; the core never reads a clock, so these arrive from outside.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeasuredTime {
    /// One training epoch (`images_per_epoch` images), scaled from timed mini-batches.
    pub epoch_ms_dense: f64,
    pub epoch_ms_pruned: f64,
    /// A forward pass over 1,000 test images.
    pub inference_1000_ms_dense: f64,
    pub inference_1000_ms_pruned: f64,
    pub images_per_epoch: usize,
}

/// One side of the card as numbers (the JSON export carries these).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CardSide {
    pub test_accuracy: Option<f32>,
    #[serde(flatten)]
    pub network: NetworkFigures,
    /// This run's training so far, all steps (dense: the same steps without pruning).
    pub training_macs: u64,
    pub training_energy_joules: f64,
}

/// One line of the card as it reads.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CardRow {
    pub label: String,
    pub dense: String,
    pub pruned: String,
    /// The pruned figure against dense.
    pub change: String,
}

/// The card: numbers, the rows they read as, and the notes that say how they were counted.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ResultsCard {
    pub title: String,
    pub step: u64,
    /// Fraction of prunable weights that are pruned.
    pub sparsity: f64,
    pub dense: CardSide,
    pub pruned: CardSide,
    /// `None` when no whole filter or unit was removed (unstructured masks).
    pub compacted: Option<Compaction>,
    pub time: Option<MeasuredTime>,
    pub rows: Vec<CardRow>,
    /// Whether pruning saved time, from the measured numbers (empty until measured).
    pub time_verdict: Vec<String>,
    pub sparse_format: &'static str,
    pub energy_model: &'static str,
    pub notes: Vec<String>,
}

/// What a run's card is titled: `Magnitude |w| · gradual to 90%`.
pub fn card_title(config: &RunConfig) -> String {
    card_title_in(config, Lang::En)
}

/// [`card_title`] in `lang`: the strategy and the schedule by their labels in the catalog.
pub fn card_title_in(config: &RunConfig, lang: Lang) -> String {
    let prune = &config.prune;
    let label = |kind: &str, name: &str| tr(lang, &label_key(kind, name), &[]);
    tr(
        lang,
        "card.title",
        &[
            ("strategy", &label("strategy", prune.strategy.name())),
            ("schedule", &label("schedule", prune.schedule.name())),
            ("target", &format!("{:.0}", prune.target_sparsity * 100.0)),
        ],
    )
}

/// The card of `history` at its last step, titled `title`, with `time` when it was measured.
pub fn results_card(title: &str, history: &History, time: Option<&MeasuredTime>) -> ResultsCard {
    results_card_in(title, history, time, Lang::En)
}

/// [`results_card`] with its rows, notes and time verdict in `lang` (the numbers, the JSON
/// figures, `sparse_format` and `energy_model` stay as they are: the export's fields).
pub fn results_card_in(
    title: &str,
    history: &History,
    time: Option<&MeasuredTime>,
    lang: Lang,
) -> ResultsCard {
    let step = history.last_step();
    let masks = history.masks_at(step);
    let tensors = &history.tensors;
    let (macs_actual, macs_dense) = history
        .records
        .steps
        .last()
        .map_or((0, 0), |s| (s.macs_actual, s.macs_dense));
    let dense = CardSide {
        test_accuracy: history.dense_test_accuracy,
        network: network_figures(tensors, None),
        training_macs: macs_dense,
        training_energy_joules: energy_joules(macs_dense),
    };
    let pruned = CardSide {
        test_accuracy: history.records.evals.last().map(|e| e.test_accuracy),
        network: network_figures(tensors, Some(&masks)),
        training_macs: macs_actual,
        training_energy_joules: energy_joules(macs_actual),
    };
    let compacted = Some(compaction(tensors, &masks)).filter(|c| c.units_removed > 0);
    let prunable = history.prunable_count().max(1) as f64;
    let kept: usize = masks.iter().map(|m| m.iter().filter(|&&k| k).count()).sum();
    let winograd = figures::winograd_layer(tensors, &masks);
    let mut notes = vec![
        tr(lang, "card.note.sparse-size", &[]),
        tr(lang, "card.note.energy-model", &[]),
    ];
    if dense.test_accuracy.is_none() {
        notes.push(tr(lang, "card.note.no-dense-accuracy", &[]));
    }
    if let Some(time) = time {
        let images = text::count(time.images_per_epoch as u64);
        notes.push(tr(lang, "card.note.times-measured", &[("images", &images)]));
    } else {
        notes.push(tr(lang, "card.note.times-later", &[]));
    }
    ResultsCard {
        title: title.to_string(),
        step,
        sparsity: 1.0 - kept as f64 / prunable,
        rows: rows(&dense, &pruned, compacted.as_ref(), time, lang),
        time_verdict: time.map_or_else(Vec::new, |t| {
            text::time_verdict_in(t, winograd.as_deref(), lang)
        }),
        dense,
        pruned,
        compacted,
        time: time.cloned(),
        sparse_format: CSR_FORMAT,
        energy_model: ENERGY_MODEL,
        notes,
    }
}

/// The card's lines, in reading order.
fn rows(
    dense: &CardSide,
    pruned: &CardSide,
    compacted: Option<&Compaction>,
    time: Option<&MeasuredTime>,
    lang: Lang,
) -> Vec<CardRow> {
    let row = |key: &str, dense: String, pruned: String, change: String| CardRow {
        label: tr(lang, key, &[]),
        dense,
        pruned,
        change,
    };
    let change = |d: f64, p: f64| text::change(d, p, lang);
    let counted = |key: &str, d: u64, p: u64, show: fn(u64) -> String| {
        row(key, show(d), show(p), change(d as f64, p as f64))
    };
    let (d, p) = (&dense.network, &pruned.network);
    let accuracy = match (dense.test_accuracy, pruned.test_accuracy) {
        (Some(a), Some(b)) => text::points(a, b),
        _ => "—".into(),
    };
    let shown = |a: Option<f32>| a.map_or_else(|| "—".into(), text::percent);
    let mut rows = vec![
        row(
            "card.row.test-accuracy",
            shown(dense.test_accuracy),
            shown(pruned.test_accuracy),
            accuracy,
        ),
        counted("card.row.parameters", d.params, p.params, text::count),
        counted(
            "card.row.size-dense",
            d.bytes_fp32,
            p.bytes_fp32,
            text::bytes,
        ),
        counted("card.row.size-csr", d.bytes_csr, p.bytes_csr, text::bytes),
    ];
    rows.push(match compacted {
        Some(c) => row(
            "card.row.size-compacted",
            text::bytes(d.bytes_fp32),
            tr(
                lang,
                if c.units_removed == 1 {
                    "card.compacted.one"
                } else {
                    "card.compacted.many"
                },
                &[
                    ("size", &text::bytes(c.bytes_fp32)),
                    ("units", &c.units_removed),
                ],
            ),
            change(d.bytes_fp32 as f64, c.bytes_fp32 as f64),
        ),
        None => row(
            "card.row.size-compacted",
            text::bytes(d.bytes_fp32),
            tr(lang, "card.compacted.none", &[]),
            "—".into(),
        ),
    });
    rows.extend([
        counted(
            "card.row.inference-macs",
            d.inference_macs_per_image,
            p.inference_macs_per_image,
            text::macs,
        ),
        counted(
            "card.row.training-macs-per-image",
            d.training_macs_per_image,
            p.training_macs_per_image,
            text::macs,
        ),
        counted(
            "card.row.training-macs-run",
            dense.training_macs,
            pruned.training_macs,
            text::macs,
        ),
        row(
            "card.row.training-energy",
            text::joules(dense.training_energy_joules),
            text::joules(pruned.training_energy_joules),
            change(dense.training_energy_joules, pruned.training_energy_joules),
        ),
    ]);
    if let Some(t) = time {
        let timed = |label: String, d: f64, p: f64| CardRow {
            label,
            dense: text::millis(d),
            pruned: text::millis(p),
            change: text::speed(d, p, lang),
        };
        let images = text::count(t.images_per_epoch as u64);
        rows.push(timed(
            tr(lang, "card.row.epoch-time", &[("images", &images)]),
            t.epoch_ms_dense,
            t.epoch_ms_pruned,
        ));
        rows.push(timed(
            tr(lang, "card.row.inference-time", &[]),
            t.inference_1000_ms_dense,
            t.inference_1000_ms_pruned,
        ));
    }
    rows
}
