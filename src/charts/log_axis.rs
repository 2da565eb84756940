//! A logarithmic x axis with ticks at 1, 2 and 5 × 10^k (plotters' own log axis labels only powers
//! of ten, which leaves a 0.02 … 1 axis with two labels).

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::coord::types::RangedCoordf64;
use std::ops::Range;

/// `low..high`, both > 0, mapped by `ln`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LogAxis {
    low: f64,
    high: f64,
}

impl LogAxis {
    /// The axis `low..high`; callers guarantee `0 < low < high`.
    pub fn new(low: f64, high: f64) -> LogAxis {
        LogAxis { low, high }
    }

    fn fraction(&self, value: f64) -> f64 {
        let span = self.high.ln() - self.low.ln();
        if value > 0.0 && span > 0.0 {
            (value.ln() - self.low.ln()) / span
        } else {
            0.0
        }
    }
}

impl Ranged for LogAxis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, (start, end): (i32, i32)) -> i32 {
        start + (self.fraction(*value) * f64::from(end - start)).round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        let most = hint.max_num_points().max(1);
        let decades = self.low.log10().floor() as i32..=self.high.log10().ceil() as i32;
        let within =
            |value: &f64| *value >= self.low * (1.0 - 1e-9) && *value <= self.high * (1.0 + 1e-9);
        for multipliers in [&[1.0, 2.0, 5.0][..], &[1.0][..]] {
            let ticks: Vec<f64> = decades
                .clone()
                .flat_map(|k| multipliers.iter().map(move |m| m * 10f64.powi(k)))
                .filter(within)
                .collect();
            if ticks.len() >= 2 && ticks.len() <= most {
                return ticks;
            }
            if ticks.len() > most && multipliers.len() == 1 {
                let every = ticks.len().div_ceil(most);
                return ticks.into_iter().step_by(every).collect();
            }
        }
        // Less than a decade wide: linear ticks read better.
        RangedCoordf64::from(self.low..self.high).key_points(most)
    }

    fn range(&self) -> Range<f64> {
        self.low..self.high
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_one_two_five_per_decade_when_they_fit() {
        let axis = LogAxis::new(0.02, 1.0);
        assert_eq!(axis.key_points(10), vec![0.02, 0.05, 0.1, 0.2, 0.5, 1.0]);
        assert_eq!(axis.key_points(3), vec![0.1, 1.0]);
        assert_eq!(axis.map(&0.02, (0, 100)), 0);
        assert_eq!(axis.map(&1.0, (0, 100)), 100);
        assert_eq!(axis.map(&0.1, (0, 100)), 41);
    }
}
