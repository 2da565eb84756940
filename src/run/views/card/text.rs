//! How the card's figures read: numbers with thousands separators, changes against dense, and
//! the sentence that says whether pruning saved time. A number and its unit are joined by a
//! no-break space (U+00A0), so a narrow table cell never splits `28,360 B`.

use super::MeasuredTime;
use crate::i18n::{tr, Lang};

/// A time difference under this fraction is read as no difference (measurement noise: repeated
/// measurements of the same network in one browser differ by up to about 10%).
pub const SAME_TIME_WITHIN: f64 = 0.10;

/// `7090` → `7,090`.
pub fn count(value: u64) -> String {
    let digits = value.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

/// Multiply-accumulates: exact up to ten million, then three significant figures with a prefix.
pub fn macs(value: u64) -> String {
    const PREFIXES: [(f64, &str); 3] = [(1e12, "T"), (1e9, "G"), (1e6, "M")];
    if value < 10_000_000 {
        return count(value);
    }
    let v = value as f64;
    let (scale, prefix) = PREFIXES
        .iter()
        .copied()
        .find(|(scale, _)| v >= *scale)
        .unwrap_or((1e6, "M"));
    format!("{}\u{a0}{prefix}", significant(v / scale))
}

/// Bytes with separators: `28,360 B`.
pub fn bytes(value: u64) -> String {
    format!("{}\u{a0}B", count(value))
}

/// Joules with the prefix that keeps three significant figures readable.
pub fn joules(value: f64) -> String {
    let (scale, unit) = match value.abs() {
        v if v >= 1.0 => (1.0, "J"),
        v if v >= 1e-3 => (1e-3, "mJ"),
        v if v >= 1e-6 => (1e-6, "µJ"),
        _ => (1e-9, "nJ"),
    };
    format!("{}\u{a0}{unit}", significant(value / scale))
}

/// Milliseconds: whole above 100, one decimal below.
pub fn millis(value: f64) -> String {
    if value >= 1000.0 {
        format!("{}\u{a0}ms", count(value.round() as u64))
    } else if value >= 100.0 {
        format!("{value:.0}\u{a0}ms")
    } else {
        format!("{value:.1}\u{a0}ms")
    }
}

/// Accuracy as a percentage with one decimal.
pub fn percent(accuracy: f32) -> String {
    format!("{:.1}%", accuracy * 100.0)
}

/// Three significant figures (`1.23`, `12.3`, `123`).
fn significant(value: f64) -> String {
    match value.abs() {
        v if v >= 100.0 => format!("{value:.0}"),
        v if v >= 10.0 => format!("{value:.1}"),
        _ => format!("{value:.2}"),
    }
}

/// A typographic minus, as the page writes negative changes.
fn signed(text: String) -> String {
    text.replacen('-', "−", 1)
}

/// The pruned figure's change against dense in `lang`: `−89.5%`, `same`.
pub fn change(dense: f64, pruned: f64, lang: Lang) -> String {
    if dense == pruned {
        return tr(lang, "card.change.same", &[]);
    }
    if dense == 0.0 {
        return "—".into();
    }
    signed(format!("{:+.1}%", (pruned / dense - 1.0) * 100.0))
}

/// Accuracy change in points: `−4.7 pt`.
pub fn points(dense: f32, pruned: f32) -> String {
    signed(format!("{:+.1}\u{a0}pt", (pruned - dense) * 100.0))
}

/// A measured time against dense in `lang`: `2.24× faster`, `1.05× slower`.
pub fn speed(dense_ms: f64, pruned_ms: f64, lang: Lang) -> String {
    if pruned_ms <= dense_ms {
        let factor = format!("{:.2}", dense_ms / pruned_ms.max(1e-9));
        tr(lang, "card.speed.faster", &[("factor", &factor)])
    } else {
        let factor = format!("{:.2}", pruned_ms / dense_ms.max(1e-9));
        tr(lang, "card.speed.slower", &[("factor", &factor)])
    }
}

/// Whether pruning saved time, one sentence each for training and inference, from the measured
/// numbers; `winograd_layer` names a 3×3 layer still dense enough to run as Winograd, which says
/// why training did not get faster.
pub fn time_verdict(time: &MeasuredTime, winograd_layer: Option<&str>) -> Vec<String> {
    time_verdict_in(time, winograd_layer, Lang::En)
}

/// [`time_verdict`] in `lang`.
pub fn time_verdict_in(
    time: &MeasuredTime,
    winograd_layer: Option<&str>,
    lang: Lang,
) -> Vec<String> {
    let training = saved(
        &tr(lang, "card.verdict.epoch", &[]),
        time.epoch_ms_dense,
        time.epoch_ms_pruned,
        lang,
    );
    let inference = saved(
        &tr(lang, "card.verdict.inference", &[]),
        time.inference_1000_ms_dense,
        time.inference_1000_ms_pruned,
        lang,
    );
    let mut lines = vec![training.0, inference.0];
    if let (false, Some(layer)) = (training.1 && inference.1, winograd_layer) {
        lines.push(tr(lang, "card.verdict.winograd", &[("layer", &layer)]));
    }
    lines
}

/// The sentence for one measurement, and whether pruning made it faster.
fn saved(what: &str, dense_ms: f64, pruned_ms: f64, lang: Lang) -> (String, bool) {
    let (dense, pruned) = (millis(dense_ms), millis(pruned_ms));
    let args: [(&str, &dyn std::fmt::Display); 3] =
        [("what", &what), ("pruned", &pruned), ("dense", &dense)];
    if pruned_ms <= dense_ms * (1.0 - SAME_TIME_WITHIN) {
        let speed = speed(dense_ms, pruned_ms, lang);
        let line = tr(
            lang,
            "card.verdict.saved",
            &[args[0], args[1], args[2], ("speed", &speed)],
        );
        (line, true)
    } else if pruned_ms < dense_ms * (1.0 + SAME_TIME_WITHIN) {
        let within = format!("{:.0}", SAME_TIME_WITHIN * 100.0);
        let line = tr(
            lang,
            "card.verdict.same",
            &[args[0], args[1], args[2], ("within", &within)],
        );
        (line, false)
    } else {
        (tr(lang, "card.verdict.slower", &args), false)
    }
}
