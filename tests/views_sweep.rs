//! The sweep's chart and table come out in sparsity order, whatever order the runs finished in
//! (the page's workers finish points in any order).

use prunelab::i18n::Lang;
use prunelab::run::views::{chart_table, spreads, sweep_chart, sweep_chart_in_order, SweepRow};

fn row(strategy: &str, target: f64, seed: u64, accuracy: f64) -> SweepRow {
    SweepRow {
        strategy: strategy.into(),
        target_sparsity: target,
        seed,
        test_accuracy: accuracy,
        sparsity: target,
        kept_params: 100,
        train_macs: 1000,
        energy_joules: 0.5,
    }
}

/// Finished out of order: random's 0.9 first, magnitude's points shuffled.
fn rows() -> Vec<SweepRow> {
    vec![
        row("random", 0.9, 1, 0.5),
        row("magnitude", 0.9, 1, 0.8),
        row("magnitude", 0.0, 1, 0.98),
        row("random", 0.0, 1, 0.98),
        row("magnitude", 0.5, 1, 0.97),
        row("random", 0.5, 1, 0.9),
    ]
}

#[test]
fn curves_run_in_sparsity_order_one_per_strategy_in_first_seen_order() {
    let chart = sweep_chart(&rows());
    let curves: Vec<(&str, Vec<(f64, f64)>)> = chart
        .series
        .iter()
        .map(|s| (s.label.as_str(), s.points.clone()))
        .collect();
    assert_eq!(
        curves,
        vec![
            ("random", vec![(0.0, 0.98), (0.5, 0.9), (0.9, 0.5)]),
            ("magnitude", vec![(0.0, 0.98), (0.5, 0.97), (0.9, 0.8)]),
        ]
    );
    assert!(chart
        .series
        .iter()
        .all(|s| s.style.markers && !s.style.dashed));
    let colours: Vec<usize> = chart.series.iter().map(|s| s.style.color_index).collect();
    assert_eq!(colours, vec![0, 1]);
    assert_eq!(chart.y_range, Some((0.0, 1.0)), "accuracy from 0");
    assert_eq!(chart.notes, vec!["one seed per point".to_string()]);
}

#[test]
fn seeds_spread_into_mean_lowest_and_highest() {
    let mut seeds = rows();
    for mut second in rows() {
        second.seed = 2;
        second.test_accuracy -= if second.target_sparsity == 0.5 {
            0.2
        } else {
            0.0
        };
        seeds.push(second);
    }
    let spread = &spreads(&seeds)[0].1[1];
    assert_eq!(spread.seeds, 2);
    assert!((spread.min - 0.7).abs() < 1e-12 && spread.max == 0.9);
    assert!((spread.mean - 0.8).abs() < 1e-12);
    let chart = sweep_chart(&seeds);
    // Mean, lowest and highest per strategy once a point has two seeds.
    assert_eq!(chart.series.len(), 6);
}

#[test]
fn colours_follow_the_chosen_order_before_every_strategy_has_a_point() {
    let only_second = vec![row("random", 0.5, 1, 0.9)];
    let order = vec!["magnitude".to_string(), "random".to_string()];
    let chart = sweep_chart_in_order(&only_second, &order, Lang::En);
    assert_eq!(chart.series[0].style.color_index, 1);
}

#[test]
fn typed_sparsity_lists_are_checked_with_a_reason() {
    use prunelab::run::views::parse_sparsity_percents as parse;
    assert_eq!(parse("0, 50, 90%").unwrap(), vec![0.0, 0.5, 0.9]);
    assert_eq!(
        parse("98 70").unwrap(),
        vec![0.7, 0.98],
        "in increasing order"
    );
    for (text, reason) in [
        ("", "empty"),
        (" , ", "empty"),
        ("50, 100", "outside 0 to below 100%"),
        ("-5", "outside"),
        ("50, 50", "twice"),
        ("fifty", "not a number"),
        ("NaN", "not a number"),
    ] {
        let error = parse(text).unwrap_err();
        assert!(error.contains(reason), "{text:?}: {error}");
    }
}

#[test]
fn the_charts_words_follow_the_language_and_english_is_as_it_was() {
    // The order the rows are first seen in, as `sweep_chart` takes it.
    let order = vec!["random".to_string(), "magnitude".to_string()];
    let english = sweep_chart_in_order(&rows(), &order, Lang::En);
    assert_eq!(english.title, "Accuracy vs sparsity (sweep)");
    assert_eq!(
        english.x_label,
        "target sparsity (fraction of prunable weights removed)"
    );
    assert_eq!(english.y_label, "test accuracy");
    assert_eq!(english.notes, ["one seed per point"]);
    assert_eq!(sweep_chart(&rows()), english);
    let chinese = sweep_chart_in_order(&rows(), &order, Lang::Zh);
    assert_eq!(chinese.series, english.series, "only the words differ");
    let table = chart_table(&chinese);
    for text in [
        &chinese.title,
        &chinese.x_label,
        &chinese.y_label,
        &chinese.notes[0],
    ]
    .into_iter()
    .chain(&table.columns[..1])
    {
        assert!(
            text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "not Chinese: {text:?}"
        );
        assert!(
            !text.contains("sparsity") && !text.contains("seed"),
            "{text:?}"
        );
    }
    let mut seeds = rows();
    seeds.extend(rows().into_iter().map(|mut r| {
        r.seed = 2;
        r
    }));
    let notes = sweep_chart_in_order(&seeds, &order, Lang::Zh).notes;
    assert!(notes[0].contains("2 个随机种子"), "{notes:?}");
    assert_eq!(
        sweep_chart(&seeds).notes,
        ["solid: mean over 2 seeds; dashed: lowest and highest seed"]
    );
}
