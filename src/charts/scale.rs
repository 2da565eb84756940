//! Axis ranges and tick-label text.
//!
//! Ranges ignore NaN and infinities, so one diverged loss value cannot blow up the axis. Tick labels
//! show as many decimals as the tick spacing needs, thousands are grouped ("7,000"), and large
//! numbers (MACs, energy) use SI prefixes after a space: 12 500 000 → "12.5 M" (written by
//! [`numbers`], the one place numbers are formatted).

use crate::run::views::numbers;

/// Smallest and largest finite value, or `None` when there is none.
pub(crate) fn finite_range(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    values
        .into_iter()
        .filter(|value| value.is_finite())
        .fold(None, |range, value| match range {
            None => Some((value, value)),
            Some((low, high)) => Some((f64::min(low, value), f64::max(high, value))),
        })
}

/// `range` widened by `fraction` of its span on both sides; a zero-width range (a single point)
/// gets a visible width around its value.
pub(crate) fn padded((low, high): (f64, f64), fraction: f64) -> (f64, f64) {
    let span = high - low;
    if span > 0.0 {
        (low - span * fraction, high + span * fraction)
    } else {
        let half = (low.abs() * 0.1).max(0.5);
        if low >= 0.0 && low - half < 0.0 {
            // Keep a non-negative value (step 0, accuracy 0.1) on a non-negative axis.
            (0.0, (2.0 * low).max(1.0))
        } else {
            (low - half, high + half)
        }
    }
}

/// Formats tick values of an axis spanning `low..high` with about `ticks` labels.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TickFormat {
    decimals: usize,
    /// Power of 1000 divided out (0: none, 1: k, 2: M, 3: G, 4: T).
    thousands: usize,
}

const SI_SUFFIXES: [&str; 5] = ["", "k", "M", "G", "T"];

impl TickFormat {
    /// A format for an axis spanning `low..high` with about `ticks` labels.
    pub fn new((low, high): (f64, f64), ticks: usize) -> TickFormat {
        TickFormat::with_spacing(
            low.abs().max(high.abs()),
            (high - low).abs() / ticks.max(1) as f64,
        )
    }

    /// A format for these exact tick values (as the axis will draw them).
    pub fn for_ticks(ticks: &[f64], (low, high): (f64, f64)) -> TickFormat {
        let spacing = ticks
            .windows(2)
            .map(|pair| (pair[1] - pair[0]).abs())
            .filter(|gap| *gap > 0.0)
            .fold(f64::INFINITY, f64::min);
        if spacing.is_finite() {
            let magnitude = ticks.iter().fold(0.0f64, |m, t| m.max(t.abs()));
            TickFormat::with_spacing(magnitude, spacing)
        } else {
            TickFormat::new((low, high), 5)
        }
    }

    /// Decimals from the tick `spacing`; an SI unit from the largest `magnitude`.
    fn with_spacing(magnitude: f64, spacing: f64) -> TickFormat {
        let thousands = if magnitude.is_finite() && magnitude >= 1e4 {
            ((magnitude.log10() / 3.0).floor() as usize).min(SI_SUFFIXES.len() - 1)
        } else {
            0
        };
        let step = spacing / 1000f64.powi(thousands as i32);
        // 1e-9 absorbs float noise such as 0.1 spacing computed as 0.09999999.
        let decimals = if step.is_finite() && step > 0.0 {
            (-(step * (1.0 + 1e-9)).log10().floor()).clamp(0.0, 6.0) as usize
        } else {
            2
        };
        TickFormat {
            decimals,
            thousands,
        }
    }

    pub fn format(&self, value: f64) -> String {
        if self.thousands > 0 && value == 0.0 {
            return "0".to_string();
        }
        let scaled = value / 1000f64.powi(self.thousands as i32);
        let number = numbers::fixed(scaled, self.decimals);
        match SI_SUFFIXES[self.thousands] {
            "" => number,
            suffix => format!("{number} {suffix}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_skip_non_finite_values() {
        assert_eq!(
            finite_range([f64::NAN, 2.0, -1.0, f64::INFINITY]),
            Some((-1.0, 2.0))
        );
        assert_eq!(finite_range([f64::NAN]), None);
    }

    #[test]
    fn a_single_point_gets_a_visible_range() {
        let (low, high) = padded((3.0, 3.0), 0.05);
        assert!(low < 3.0 && high > 3.0);
        assert_eq!(padded((0.1, 0.1), 0.05), (0.0, 1.0));
        assert_eq!(padded((-2.0, -2.0), 0.05), (-2.5, -1.5));
    }

    #[test]
    fn tick_labels_use_needed_decimals_and_si_suffixes() {
        assert_eq!(TickFormat::new((0.0, 1.0), 10).format(0.3), "0.3");
        assert_eq!(TickFormat::new((0.0, 2000.0), 10).format(400.0), "400");
        assert_eq!(TickFormat::new((0.0, 3.0e6), 6).format(1.5e6), "1.5 M");
        assert_eq!(TickFormat::new((0.0, 3.0e7), 6).format(1.0e7), "10 M");
        assert_eq!(TickFormat::new((0.0, 8000.0), 8).format(7000.0), "7,000");
        assert_eq!(TickFormat::new((-1.0, 1.0), 10).format(-0.0001), "0.0");
        assert_eq!(TickFormat::new((0.0, 3.0e7), 6).format(0.0), "0");
        let ticks = [0.0, 0.1, 0.2, 0.30000000000000004, 0.4, 0.5];
        assert_eq!(
            TickFormat::for_ticks(&ticks, (0.0, 0.55)).format(ticks[3]),
            "0.3"
        );
    }
}
