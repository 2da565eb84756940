//! Honest charts, checked on their inputs (not pixels): count axes from 0, step axes over the
//! planned run, colour scales that do not move with the timeline or between compared runs,
//! series told apart without colour, overlaps said, people's numbers, and "show data" tables.
//! On the hand-written history of tests/views_common (4 recorded steps of a run planned for 10).
mod chinese_text;
mod views_common;

use prunelab::i18n::Lang;
use prunelab::run::history::History;
use prunelab::run::views::{self, LineChart, LINE_CHARTS};
use views_common::history;

const PLANNED: u64 = 10;

fn planned_history() -> History {
    let mut history = history();
    history.planned_steps = PLANNED;
    history
}

fn step_charts() -> Vec<&'static str> {
    LINE_CHARTS
        .into_iter()
        .filter(|&name| name != "tradeoff")
        .collect()
}

#[test]
fn count_axes_start_at_zero() {
    let h = planned_history();
    for chart in [
        views::kept_chart(&h, 4),
        views::compute_chart(&h, 4),
        views::compare_kept_chart(&[("a".into(), &h)]),
        views::compare_compute_chart(&[("a".into(), &h)]),
    ] {
        assert!(chart.y_from_zero, "{} must start at 0", chart.title);
    }
    // Fractions have their full fixed range.
    for name in ["accuracy", "layer_sparsity", "tradeoff"] {
        let chart = views::line_chart(&h, name, 4).unwrap();
        assert_eq!(chart.y_range, Some((0.0, 1.0)), "{name}");
    }
}

#[test]
fn step_axes_span_the_planned_run_from_the_first_step_to_the_end() {
    let h = planned_history();
    for name in step_charts() {
        for until in [0, 2, 4] {
            let chart = views::line_chart(&h, name, until).unwrap();
            assert_eq!(
                chart.x_range,
                Some((0.0, PLANNED as f64)),
                "{name} at step {until}"
            );
        }
    }
    // A history without a plan (an old session file) spans what it recorded.
    let unplanned = history();
    assert_eq!(views::kept_chart(&unplanned, 2).x_range, Some((0.0, 4.0)));
    // The trajectory's x is sparsity: always 0..1.
    let tradeoff = views::tradeoff_chart(&h, 4);
    assert_eq!(tradeoff.x_range, Some((0.0, 1.0)));
    // Compare: the longest planned run.
    let mut longer = planned_history();
    longer.planned_steps = 25;
    let runs = [("a".to_string(), &h), ("b".to_string(), &longer)];
    for name in ["accuracy", "kept", "compute"] {
        let chart = views::compare_chart(&runs, name).unwrap();
        assert_eq!(chart.x_range, Some((0.0, 25.0)), "compare {name}");
    }
}

#[test]
fn colour_scales_do_not_move_with_the_timeline() {
    let h = planned_history();
    // conv1: max |w| over both snapshots is 0.75 (step 4), fc1: 0.5.
    let early = views::heatmap(&h, 0, 0).unwrap();
    let late = views::heatmap(&h, 0, 4).unwrap();
    assert_eq!(early.scale, Some(0.75));
    assert_eq!(late.scale, early.scale);
    assert_eq!(views::heatmap(&h, 1, 0).unwrap().scale, Some(0.5));
    // The pruned-at map's steps run over the planned run at every position.
    for step in [0, 3, 4] {
        assert_eq!(
            views::pruned_at_grid(&h, 0, step).unwrap().last_step,
            PLANNED as u32
        );
    }
}

#[test]
fn compared_runs_can_share_one_scale_per_layer() {
    let h = planned_history();
    let mut bigger = planned_history();
    bigger.records.snapshots[1].weights[0][0] = -2.0;
    let shared = [&h, &bigger]
        .iter()
        .map(|run| views::heatmap_scale(run, 0))
        .fold(0.0f32, f32::max);
    assert_eq!(views::heatmap_scale(&h, 0), 0.75);
    assert_eq!(shared, 2.0);
    // No snapshot: a scale that still draws.
    let mut empty = planned_history();
    empty.records.snapshots.clear();
    assert_eq!(views::heatmap_scale(&empty, 0), 1.0);
}

/// Every series of `chart` differs from the others in colour AND in marker shape.
fn assert_distinct_styles(chart: &LineChart) {
    let styles: Vec<_> = chart
        .series
        .iter()
        .map(|s| (s.style.color_index, s.style.marker_shape()))
        .collect();
    for (i, a) in styles.iter().enumerate() {
        for b in &styles[i + 1..] {
            assert_ne!(a.0, b.0, "{}: two series share a colour", chart.title);
            assert_ne!(a.1, b.1, "{}: two series share a marker", chart.title);
        }
    }
}

#[test]
fn series_can_be_told_apart_without_colour() {
    let h = planned_history();
    for name in LINE_CHARTS {
        assert_distinct_styles(&views::line_chart(&h, name, 4).unwrap());
    }
    let runs: Vec<(String, &History)> = ["a", "b", "c", "d"]
        .iter()
        .map(|label| (label.to_string(), &h))
        .collect();
    for name in views::COMPARE_CHARTS {
        assert_distinct_styles(&views::compare_chart(&runs, name).unwrap());
    }
    assert_distinct_styles(&views::compare_tradeoff_chart(&runs));
}

#[test]
fn lines_on_top_of_each_other_are_named() {
    let h = planned_history();
    // Dense and real-mask MACs are equal until step 3 (3,000 each), then 3,700 vs 4,000.
    let compute = views::compute_chart(&h, 4);
    assert_eq!(
        compute.notes[0],
        "dense network and pruned (real masks) coincide until training step 3"
    );
    // Two identical compared runs.
    let runs = [("magnitude".to_string(), &h), ("random".to_string(), &h)];
    let kept = views::compare_chart(&runs, "kept").unwrap();
    assert_eq!(
        kept.notes,
        ["magnitude and random coincide (drawn on top of each other)"]
    );
    // conv1 and fc1 share only their first evaluation (both 0% sparse): no note.
    assert!(views::layer_sparsity_chart(&h, 4).notes.is_empty());
}

#[test]
fn the_time_ordered_chart_is_a_trajectory_not_a_sweep() {
    let chart = views::tradeoff_chart(&planned_history(), 4);
    assert!(chart.title.starts_with("Accuracy along the run"));
    assert!(chart.trajectory);
    let compared = views::compare_tradeoff_chart(&[("a".into(), &planned_history())]);
    assert!(compared.title.starts_with("Accuracy along each run"));
    assert!(compared.trajectory);
}

#[test]
fn numbers_are_peoples_numbers() {
    let h = planned_history();
    // MACs after step 4: 3,700 with the masks, 4,000 dense; 9.6 pJ each.
    assert_eq!(
        views::compute_paragraph(&h, 4),
        format!(
            "Training so far: 3,700 multiply-accumulates with the real masks vs 4,000 dense \
             (7.5% saved); ≈ 0.000 J vs 0.000 J. Energy estimate: {}.",
            prunelab::metrics::ENERGY_MODEL
                .strip_prefix("energy estimate: ")
                .unwrap()
        )
    );
    assert!(views::compute_paragraph_in(&h, 4, Lang::Zh).starts_with(
        "目前的训练：按实际掩码共 3,700 次乘加运算，稠密网络为 4,000 次（节省 7.5%）"
    ));
    assert_eq!(views::numbers::si(8.334e9, ""), "8.33 G");
    assert_eq!(views::numbers::joules(0.08), "0.080 J");
    assert_eq!(views::numbers::count_of(1802, 7090), "1,802 of 7,090");
    // The page's compute chart leaves the paragraph's figures to the paragraph.
    let page = views::page_line_chart(&h, "compute", 4, Lang::En).unwrap();
    assert_eq!(
        page.notes,
        ["dense network and pruned (real masks) coincide until training step 3"]
    );
}

#[test]
fn every_chart_has_its_data_as_a_table() {
    let h = planned_history();
    let table = views::chart_table(&views::kept_chart(&h, 4));
    assert_eq!(table.columns, ["training step", "kept"]);
    assert_eq!(table.rows, [["2", "14"], ["4", "10"]]);
    // A trajectory that goes back in sparsity lists its points in time order.
    let mut trajectory = views::tradeoff_chart(&h, 4);
    trajectory.series[0].points = vec![(0.9, 0.7), (0.5, 0.8)];
    let table = views::chart_table(&trajectory);
    assert_eq!(table.columns[0], "series");
    assert_eq!(table.rows[1][1..], ["0.5000", "0.8000"]);
    let heat = views::heatmap_table(&views::heatmap(&h, 0, 4).unwrap());
    assert_eq!(heat.rows[0], ["filter 1", "3 of 4", "-0.200", "0.550"]);
    let pruned = views::pruned_at_table(&views::pruned_at_grid(&h, 1, 4).unwrap());
    assert_eq!(pruned.rows[0], ["2×3", "2 of 6", "3", "3", "0"]);
}

#[test]
fn bar_charts_of_probabilities_have_their_table() {
    let labels: Vec<String> = (0..3).map(|d| d.to_string()).collect();
    let groups = vec![
        ("dense".to_string(), vec![0.9, 0.05, 0.05]),
        ("pruned".to_string(), vec![0.5, 0.25]),
    ];
    let table = views::probability_table("What the networks see", "digit", &labels, &groups);
    assert_eq!(table.columns, ["digit", "dense", "pruned"]);
    assert_eq!(table.rows[0], ["0", "90.0%", "50.0%"]);
    assert_eq!(table.rows[2], ["2", "5.0%", "–"]);
}

#[test]
fn page_charts_are_drawn_in_the_pages_language() {
    let h = planned_history();
    for name in LINE_CHARTS {
        let english = views::line_chart(&h, name, 4).unwrap();
        let chinese = views::line_chart_in(&h, name, 4, Lang::Zh).unwrap();
        // The same data; only the words change.
        let points = |c: &LineChart| {
            c.series
                .iter()
                .map(|s| s.points.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(points(&english), points(&chinese), "{name}");
        assert_ne!(english.title, chinese.title, "{name}");
        assert!(
            chinese.title.chars().any(|c| c > '\u{2e80}'),
            "{}",
            chinese.title
        );
        if name != "compute" {
            assert_eq!(
                views::page_line_chart(&h, name, 4, Lang::En).unwrap(),
                english
            );
        }
    }
    let compute = views::page_line_chart(&h, "compute", 4, Lang::Zh).unwrap();
    assert_eq!(compute.title, "累计训练计算量");
    assert_eq!(compute.x_label, "训练步数");
    assert_eq!(
        compute.notes,
        ["稠密网络和剪枝后（按实际掩码）在训练步数 3 之前重合"]
    );
    let accuracy = views::line_chart_in(&h, "accuracy", 4, Lang::Zh).unwrap();
    let labels: Vec<&str> = accuracy.series.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(labels, ["测试集", "训练集（自上一个点以来的平均）"]);
}

/// Some CJK, and no English word of three letters or more (tensor names set aside).
fn assert_chinese(text: &str) {
    chinese_text::assert_chinese_text(text, &["conv1.weight", "fc1.weight"], 3);
}

#[test]
fn weight_maps_and_data_tables_speak_the_pages_language() {
    let h = planned_history();
    // English as it was.
    let heat = views::heatmap(&h, 0, 4).unwrap();
    assert_eq!(views::heatmap_in(&h, 0, 4, Lang::En).unwrap(), heat);
    let table = views::heatmap_table(&heat);
    assert_eq!(table, views::heatmap_table_in(&heat, Lang::En));
    assert!(table.caption.starts_with("Data of “conv1.weight ["));
    assert!(table.caption.ends_with("”, one row per tile"));
    assert_eq!(
        table.columns,
        ["tile", "kept weights", "smallest kept", "largest kept"]
    );
    let pruned = views::pruned_at_grid(&h, 1, 4).unwrap();
    assert_eq!(
        pruned.title,
        "fc1.weight: step at which each weight was pruned"
    );
    assert_eq!(
        views::pruned_at_table(&pruned).columns,
        [
            "tile",
            "pruned weights",
            "first pruned at step",
            "last pruned at step",
            "regrown"
        ]
    );
    let chart = views::kept_chart(&h, 4);
    assert_eq!(
        views::chart_table(&chart).caption,
        "Data of the chart “Kept parameters”"
    );

    // Chinese.
    let heat = views::heatmap_in(&h, 0, 4, Lang::Zh).unwrap();
    assert_chinese(&heat.title);
    assert_chinese(&heat.tiles[0].label);
    let table = views::heatmap_table_in(&heat, Lang::Zh);
    assert_chinese(&table.caption);
    for column in &table.columns {
        assert_chinese(column);
    }
    assert_eq!(table.rows[0][1], "3/4");
    let pruned = views::pruned_at_grid_in(&h, 1, 4, Lang::Zh).unwrap();
    assert_chinese(&pruned.title);
    let table = views::pruned_at_table_in(&pruned, Lang::Zh);
    assert_chinese(&table.caption);
    for column in &table.columns {
        assert_chinese(column);
    }
    let chart = views::line_chart_in(&h, "kept", 4, Lang::Zh).unwrap();
    let table = views::chart_table_in(&chart, Lang::Zh);
    assert_chinese(&table.caption);
    let mut trajectory = views::line_chart_in(&h, "tradeoff", 4, Lang::Zh).unwrap();
    trajectory.series[0].points = vec![(0.9, 0.7), (0.5, 0.8)];
    assert_chinese(&views::chart_table_in(&trajectory, Lang::Zh).columns[0]);
}

#[test]
fn the_probability_table_speaks_the_pages_language() {
    let labels: Vec<String> = (0..2).map(|d| d.to_string()).collect();
    let groups = vec![("稠密网络".to_string(), vec![0.9, 0.1])];
    let english = views::probability_table("Title", "digit", &labels, &groups);
    assert_eq!(english.caption, "Data of the chart “Title”");
    assert_eq!(
        views::probability_table_in("Title", "digit", &labels, &groups, Lang::En),
        english
    );
    let chinese = views::probability_table_in("网络看到了什么", "数字", &labels, &groups, Lang::Zh);
    assert_chinese(&chinese.caption);
    assert_eq!(chinese.rows, english.rows);
}
