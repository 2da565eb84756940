//! Pieces every chart shares: the white background and title band, the "no data yet" message,
//! note lines under a plot, and text shortened to fit a width.

use super::theme::{text_size, text_style, Theme, MUTED_TEXT, TEXT};
use super::{ChartError, NO_DATA_MESSAGE};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// Fills `area` white, draws `title` centred in a band at the top, and returns the area below it.
pub(crate) fn titled<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    theme: &Theme,
) -> Result<DrawingArea<DB, Shift>, ChartError> {
    area.fill(&WHITE)?;
    let band = title_band_height(theme, title);
    if !title.is_empty() {
        let (width, _) = area.dim_in_pixel();
        let max_width = width.saturating_sub(2 * theme.pad as u32);
        let title = fit_text(area, title, theme.title, max_width)?;
        let style = text_style(theme.title, TEXT, HPos::Center, VPos::Center);
        area.draw_text(&title, &style, (width as i32 / 2, band / 2))?;
    }
    Ok(area.split_vertically(band).1)
}

/// Height of the title band: fixed by the theme (not measured) so pure layouts such as
/// [`super::heatmap_layout`] know it without a backend.
pub(crate) fn title_band_height(theme: &Theme, title: &str) -> i32 {
    if title.is_empty() {
        theme.pad
    } else {
        line_height(theme.title) + 2 * theme.pad
    }
}

/// Draws [`NO_DATA_MESSAGE`] in the middle of `area`.
pub(crate) fn no_data<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
) -> Result<(), ChartError> {
    let (width, height) = area.dim_in_pixel();
    let style = text_style(theme.label, MUTED_TEXT, HPos::Center, VPos::Center);
    area.draw_text(
        NO_DATA_MESSAGE,
        &style,
        (width as i32 / 2, height as i32 / 2),
    )?;
    Ok(())
}

/// Height of the block [`draw_notes`] needs for `notes`.
pub(crate) fn notes_height(notes: &[String], theme: &Theme) -> i32 {
    if notes.is_empty() {
        0
    } else {
        notes.len() as i32 * line_height(theme.small) + theme.pad
    }
}

/// Draws `notes` as left-aligned lines of small text, top to bottom.
pub(crate) fn draw_notes<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    notes: &[String],
    theme: &Theme,
) -> Result<(), ChartError> {
    let (width, _) = area.dim_in_pixel();
    let style = text_style(theme.small, MUTED_TEXT, HPos::Left, VPos::Top);
    for (index, note) in notes.iter().enumerate() {
        let note = fit_text(
            area,
            note,
            theme.small,
            width.saturating_sub(2 * theme.pad as u32),
        )?;
        let y = theme.pad / 2 + index as i32 * line_height(theme.small);
        area.draw_text(&note, &style, (theme.pad, y))?;
    }
    Ok(())
}

/// Line spacing for text of `size` pixels.
pub(crate) fn line_height(size: f64) -> i32 {
    (size * 1.3).ceil() as i32
}

/// `text`, shortened with "…" if it is wider than `max_width` pixels at `size`.
pub(crate) fn fit_text<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    size: f64,
    max_width: u32,
) -> Result<String, ChartError> {
    if text_size(area, text, size)?.0 <= max_width {
        return Ok(text.to_string());
    }
    let mut characters: Vec<char> = text.chars().collect();
    while !characters.is_empty() {
        characters.pop();
        let candidate: String = characters.iter().chain(['…'].iter()).collect();
        if text_size(area, &candidate, size)?.0 <= max_width {
            return Ok(candidate);
        }
    }
    Ok(String::new())
}
