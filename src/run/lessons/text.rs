//! Numbers as people write them (97.9%, −4.7 pt, 1,802, 8.3 G MACs, 80.1 mJ) and the
//! `{run.metric}` placeholders of a lesson's `what_happened` lines.

use super::metrics::{Metric, MetricKind};
use crate::i18n::{tr, Lang};

/// A measured fraction: `0.9791` → `97.9%`.
pub fn percent(fraction: f64) -> String {
    format!("{:.1}%", fraction * 100.0)
}

/// A configured fraction, without a decimal when it has none: `0.9` → `90%`, `0.333` → `33.3%`.
pub fn percent_setting(fraction: f64) -> String {
    let text = format!("{:.1}", fraction * 100.0);
    format!("{}%", text.strip_suffix(".0").unwrap_or(&text))
}

/// A difference of fractions in percentage points, signed: `−0.047` → `−4.7 pt`.
pub fn points(difference: f64) -> String {
    let value = (difference * 1000.0).round() / 10.0;
    if value == 0.0 {
        return "±0.0 pt".into();
    }
    let sign = if value < 0.0 { '−' } else { '+' };
    format!("{sign}{:.1} pt", value.abs())
}

/// A whole number with thousands separators: `7090` → `7,090`.
pub fn count(value: f64) -> String {
    let digits = format!("{}", value.round().abs() as u64);
    let mut grouped = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    if value < 0.0 {
        grouped.insert(0, '−');
    }
    grouped
}

/// Multiply-accumulates with a prefix: `8.3e9` → `8.3 G MACs`.
pub fn macs(value: f64) -> String {
    for (scale, prefix) in [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")] {
        if value >= scale {
            return format!("{:.1} {prefix} MACs", value / scale);
        }
    }
    format!("{} MACs", count(value))
}

/// Energy: `0.0801` → `80.1 mJ`.
pub fn joules(value: f64) -> String {
    if value >= 1.0 {
        format!("{value:.2} J")
    } else if value >= 1e-3 {
        format!("{:.1} mJ", value * 1e3)
    } else {
        format!("{:.1} µJ", value * 1e6)
    }
}

/// A metric's value as people read it (in English: see [`display_in`]).
pub fn display(metric: Metric, value: f64) -> String {
    display_in(metric, value, Lang::En)
}

/// A metric's value as people of `lang` read it: the numbers are written the same in every
/// language, a yes/no flag in its words ("yes"/"no", "是"/"否").
pub fn display_in(metric: Metric, value: f64, lang: Lang) -> String {
    match metric.kind() {
        MetricKind::Percent if metric == Metric::Target => percent_setting(value),
        MetricKind::Percent => percent(value),
        MetricKind::Points => points(value),
        MetricKind::Count => count(value),
        MetricKind::Macs => macs(value),
        MetricKind::Joules => joules(value),
        MetricKind::YesNo if value != 0.0 => tr(lang, "lesson.value.yes", &[]),
        MetricKind::YesNo => tr(lang, "lesson.value.no", &[]),
    }
}

/// What a placeholder names: a run's label or one of its metrics.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Field {
    Label,
    Metric(Metric),
}

/// The `{run.field}` placeholders of `template`, in order; the error names a malformed one.
pub fn placeholders(template: &str) -> Result<Vec<(String, Field)>, String> {
    let mut found = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let close = after
            .find('}')
            .ok_or_else(|| format!("`{{` without `}}` in “{template}”"))?;
        let inside = &after[..close];
        let (run, name) = inside.split_once('.').ok_or_else(|| {
            format!("placeholder `{{{inside}}}` is not `{{run.metric}}` or `{{run.label}}`")
        })?;
        let field = if name == "label" {
            Field::Label
        } else {
            Field::Metric(
                Metric::from_name(name).map_err(|e| format!("placeholder `{{{inside}}}`: {e}"))?,
            )
        };
        found.push((run.to_string(), field));
        rest = &after[close + 1..];
    }
    if rest.contains('}') {
        return Err(format!("`}}` without `{{` in “{template}”"));
    }
    Ok(found)
}

/// `template` with every placeholder replaced by `value(run, field)` (already checked by
/// [`placeholders`] when the lessons were loaded).
pub fn render(template: &str, value: impl Fn(&str, &Field) -> String) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        let inside = &after[..close];
        let replaced = inside.split_once('.').and_then(|(run, name)| {
            let field = if name == "label" {
                Field::Label
            } else {
                Field::Metric(Metric::from_name(name).ok()?)
            };
            Some(value(run, &field))
        });
        out.push_str(&replaced.unwrap_or_else(|| format!("{{{inside}}}")));
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}
