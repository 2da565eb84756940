//! A vertical colour bar with tick labels, and the tick values grid charts put on it.

use super::frame::{fit_text, line_height};
use super::grid_layout::Region;
use super::theme::{text_style, Theme, MUTED_TEXT, TEXT};
use super::ChartError;
use crate::run::views::numbers;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// Draws `caption` on top, then a bar whose colour at fraction `t` of its height (0 bottom, 1 top)
/// is `color_at(t)`, with `ticks` as `(t, label)` to its right.
pub(crate) fn draw_colorbar<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    region: Region,
    caption: &str,
    ticks: &[(f64, String)],
    color_at: impl Fn(f64) -> RGBColor,
    theme: &Theme,
) -> Result<(), ChartError> {
    let caption_height = line_height(theme.small);
    let bar_width = (theme.tick * 1.2) as i32;
    let top = region.y + caption_height + theme.pad;
    // Leave half a label above and below so end labels are not clipped.
    let bar_top = top + line_height(theme.tick) / 2;
    let bar_bottom = region.y + region.height - line_height(theme.tick) / 2;
    if bar_bottom - bar_top < 10 {
        return Ok(());
    }
    let caption = fit_text(area, caption, theme.small, region.width as u32)?;
    let caption_style = text_style(theme.small, TEXT, HPos::Left, VPos::Top);
    area.draw_text(&caption, &caption_style, (region.x, region.y))?;

    let left = region.x;
    let span = f64::from(bar_bottom - bar_top);
    for y in bar_top..bar_bottom {
        let t = f64::from(bar_bottom - 1 - y) / (span - 1.0).max(1.0);
        area.draw(&Rectangle::new(
            [(left, y), (left + bar_width, y + 1)],
            color_at(t).filled(),
        ))?;
    }
    area.draw(&Rectangle::new(
        [(left, bar_top), (left + bar_width, bar_bottom)],
        MUTED_TEXT.stroke_width(1),
    ))?;
    let label_style = text_style(theme.tick, MUTED_TEXT, HPos::Left, VPos::Center);
    let tick_length = (theme.pad / 2).max(2);
    for (t, label) in ticks {
        let y = bar_bottom - 1 - (t.clamp(0.0, 1.0) * (span - 1.0)).round() as i32;
        area.draw(&PathElement::new(
            vec![(left + bar_width, y), (left + bar_width + tick_length, y)],
            MUTED_TEXT.stroke_width(1),
        ))?;
        area.draw_text(
            label,
            &label_style,
            (left + bar_width + tick_length + theme.pad / 2 + 2, y),
        )?;
    }
    Ok(())
}

/// Ticks for a symmetric scale `[-scale, scale]`: ends, halves and 0, with two significant digits.
pub(crate) fn symmetric_ticks(scale: f32) -> Vec<(f64, String)> {
    let scale = f64::from(scale);
    let decimals = (1.0 - scale.log10().floor()).clamp(0.0, 8.0) as usize;
    [-1.0, -0.5, 0.0, 0.5, 1.0]
        .iter()
        .map(|&fraction: &f64| {
            let text = if fraction == 0.0 {
                "0".to_string()
            } else {
                numbers::fixed(fraction * scale, decimals)
            };
            (fraction * 0.5 + 0.5, text)
        })
        .collect()
}

/// About five or six round step numbers from 0 to `last_step` (multiples of 1, 2 or 5 × 10^k), always
/// including `last_step`, placed at `step / last_step`.
pub(crate) fn step_ticks(last_step: u32) -> Vec<(f64, String)> {
    if last_step == 0 {
        return vec![(0.0, "0".to_string())];
    }
    let rough = f64::from(last_step) / 5.0;
    let magnitude = 10f64.powf(rough.log10().floor());
    let spacing = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|&s| s >= rough / 1.5)
        .unwrap_or(rough)
        .max(1.0) as u32;
    let mut ticks: Vec<u32> = (0..=last_step).step_by(spacing as usize).collect();
    // Replace a last round tick that would crowd the end label.
    if let Some(&last) = ticks.last() {
        if last != last_step {
            if f64::from(last_step - last) < 0.4 * f64::from(spacing) {
                ticks.pop();
            }
            ticks.push(last_step);
        }
    }
    ticks
        .into_iter()
        .map(|step| {
            (
                f64::from(step) / f64::from(last_step),
                numbers::count(u64::from(step)),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symmetric_ticks_have_two_significant_digits() {
        let labels: Vec<String> = symmetric_ticks(0.43).into_iter().map(|t| t.1).collect();
        assert_eq!(labels, ["-0.43", "-0.22", "0", "0.22", "0.43"]);
        assert_eq!(symmetric_ticks(0.0012)[4].1, "0.0012");
    }

    #[test]
    fn step_ticks_are_round_and_end_at_the_last_step() {
        let labels: Vec<String> = step_ticks(1000).into_iter().map(|t| t.1).collect();
        assert_eq!(labels, ["0", "200", "400", "600", "800", "1,000"]);
        let labels: Vec<String> = step_ticks(1030).into_iter().map(|t| t.1).collect();
        assert_eq!(labels, ["0", "200", "400", "600", "800", "1,030"]);
    }
}
