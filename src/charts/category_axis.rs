//! An x axis of categories for bar charts: category `i` spans `[i, i + 1)` and its tick (and label)
//! sits at the centre `i + 0.5`. When there are more categories than labels fit, every k-th one is
//! labelled.

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use std::ops::Range;

#[derive(Debug, Clone, Copy)]
pub(crate) struct CategoryAxis {
    pub categories: usize,
}

impl Ranged for CategoryAxis {
    // Labels come from the chart's own formatter; Debug formatting is only the fallback.
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, (start, end): (i32, i32)) -> i32 {
        let fraction = value / self.categories.max(1) as f64;
        start + (fraction * f64::from(end - start)).round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        let most = hint.max_num_points().max(1);
        let every = self.categories.div_ceil(most).max(1);
        (0..self.categories)
            .step_by(every)
            .map(|index| index as f64 + 0.5)
            .collect()
    }

    fn range(&self) -> Range<f64> {
        0.0..self.categories.max(1) as f64
    }
}
