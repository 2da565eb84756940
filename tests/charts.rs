//! Chart tests: render natively to SVG text or RGB pixels and check what was drawn.
#![cfg(not(target_arch = "wasm32"))]

use plotters::prelude::*;
use prunelab::charts::export::{render_png, render_rgb, render_svg};
use prunelab::charts::palette::{self, PRUNED};
use prunelab::charts::*;
use std::collections::HashMap;

const WIDTH: u32 = 640;
const HEIGHT: u32 = 360;

/// One SVG element: tag name, attributes, and the text up to the next tag.
#[derive(Debug)]
struct Element {
    tag: String,
    attributes: HashMap<String, String>,
    text: String,
}

/// A small parser for the flat SVG plotters writes (no nesting besides `<svg>`).
fn elements(svg: &str) -> Vec<Element> {
    svg.split('<')
        .skip(1)
        .filter(|chunk| !chunk.starts_with('/'))
        .map(|chunk| {
            let (inside, text) = chunk.split_once('>').unwrap_or((chunk, ""));
            let tag = inside.split_whitespace().next().unwrap_or("").to_string();
            let mut attributes = HashMap::new();
            let mut rest = inside;
            while let Some(equals) = rest.find("=\"") {
                let name = rest[..equals].rsplit(' ').next().unwrap_or("").to_string();
                let after = &rest[equals + 2..];
                let end = after.find('"').unwrap_or(after.len());
                attributes.insert(name, after[..end].to_string());
                rest = &after[(end + 1).min(after.len())..];
            }
            Element {
                tag,
                attributes,
                text: text.trim().to_string(),
            }
        })
        .collect()
}

fn hex(color: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", color.0, color.1, color.2)
}

/// Polylines drawn in `color`, as their point counts.
fn polylines(svg: &[Element], color: RGBColor) -> Vec<usize> {
    svg.iter()
        .filter(|e| e.tag == "polyline" && e.attributes.get("stroke") == Some(&hex(color)))
        .map(|e| e.attributes["points"].split_whitespace().count())
        .collect()
}

fn texts(svg: &[Element]) -> Vec<&str> {
    svg.iter()
        .filter(|e| e.tag == "text")
        .map(|e| e.text.as_str())
        .collect()
}

fn pixel(rgb: &[u8], x: i32, y: i32) -> RGBColor {
    let index = (y as usize * WIDTH as usize + x as usize) * 3;
    RGBColor(rgb[index], rgb[index + 1], rgb[index + 2])
}

fn accuracy_chart() -> LineChart {
    LineChart {
        title: "Test accuracy".into(),
        x_label: "training step".into(),
        y_label: "accuracy".into(),
        series: vec![
            Series {
                label: "dense".into(),
                points: (0..=20)
                    .map(|i| (i as f64 * 10.0, 0.5 + i as f64 * 0.02))
                    .collect(),
                style: SeriesStyle::default(),
            },
            Series {
                label: "pruned 90%".into(),
                points: (0..=20)
                    .map(|i| (i as f64 * 10.0, 0.45 + i as f64 * 0.02))
                    .collect(),
                style: SeriesStyle {
                    color_index: 1,
                    dashed: true,
                    markers: false,
                },
            },
            Series {
                label: "sparsity".into(),
                points: vec![(0.0, 0.0), (100.0, 0.5), (200.0, 0.9)],
                style: SeriesStyle {
                    color_index: 2,
                    dashed: false,
                    markers: true,
                },
            },
        ],
        y_range: Some((0.0, 1.0)),
        x_log: false,
        markers: vec![(100.0, "pruned".into()), (150.0, "rolled back".into())],
        notes: vec!["Energy model: 4.6 pJ per MAC".into()],
        ..LineChart::default()
    }
}

#[test]
fn line_chart_svg_has_title_legend_notes_and_one_path_per_series() {
    let chart = accuracy_chart();
    let svg = render_svg(WIDTH, HEIGHT, |area| draw_line_chart(area, &chart)).unwrap();
    let svg = elements(&svg);
    let texts = texts(&svg);
    for expected in [
        "Test accuracy",
        "dense",
        "pruned 90%",
        "sparsity",
        "training step",
        "accuracy",
        "pruned",
        "rolled back",
        "Energy model: 4.6 pJ per MAC",
    ] {
        assert!(
            texts.contains(&expected),
            "missing text {expected:?} in {texts:?}"
        );
    }
    // Solid series: one polyline through all points (plus a 2-point legend sample).
    let mut blue = polylines(&svg, palette::categorical(0));
    blue.sort();
    assert_eq!(blue, [2, 21]);
    let mut green = polylines(&svg, palette::categorical(2));
    green.sort();
    assert_eq!(green, [2, 3]);
    // The dashed series is drawn as many short dashes, never as one solid path.
    // (A dash that turns a corner has 3 points.)
    let vermillion = polylines(&svg, palette::categorical(1));
    assert!(vermillion.len() > 10 && vermillion.iter().all(|&n| n <= 3));
    // Markers: the marked series' own shape (a triangle, its colour index 2) on every point,
    // plus its legend sample; the other series' shapes (circle, square) are in their legend
    // samples and at a few staggered points of their lines.
    let green_triangles = svg
        .iter()
        .filter(|e| {
            e.tag == "polygon" && e.attributes.get("fill") == Some(&hex(palette::categorical(2)))
        })
        .count();
    assert_eq!(green_triangles, 3 + 1);
    let blue_circles = svg
        .iter()
        .filter(|e| {
            e.tag == "circle" && e.attributes.get("fill") == Some(&hex(palette::categorical(0)))
        })
        .count();
    assert!(blue_circles > 1, "{blue_circles} circles");
}

#[test]
fn a_nan_splits_a_series_instead_of_bending_the_axis() {
    let chart = LineChart {
        series: vec![Series {
            label: "loss".into(),
            points: vec![
                (0.0, 2.0),
                (1.0, 1.0),
                (2.0, f64::NAN),
                (3.0, 0.5),
                (4.0, 0.4),
            ],
            style: SeriesStyle::default(),
        }],
        ..LineChart::default()
    };
    let svg = render_svg(WIDTH, HEIGHT, |area| draw_line_chart(area, &chart)).unwrap();
    let mut blue = polylines(&elements(&svg), palette::categorical(0));
    blue.sort();
    assert_eq!(blue, [2, 2, 2]); // legend sample, two pieces of two points
}

#[test]
fn a_fixed_y_range_cuts_lines_at_its_edge() {
    let chart = LineChart {
        y_range: Some((0.0, 1.0)),
        series: vec![Series {
            label: "accuracy".into(),
            points: vec![(0.0, 0.5), (1.0, 1.8), (2.0, 0.5), (3.0, 0.6)],
            style: SeriesStyle::default(),
        }],
        ..LineChart::default()
    };
    let svg = render_svg(WIDTH, HEIGHT, |area| draw_line_chart(area, &chart)).unwrap();
    let mut blue = polylines(&elements(&svg), palette::categorical(0));
    blue.sort();
    // Legend sample, the rising piece up to the edge, the falling piece from it on.
    assert_eq!(blue, [2, 2, 3]);
}

#[test]
fn empty_and_single_point_line_charts_draw_axes_and_a_message() {
    let axis_color = RGBColor(0x66, 0x66, 0x66);
    let empty = LineChart {
        title: "Accuracy".into(),
        x_label: "step".into(),
        y_label: "accuracy".into(),
        series: vec![Series {
            label: "dense".into(),
            ..Series::default()
        }],
        ..LineChart::default()
    };
    let svg = render_svg(WIDTH, HEIGHT, |area| draw_line_chart(area, &empty)).unwrap();
    let svg = elements(&svg);
    assert!(texts(&svg).contains(&NO_DATA_MESSAGE));
    assert!(texts(&svg).contains(&"step"));
    assert!(polylines(&svg, axis_color).len() >= 2, "axes missing");

    let single = LineChart {
        series: vec![Series {
            label: "dense".into(),
            points: vec![(0.0, 0.1)],
            style: SeriesStyle::default(),
        }],
        ..empty.clone()
    };
    let svg = render_svg(WIDTH, HEIGHT, |area| draw_line_chart(area, &single)).unwrap();
    let svg = elements(&svg);
    assert!(!texts(&svg).contains(&NO_DATA_MESSAGE));
    let dots = svg
        .iter()
        .filter(|e| {
            e.tag == "circle" && e.attributes.get("fill") == Some(&hex(palette::categorical(0)))
        })
        .count();
    assert_eq!(
        dots,
        1 + 1,
        "a lone point is drawn as a dot (plus the legend's sample)"
    );

    // Pixels too: all-default input draws something besides the white background.
    let log_empty = LineChart {
        x_log: true,
        ..LineChart::default()
    };
    let rgb = render_rgb(WIDTH, HEIGHT, |area| draw_line_chart(area, &log_empty)).unwrap();
    assert!(rgb.chunks(3).any(|p| p == [0x66, 0x66, 0x66]));
}

#[test]
fn log_axis_labels_one_two_five_ticks() {
    let chart = LineChart {
        x_log: true,
        series: vec![Series {
            label: "magnitude".into(),
            points: vec![(0.02, 0.9), (0.1, 0.95), (1.0, 0.98), (-1.0, 0.0)],
            style: SeriesStyle::default(),
        }],
        ..LineChart::default()
    };
    let svg = render_svg(WIDTH, HEIGHT, |area| draw_line_chart(area, &chart)).unwrap();
    let svg = elements(&svg);
    for label in ["0.02", "0.05", "0.1", "0.2", "0.5", "1"] {
        assert!(texts(&svg).contains(&label), "missing tick {label}");
    }
    // The point at x = -1 cannot be shown on a log axis and is left out.
    assert_eq!(polylines(&svg, palette::categorical(0)), [2, 3]);
}

fn weight_grid() -> HeatmapGrid {
    // Tile 0: a ramp from -0.8 to +0.8 with a few pruned cells; tile 1: zeros and extremes.
    let ramp: Vec<f32> = (0..16).map(|i| -0.8 + 1.6 * i as f32 / 15.0).collect();
    let mut kept = vec![true; 16];
    for pruned in [0, 5, 10, 15] {
        kept[pruned] = false;
    }
    let values = ramp
        .iter()
        .zip(&kept)
        .map(|(&v, &k)| if k { v } else { 0.0 })
        .collect();
    HeatmapGrid {
        title: "conv1 weights".into(),
        tiles: vec![
            HeatTile {
                label: "filter 0".into(),
                rows: 4,
                cols: 4,
                values,
                kept,
            },
            HeatTile {
                label: "filter 1".into(),
                rows: 2,
                cols: 3,
                values: vec![0.0, 0.8, -0.8, 0.0, 0.4, -0.4],
                kept: vec![],
            },
        ],
        scale: None,
        columns: None,
        lang: Default::default(),
    }
}

#[test]
fn heatmap_pixels_follow_the_layout_and_the_colour_rules() {
    let grid = weight_grid();
    let rgb = render_rgb(WIDTH, HEIGHT, |area| draw_heatmap(area, &grid)).unwrap();
    let layout = heatmap_layout(&grid, WIDTH, HEIGHT);
    assert_eq!(layout.len(), 2);

    let mut cell_pixels = std::collections::HashSet::new();
    for rect in &layout {
        let tile = &grid.tiles[rect.tile];
        for row in 0..rect.rows {
            for col in 0..rect.cols {
                let index = row * rect.cols + col;
                let pruned = tile.kept.get(index) == Some(&false);
                let (x0, y0, x1, y1) = rect.cell_rect(row, col);
                assert!(x1 > x0 && y1 > y0, "cells of this size get pixels");
                let first = pixel(&rgb, x0, y0);
                for y in y0..y1 {
                    for x in x0..x1 {
                        let color = pixel(&rgb, x, y);
                        assert_eq!(
                            color, first,
                            "cell ({row}, {col}) of tile {} is not uniform",
                            rect.tile
                        );
                        assert_eq!(
                            color == PRUNED,
                            pruned,
                            "cell ({row}, {col}) of tile {}",
                            rect.tile
                        );
                        cell_pixels.insert((x, y));
                    }
                }
                let value = tile.values[index];
                let RGBColor(red, green, blue) = first;
                if !pruned && value > 0.3 {
                    assert!(
                        red > blue + 60,
                        "positive weight {value} should be red, got {first:?}"
                    );
                } else if !pruned && value < -0.3 {
                    assert!(
                        blue > red + 60,
                        "negative weight {value} should be blue, got {first:?}"
                    );
                } else if !pruned && value == 0.0 {
                    assert!(
                        red.min(green).min(blue) >= 240,
                        "zero should be near white, got {first:?}"
                    );
                }
            }
        }
        // hit_test maps a cell's pixel back to it.
        let (x0, y0, _, _) = rect.cell_rect(1, 2);
        assert_eq!(hit_test(&layout, x0, y0), Some((rect.tile, 1, 2)));
    }
    // The scale is max |w| over kept weights (0.8), so the extremes hit the map's ends exactly.
    let tile_1 = &layout[1];
    let (x0, y0, _, _) = tile_1.cell_rect(0, 1);
    assert_eq!(pixel(&rgb, x0, y0), palette::diverging(1.0, 1.0));
    // The outline around each tile (the only other thing drawn there) is never the pruned colour.
    for rect in &layout {
        let (left, top) = (rect.x - 1, rect.y - 1);
        let (right, bottom) = (rect.x + rect.width, rect.y + rect.height);
        for x in left..=right {
            for y in [top, bottom] {
                assert!(!cell_pixels.contains(&(x, y)));
                assert_ne!(pixel(&rgb, x, y), PRUNED, "outline at ({x}, {y})");
            }
        }
        for y in top..=bottom {
            for x in [left, right] {
                assert_ne!(pixel(&rgb, x, y), PRUNED, "outline at ({x}, {y})");
            }
        }
    }
    assert_eq!(hit_test(&layout, 0, 0), None);
}

#[test]
fn heatmap_svg_has_a_rect_per_cell_and_a_labelled_colour_bar() {
    let grid = HeatmapGrid {
        scale: Some(2.0),
        ..weight_grid()
    };
    let svg = render_svg(WIDTH, HEIGHT, |area| draw_heatmap(area, &grid)).unwrap();
    let svg = elements(&svg);
    let texts = texts(&svg);
    for expected in [
        "conv1 weights",
        "filter 0",
        "filter 1",
        "weight",
        "2.0",
        "-2.0",
        "0",
        "pruned",
    ] {
        assert!(
            texts.contains(&expected),
            "missing {expected:?} in {texts:?}"
        );
    }
    let pruned_rects = svg
        .iter()
        .filter(|e| e.tag == "rect" && e.attributes.get("fill") == Some(&hex(PRUNED)))
        .count();
    assert_eq!(pruned_rects, 4 + 1, "four pruned cells and the key swatch");
}

#[test]
fn pruned_at_map_tells_early_late_never_and_regrown_apart() {
    let grid = PrunedAtGrid {
        title: "Pruned at step".into(),
        tiles: vec![PrunedAtTile {
            label: "conv1".into(),
            rows: 2,
            cols: 2,
            pruned_at: vec![Some(10), Some(90), None, Some(50)],
            regrown: vec![false, false, false, true],
        }],
        last_step: 100,
        lang: Default::default(),
    };
    let rgb = render_rgb(WIDTH, HEIGHT, |area| draw_pruned_at(area, &grid)).unwrap();
    let rect = &pruned_at_layout(&grid, WIDTH, HEIGHT)[0];
    let corner = |row, col| {
        let (x0, y0, _, _) = rect.cell_rect(row, col);
        pixel(&rgb, x0 + 1, y0 + 1)
    };
    let centre = |row, col| {
        let (x0, y0, x1, y1) = rect.cell_rect(row, col);
        pixel(&rgb, (x0 + x1) / 2, (y0 + y1) / 2)
    };
    let (early, late, never, regrown) = (corner(0, 0), corner(0, 1), corner(1, 0), corner(1, 1));
    assert_eq!(early, palette::sequential(0.1));
    assert_eq!(late, palette::sequential(0.9));
    assert!(palette::luminance(early) < palette::luminance(late) - 0.3);
    assert_eq!(never, palette::NEVER_PRUNED);
    assert_eq!(regrown, palette::sequential(0.5));
    // The regrown cell carries a dot; the others are uniform.
    assert_ne!(centre(1, 1), regrown);
    assert_eq!(centre(0, 0), early);

    let svg = render_svg(WIDTH, HEIGHT, |area| draw_pruned_at(area, &grid)).unwrap();
    let svg = elements(&svg);
    for expected in [
        "Pruned at step",
        "step",
        "0",
        "100",
        "never pruned",
        "regrown",
    ] {
        assert!(texts(&svg).contains(&expected), "missing {expected:?}");
    }
}

#[test]
fn bar_chart_draws_one_bar_per_value_in_its_group_colour() {
    let chart = BarChart {
        title: "Prediction".into(),
        x_label: "digit".into(),
        y_label: "probability".into(),
        labels: (0..10).map(|d| d.to_string()).collect(),
        groups: vec![
            BarGroup {
                label: "dense".into(),
                values: (0..10).map(|d| if d == 7 { 0.9 } else { 0.01 }).collect(),
                color_index: None,
            },
            BarGroup {
                label: "pruned".into(),
                values: (0..10)
                    .map(|d| if d == 3 { f64::NAN } else { 0.05 })
                    .collect(),
                color_index: Some(3),
            },
        ],
        y_range: Some((0.0, 1.0)),
    };
    let svg = render_svg(WIDTH, HEIGHT, |area| draw_bar_chart(area, &chart)).unwrap();
    let svg = elements(&svg);
    let count = |color: RGBColor| {
        svg.iter()
            .filter(|e| e.tag == "rect" && e.attributes.get("fill") == Some(&hex(color)))
            .count()
    };
    assert_eq!(
        count(palette::categorical(0)),
        10 + 1,
        "ten bars and a legend box"
    );
    assert_eq!(count(palette::categorical(3)), 9 + 1, "NaN draws no bar");
    let texts = texts(&svg);
    for expected in [
        "Prediction",
        "dense",
        "pruned",
        "digit",
        "probability",
        "0",
        "7",
        "9",
    ] {
        assert!(texts.contains(&expected), "missing {expected:?}");
    }
    let tallest = svg
        .iter()
        .filter(|e| {
            e.tag == "rect" && e.attributes.get("fill") == Some(&hex(palette::categorical(0)))
        })
        .map(|e| e.attributes["height"].parse::<i32>().unwrap().abs())
        .max()
        .unwrap();
    let shortest = svg
        .iter()
        .filter(|e| {
            e.tag == "rect" && e.attributes.get("fill") == Some(&hex(palette::categorical(0)))
        })
        .map(|e| e.attributes["height"].parse::<i32>().unwrap().abs())
        .min()
        .unwrap();
    assert!(
        tallest > 50 * shortest.max(1) / 2,
        "0.9 vs 0.01: {tallest} vs {shortest}"
    );
}

#[test]
fn empty_grids_and_bars_do_not_panic_and_say_so() {
    let svg = render_svg(WIDTH, HEIGHT, |area| {
        draw_heatmap(area, &HeatmapGrid::default())
    })
    .unwrap();
    assert!(svg.contains(NO_DATA_MESSAGE));
    let svg = render_svg(WIDTH, HEIGHT, |area| {
        draw_pruned_at(area, &PrunedAtGrid::default())
    })
    .unwrap();
    assert!(svg.contains(NO_DATA_MESSAGE));
    let bars = BarChart {
        y_label: "accuracy drop".into(),
        ..BarChart::default()
    };
    let svg = render_svg(WIDTH, HEIGHT, |area| draw_bar_chart(area, &bars)).unwrap();
    assert!(svg.contains(NO_DATA_MESSAGE));
    assert!(
        polylines(&elements(&svg), RGBColor(0x66, 0x66, 0x66)).len() >= 2,
        "axes missing"
    );
    // Pixels as well: tiny areas must not panic either.
    for (width, height) in [(640, 360), (40, 30), (1, 1)] {
        render_png(width, height, |area| draw_bar_chart(area, &bars)).unwrap();
        render_png(width, height, |area| {
            draw_line_chart(area, &accuracy_chart())
        })
        .unwrap();
        render_png(width, height, |area| draw_heatmap(area, &weight_grid())).unwrap();
    }
}

#[test]
fn inconsistent_inputs_are_errors_that_name_the_field() {
    let mut grid = weight_grid();
    grid.tiles[1].values.pop();
    let error = render_svg(WIDTH, HEIGHT, |area| draw_heatmap(area, &grid)).unwrap_err();
    assert!(error.to_string().contains("tiles[1].values"), "{error}");

    let grid = HeatmapGrid {
        scale: Some(0.0),
        ..weight_grid()
    };
    let error = render_svg(WIDTH, HEIGHT, |area| draw_heatmap(area, &grid)).unwrap_err();
    assert!(error.to_string().contains("scale"), "{error}");

    let pruned_at = PrunedAtGrid {
        tiles: vec![PrunedAtTile {
            label: "t".into(),
            rows: 1,
            cols: 2,
            pruned_at: vec![Some(5), Some(500)],
            regrown: vec![],
        }],
        last_step: 100,
        ..PrunedAtGrid::default()
    };
    let error = render_svg(WIDTH, HEIGHT, |area| draw_pruned_at(area, &pruned_at)).unwrap_err();
    assert!(error.to_string().contains("tiles[0].pruned_at") && error.to_string().contains("500"));

    let bars = BarChart {
        labels: vec!["a".into(), "b".into()],
        groups: vec![BarGroup {
            values: vec![1.0],
            ..BarGroup::default()
        }],
        ..BarChart::default()
    };
    let error = render_svg(WIDTH, HEIGHT, |area| draw_bar_chart(area, &bars)).unwrap_err();
    assert!(error.to_string().contains("groups[0].values"), "{error}");

    let line = LineChart {
        y_range: Some((1.0, f64::NAN)),
        ..LineChart::default()
    };
    let error = render_svg(WIDTH, HEIGHT, |area| draw_line_chart(area, &line)).unwrap_err();
    assert!(error.to_string().contains("y_range"), "{error}");

    let error = render_png(0, 10, |area| draw_line_chart(area, &line)).unwrap_err();
    assert!(error.to_string().contains("width"), "{error}");
}

#[test]
fn png_export_is_a_png_of_the_requested_size() {
    let png = render_png(320, 200, |area| draw_line_chart(area, &accuracy_chart())).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(&png[12..16], b"IHDR");
    assert_eq!(u32::from_be_bytes(png[16..20].try_into().unwrap()), 320);
    assert_eq!(u32::from_be_bytes(png[20..24].try_into().unwrap()), 200);
}

#[test]
fn png_export_decodes_to_the_rendered_pixels() {
    let (width, height) = (320, 200);
    let png = render_png(width, height, |area| draw_heatmap(area, &weight_grid())).unwrap();
    let rgb = render_rgb(width, height, |area| draw_heatmap(area, &weight_grid())).unwrap();

    let mut reader = png::Decoder::new(png.as_slice()).read_info().unwrap();
    let mut decoded = vec![0; reader.output_buffer_size()];
    let frame = reader.next_frame(&mut decoded).unwrap();
    assert_eq!((frame.width, frame.height), (width, height));
    assert_eq!(
        (frame.color_type, frame.bit_depth),
        (png::ColorType::Rgb, png::BitDepth::Eight)
    );
    assert!(
        decoded[..frame.buffer_size()] == rgb[..],
        "decoded pixels differ"
    );
}

#[test]
fn text_is_rasterised_into_png_pixels() {
    // Dark title pixels must appear in the title band, and only there above the legend.
    let chart = LineChart {
        title: "Test accuracy".into(),
        ..LineChart::default()
    };
    let rgb = render_rgb(WIDTH, HEIGHT, |area| draw_line_chart(area, &chart)).unwrap();
    let dark_in_title = (0..25)
        .flat_map(|y| (0..WIDTH as i32).map(move |x| (x, y)))
        .filter(|&(x, y)| palette::luminance(pixel(&rgb, x, y)) < 0.1)
        .count();
    assert!(
        dark_in_title > 50,
        "title not drawn ({dark_in_title} dark pixels)"
    );
}

#[test]
fn plotters_own_svg_backend_works_natively() {
    // Callers may draw on a plain plotters backend; the draw functions register the font it
    // needs for text layout.
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        draw_line_chart(&area, &accuracy_chart()).unwrap();
        draw_heatmap(&area, &weight_grid()).unwrap();
        area.present().unwrap();
    }
    assert!(svg.contains("conv1 weights"));
}

mod never_panics {
    //! Random data (NaN, infinities, huge and tiny values, odd shapes, tiny canvases) must draw
    //! or return an error, never panic.
    use super::*;
    use proptest::prelude::*;

    fn any_value() -> impl Strategy<Value = f64> {
        prop_oneof![
            -1e12..1e12f64,
            -1.0..1.0f64,
            Just(0.0),
            Just(f64::NAN),
            Just(f64::INFINITY),
            Just(f64::NEG_INFINITY),
        ]
    }

    fn any_series() -> impl Strategy<Value = Series> {
        (
            proptest::collection::vec((any_value(), any_value()), 0..40),
            0usize..20,
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(|(points, color_index, dashed, markers)| Series {
                label: format!("series {color_index}"),
                points,
                style: SeriesStyle {
                    color_index,
                    dashed,
                    markers,
                },
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        #[test]
        fn line_charts(
            series in proptest::collection::vec(any_series(), 0..5),
            markers in proptest::collection::vec(any_value(), 0..6),
            x_log in any::<bool>(),
            size in (1u32..700, 1u32..400),
        ) {
            let chart = LineChart {
                title: "random".into(),
                x_label: "x".into(),
                y_label: "y".into(),
                series,
                x_log,
                markers: markers.into_iter().map(|x| (x, "event".to_string())).collect(),
                ..LineChart::default()
            };
            render_rgb(size.0, size.1, |area| draw_line_chart(area, &chart)).unwrap();
        }

        #[test]
        fn heatmaps(
            shapes in proptest::collection::vec((1usize..40, 1usize..40), 0..20),
            columns in proptest::option::of(0usize..30),
            value in any_value(),
            size in (1u32..700, 1u32..400),
        ) {
            let grid = HeatmapGrid {
                title: "random".into(),
                tiles: shapes
                    .iter()
                    .map(|&(rows, cols)| HeatTile {
                        label: format!("{rows}×{cols}"),
                        rows,
                        cols,
                        values: (0..rows * cols).map(|i| value as f32 * i as f32).collect(),
                        kept: (0..rows * cols).map(|i| i % 3 != 0).collect(),
                    })
                    .collect(),
                scale: None,
                columns,
                lang: Default::default(),
            };
            render_rgb(size.0, size.1, |area| draw_heatmap(area, &grid)).unwrap();
            // Every cell the layout reports lies inside the area.
            for rect in heatmap_layout(&grid, size.0, size.1) {
                if rect.width > 0 && rect.height > 0 {
                    prop_assert!(rect.x >= 0 && rect.x + rect.width <= size.0 as i32);
                    prop_assert!(rect.y >= 0 && rect.y + rect.height <= size.1 as i32);
                }
            }
        }

        #[test]
        fn bar_charts(
            values in proptest::collection::vec(proptest::collection::vec(any_value(), 12), 0..5),
            categories in 0usize..12,
            size in (1u32..700, 1u32..400),
        ) {
            let chart = BarChart {
                title: "random".into(),
                labels: (0..categories).map(|i| format!("category {i}")).collect(),
                groups: values
                    .into_iter()
                    .map(|v| BarGroup {
                        label: "group".into(),
                        values: v[..categories].to_vec(),
                        color_index: None,
                    })
                    .collect(),
                ..BarChart::default()
            };
            render_rgb(size.0, size.1, |area| draw_bar_chart(area, &chart)).unwrap();
        }
    }
}

#[test]
fn a_weight_maps_own_words_follow_its_language() {
    use prunelab::i18n::Lang;
    // English is the default; Chinese changes only the words (the colour bar's name, the key).
    let english = weight_grid();
    let chinese = HeatmapGrid {
        lang: Lang::Zh,
        ..weight_grid()
    };
    let draw = |grid: &HeatmapGrid| render_rgb(WIDTH, HEIGHT, |area| draw_heatmap(area, grid));
    assert_ne!(draw(&english).unwrap(), draw(&chinese).unwrap());
    let grid = PrunedAtGrid {
        title: String::new(),
        tiles: vec![PrunedAtTile {
            label: String::new(),
            rows: 2,
            cols: 2,
            pruned_at: vec![Some(10), None, None, Some(50)],
            regrown: vec![false, false, false, true],
        }],
        last_step: 100,
        lang: Lang::En,
    };
    let zh = PrunedAtGrid {
        lang: Lang::Zh,
        ..grid.clone()
    };
    let draw = |grid: &PrunedAtGrid| render_rgb(WIDTH, HEIGHT, |area| draw_pruned_at(area, grid));
    assert_ne!(draw(&grid).unwrap(), draw(&zh).unwrap());
}
