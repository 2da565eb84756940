//! The page's headline figures, per-layer sparsity, comparison table, charts by name and the
//! settings check, on a hand-written history (tests/views_common) with values worked out by hand.
mod chinese_text;
mod views_common;

use prunelab::i18n::Lang;
use prunelab::metrics::ENERGY_MODEL;
use prunelab::run::history::History;
use prunelab::run::views::{self, LayerSparsity, LINE_CHARTS};
use prunelab::run::{PruneSettings, ScheduleKind};
use views_common::{history, macs_at};

/// 9.6 pJ per multiply-accumulate (metrics::ENERGY_MODEL).
fn joules(macs: u64) -> f64 {
    macs as f64 * 9.6e-12
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

#[test]
fn the_summary_after_pruning_reads_the_last_evaluation_and_step() {
    let summary = views::summary(&history(), &PruneSettings::default(), 10, 20, 4);
    assert_eq!(summary.step, 4);
    assert_eq!(summary.planned_steps, 10);
    assert_eq!(summary.test_accuracy, Some(0.8));
    assert_eq!(summary.dense_test_accuracy, Some(0.5));
    assert_eq!(summary.kept, Some(10));
    assert_eq!(summary.prunable, 14);
    assert_eq!(summary.total_params, 20);
    assert!(close(summary.sparsity.unwrap(), 4.0 / 14.0));
    // conv1 keeps 6 of 8, fc1 4 of 6; names without `.weight`.
    assert_eq!(summary.layers.len(), 2);
    assert_eq!(summary.layers[0].layer, "conv1");
    assert!(close(summary.layers[0].sparsity, 0.25));
    assert_eq!(summary.layers[1].layer, "fc1");
    assert!(close(summary.layers[1].sparsity, 1.0 / 3.0));
    assert_eq!((summary.macs_actual, summary.macs_dense), (3_700, 4_000));
    assert!(close(summary.energy_joules, joules(3_700)));
    assert!(close(summary.energy_joules_dense, joules(4_000)));
    assert_eq!(summary.energy_model, ENERGY_MODEL);
    assert_eq!(summary.rolled_back, 1);
    assert_eq!(summary.target_sparsity, 0.75);
    assert_eq!(summary.target_missed, None, "the run has not finished");
}

/// The hand-written history as a finished rollback run (4 planned steps) aiming at `target`.
fn finished_rollback(target: f64) -> (History, PruneSettings) {
    let mut h = history();
    h.planned_steps = 4;
    let prune = PruneSettings {
        schedule: ScheduleKind::Rollback,
        target_sparsity: target,
        tolerance: 0.05,
        ..PruneSettings::default()
    };
    (h, prune)
}

#[test]
fn a_finished_run_below_its_target_says_why_at_every_step() {
    // 4 of 14 weights pruned (28.6%); one of the two pruning steps was rolled back.
    let (h, prune) = finished_rollback(0.5);
    let reason = "1 of 2 pruning steps were rolled back: it raised the held-out loss more than 5%, \
                  and every rollback halves the next step; the run ended at 28.6% sparsity, below its 50% target";
    for until in [1, 4] {
        let summary = views::summary(&h, &prune, 4, 20, until);
        assert_eq!(summary.target_sparsity, 0.5);
        assert_eq!(
            summary.target_missed.as_deref(),
            Some(reason),
            "until {until}"
        );
    }
    // Other schedules only say where the run ended.
    let one_shot = PruneSettings {
        schedule: ScheduleKind::OneShot,
        ..prune.clone()
    };
    assert_eq!(
        views::summary(&h, &one_shot, 4, 20, 4)
            .target_missed
            .as_deref(),
        Some("The run ended at 28.6% sparsity, below its 50% target")
    );
    assert_eq!(
        views::summary_in(&h, &prune, 4, 20, 4, Lang::Zh)
            .target_missed
            .as_deref(),
        Some(
            "2 个剪枝步骤中有 1 个被回滚：它使留出集损失上升超过 5%，而每次回滚都会让下一步减半；\
             运行结束时稀疏度为 28.6%，低于目标 50%"
        )
    );
}

#[test]
fn a_finished_run_within_a_point_of_its_target_reached_it() {
    let (h, prune) = finished_rollback(0.29);
    assert_eq!(views::summary(&h, &prune, 4, 20, 4).target_missed, None);
    let (h, prune) = finished_rollback(0.3);
    assert!(views::summary(&h, &prune, 4, 20, 4).target_missed.is_some());
}

#[test]
fn the_summary_between_records_uses_the_latest_before_it() {
    let h = history();
    let at_3 = views::summary(&h, &PruneSettings::default(), 10, 20, 3);
    assert_eq!(at_3.test_accuracy, Some(0.5), "the step-2 evaluation");
    assert_eq!(at_3.kept, Some(14));
    assert_eq!(
        at_3.layers,
        [
            LayerSparsity {
                layer: "conv1".into(),
                sparsity: 0.0
            },
            LayerSparsity {
                layer: "fc1".into(),
                sparsity: 0.0
            },
        ]
    );
    assert_eq!((at_3.macs_actual, at_3.macs_dense), macs_at(3));
    assert_eq!(at_3.rolled_back, 0, "the rollback is at step 4");
    let at_1 = views::summary(&h, &PruneSettings::default(), 10, 20, 1);
    assert_eq!(
        (at_1.test_accuracy, at_1.kept, at_1.sparsity),
        (None, None, None)
    );
    assert!(at_1.layers.is_empty());
    assert_eq!(at_1.macs_actual, 1_000);
    let empty = views::summary(&History::default(), &PruneSettings::default(), 0, 0, 0);
    assert_eq!(
        (empty.macs_actual, empty.prunable, empty.energy_joules),
        (0, 0, 0.0)
    );
}

#[test]
fn the_layer_sparsity_chart_agrees_with_the_summary() {
    let chart = views::layer_sparsity_chart(&history(), 4);
    let last: Vec<(f64, f64)> = chart
        .series
        .iter()
        .map(|s| *s.points.last().unwrap())
        .collect();
    assert_eq!(last, [(4.0, 0.25), (4.0, 1.0 - 4.0 / 6.0)]);
    assert_eq!(chart.series[0].label, "conv1.weight");
}

#[test]
fn charts_by_name_are_the_named_charts_and_unknown_names_are_refused() {
    let h = history();
    assert_eq!(
        views::line_chart(&h, "kept", 4),
        Ok(views::kept_chart(&h, 4))
    );
    assert_eq!(
        views::line_chart(&h, "compute", 3),
        Ok(views::compute_chart(&h, 3))
    );
    for name in LINE_CHARTS {
        assert!(
            !views::line_chart(&h, name, 4).unwrap().title.is_empty(),
            "{name}"
        );
    }
    assert_eq!(
        views::line_chart(&h, "pie", 4).unwrap_err().to_string(),
        "unknown chart `pie`; allowed: accuracy, loss, kept, layer_sparsity, tradeoff, compute"
    );
    let runs = [("a".to_string(), &h)];
    assert_eq!(
        views::compare_chart(&runs, "accuracy"),
        Ok(views::compare_accuracy_chart(&runs))
    );
    assert_eq!(
        views::compare_chart(&runs, "loss").unwrap_err().to_string(),
        "unknown chart `loss`; allowed: accuracy, kept, compute"
    );
}

#[test]
fn the_comparison_table_has_one_row_per_run_at_its_latest_record() {
    let h = history();
    let empty = History::default();
    let rows = views::compare_table(&[("pruned".to_string(), &h), ("new".to_string(), &empty)]);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].label, "pruned");
    assert_eq!(rows[0].step, 4);
    assert_eq!(rows[0].test_accuracy, Some(0.8));
    assert_eq!(rows[0].kept, Some(10));
    assert_eq!(rows[0].macs_actual, 3_700);
    assert!(close(rows[0].energy_joules, joules(3_700)));
    assert_eq!(rows[1].label, "new");
    assert_eq!(
        (rows[1].step, rows[1].test_accuracy, rows[1].macs_actual),
        (0, None, 0)
    );
}

#[test]
fn the_settings_check_counts_parameters_or_says_what_is_wrong() {
    let default = serde_json::to_string(&prunelab::run::RunConfig::default()).unwrap();
    let checked = views::check_config_json(&default, Lang::En);
    // conv1 10·1·5·5 + conv2 20·10·3·3 + fc1 10·500 = 7,050 weights, plus 40 biases.
    assert!(checked.ok, "{:?}", checked.message);
    assert_eq!(
        (checked.params, checked.prunable),
        (Some(7_090), Some(7_050))
    );

    let mut bad: serde_json::Value = serde_json::from_str(&default).unwrap();
    bad["prune"]["target_sparsity"] = 2.0.into();
    let refused = views::check_config_json(&bad.to_string(), Lang::En);
    assert!(!refused.ok);
    assert_eq!(
        refused.message.unwrap(),
        "invalid setting `target_sparsity`: 2 is out of range; allowed: 0 to below 1 (1.0 would remove every weight)"
    );
    let in_chinese = views::check_config_json(&bad.to_string(), Lang::Zh);
    assert_eq!(
        in_chinese.message.unwrap(),
        "设置 `target_sparsity` 无效：2 超出范围；允许：0 到 1（不含 1；1.0 会剪掉全部权重）"
    );
    assert_eq!((refused.params, refused.prunable), (None, None));
    let garbled = views::check_config_json("{not json", Lang::En);
    assert!(garbled.message.unwrap().starts_with("invalid settings: "));
}

#[test]
fn compared_heatmaps_share_one_colour_scale_per_layer() {
    let h = history();
    let empty = History::default();
    let runs = [
        ("a".to_string(), &h),
        ("b".to_string(), &h),
        ("new".to_string(), &empty),
    ];
    // conv1 at step 4: the largest kept |w| is 0.75 (index 7; pruned entries are 0).
    let conv1 = views::compare_heatmaps(&runs, 0);
    assert_eq!(conv1.len(), 3);
    let a = conv1[0].as_ref().unwrap();
    assert_eq!(a.scale, Some(0.75));
    assert!(a.title.starts_with("a: conv1.weight"), "{}", a.title);
    assert_eq!(conv1[1].as_ref().unwrap().scale, Some(0.75));
    assert!(conv1[2].is_none(), "a run without snapshots has no map");
    // fc1: the largest kept |w| is 0.5 (index 4); every fc1 map uses it, not conv1's.
    let fc1 = views::compare_heatmaps(&runs, 1);
    assert_eq!(fc1[0].as_ref().unwrap().scale, Some(0.5));
    assert!(fc1[0].as_ref().unwrap().title.contains("fc1.weight"));
}

/// Some CJK, and no English word of three letters or more (the runs' labels and tensor names,
/// which are code, set aside).
fn assert_chinese(text: &str) {
    chinese_text::assert_chinese_text(
        text,
        &[
            "conv1.weight",
            "fc1.weight",
            "pJ",
            "fp32",
            "SRAM",
            "Horowitz",
        ],
        3,
    );
}

#[test]
fn compared_charts_and_heatmaps_speak_chinese_and_english_is_as_it_was() {
    let h = history();
    let runs = [("甲".to_string(), &h), ("乙".to_string(), &h)];
    for name in views::COMPARE_CHARTS {
        let english = views::compare_chart(&runs, name).unwrap();
        assert_eq!(
            views::compare_chart_in(&runs, name, Lang::En).unwrap(),
            english
        );
        let chinese = views::compare_chart_in(&runs, name, Lang::Zh).unwrap();
        assert_eq!(chinese.series, english.series, "only the words differ");
        for text in [&chinese.title, &chinese.x_label, &chinese.y_label]
            .into_iter()
            .chain(&chinese.notes)
        {
            assert_chinese(text);
        }
        let table = views::chart_table(&chinese);
        assert_chinese(&table.columns[0]);
    }
    let english = views::compare_accuracy_chart(&runs);
    assert_eq!(
        (english.title.as_str(), english.x_label.as_str()),
        ("Test accuracy", "training step")
    );
    assert_eq!(
        views::energy_model_notes_in(Lang::En),
        views::energy_model_notes(),
        "the catalog's English energy model is the CLI's"
    );
    let english = views::compare_heatmaps(&runs, 0);
    let chinese = views::compare_heatmaps_in(&runs, 0, Lang::Zh);
    let (english, chinese) = (english[0].as_ref().unwrap(), chinese[0].as_ref().unwrap());
    assert!(
        english.title.starts_with("甲: conv1.weight [")
            && english.title.contains(" pruned, step 4"),
        "{}",
        english.title
    );
    assert_chinese(&chinese.title);
    assert_eq!(chinese.scale, english.scale);
    assert_eq!(english.tiles[0].label, "filter 1");
    assert_chinese(&chinese.tiles[0].label);
}
