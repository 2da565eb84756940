//! Feature maps, dense vs pruned: the unfused forward pass equals the network's own, a pruned
//! filter has no map and is drawn as gone, both sides share each layer's colour scale, and a past
//! timeline step's network is rebuilt exactly from the history.
// Native tests: the wasm32 build runs only the browser tests (tests/web_*.rs).
#![cfg(not(target_arch = "wasm32"))]

mod chinese_text;

use std::sync::Arc;

use prunelab::charts::export::render_rgb;
use prunelab::charts::{draw_feature_maps, feature_maps_layout, GONE_FILL};
use prunelab::data::{bundled, fill_batch, Dataset};
use prunelab::i18n::Lang;
use prunelab::nn::activations::layer_outputs;
use prunelab::nn::{ArchSpec, Network};
use prunelab::prune::apply::Granularity;
use prunelab::prune::Strategy;
use prunelab::run::views::{self, FeatureMaps, ShownNetwork};
use prunelab::run::{PruneSettings, PruningRun, RunConfig, ScheduleKind, StepOutcome};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

fn dataset() -> Arc<Dataset> {
    Arc::new(bundled().unwrap())
}

/// Test digit `index` (a dataset index), normalised as the network reads it.
fn digit(dataset: &Dataset, index: usize) -> Vec<f32> {
    let mut input = vec![0.0; 28 * 28];
    fill_batch(dataset, &[index], &mut input, &mut [0u8]);
    input
}

fn seeded(spec: &ArchSpec) -> Network {
    Network::seeded(spec, &mut ChaCha8Rng::seed_from_u64(7)).unwrap()
}

/// Prunes every weight of filter `filter` of the first conv layer (and, for a realistic mix,
/// every other weight of the second conv layer).
fn prune_filter(network: &mut Network, filter: usize) {
    let mut tensors = network.params_mut().filter(|p| p.is_prunable());
    let conv1 = tensors.next().unwrap();
    let patch = conv1.len() / conv1.shape[0];
    let mask: Vec<bool> = (0..conv1.len()).map(|i| i / patch != filter).collect();
    for (value, &kept) in conv1.value.iter_mut().zip(&mask) {
        if !kept {
            *value = 0.0;
        }
    }
    conv1.set_mask(mask);
    let conv2 = tensors.next().unwrap();
    let mask: Vec<bool> = (0..conv2.len()).map(|i| i % 2 == 0).collect();
    for (value, &kept) in conv2.value.iter_mut().zip(&mask) {
        if !kept {
            *value = 0.0;
        }
    }
    conv2.set_mask(mask);
}

fn assert_close(a: &[f32], b: &[f32]) {
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(b) {
        assert!((x - y).abs() <= 1e-5, "{x} vs {y}");
    }
}

#[test]
fn unfused_forward_gives_the_networks_logits() {
    let data = dataset();
    for spec in [ArchSpec::default_cnn(), ArchSpec::lenet5()] {
        let mut network = seeded(&spec);
        for pruned in [false, true] {
            if pruned {
                prune_filter(&mut network, 1);
            }
            for index in [0, 5, 1234] {
                let input = digit(&data, index);
                let outputs = layer_outputs(&mut network, &input).unwrap();
                assert_eq!(outputs.len(), network.layers().len());
                let logits = network.infer(&input, 1).to_vec();
                assert_close(outputs.last().unwrap(), &logits);
            }
        }
    }
}

#[test]
fn a_digit_of_the_wrong_size_is_an_error() {
    let mut network = seeded(&ArchSpec::default_cnn());
    let error = layer_outputs(&mut network, &[0.0; 10]).unwrap_err();
    assert!(error.to_string().contains("784"), "{error}");
}

/// The default network, dense and with conv1 filter 3 pruned, on test digit 5.
fn dense_and_pruned() -> FeatureMaps {
    let data = dataset();
    let mut dense = seeded(&ArchSpec::default_cnn());
    let mut pruned = dense.clone_parameters();
    prune_filter(&mut pruned, 3);
    let input = digit(&data, 5);
    let shown = vec![
        ShownNetwork {
            title: "Dense".into(),
            caption: "before pruning".into(),
            network: &mut dense,
        },
        ShownNetwork {
            title: "Pruned".into(),
            caption: "now".into(),
            network: &mut pruned,
        },
    ];
    views::feature_maps("test digit 5", &input, shown, None).unwrap()
}

#[test]
fn a_pruned_filter_has_no_map_and_the_dense_one_does() {
    let maps = dense_and_pruned();
    assert_eq!(maps.layers.len(), 2);
    assert_eq!((maps.layers[0].filters, maps.layers[0].height), (10, 24));
    assert_eq!((maps.layers[1].filters, maps.layers[1].height), (20, 10));
    let (dense, pruned) = (&maps.sides[0], &maps.sides[1]);
    let plane = 24 * 24;
    assert!(dense
        .map(0, 3, plane)
        .is_some_and(|m| m.iter().any(|&v| v > 0.0)));
    assert!(pruned.map(0, 3, plane).is_none());
    assert!(pruned.maps[0][3 * plane..4 * plane]
        .iter()
        .all(|&v| v == 0.0));
    assert_eq!(
        pruned.gone[0].iter().filter(|&&g| g).count(),
        1,
        "only filter 3 is gone"
    );
    // Half-pruned conv2 filters are still there.
    assert!(pruned.gone[1].iter().all(|&g| !g));
    // Maps are after the ReLU, and the probabilities are a distribution.
    assert!(dense.maps[0].iter().all(|&v| v >= 0.0));
    for side in &maps.sides {
        let total: f32 = side.probabilities.iter().sum();
        assert!((total - 1.0).abs() < 1e-4);
        assert!(maps.summary.contains(&format!("says {}", side.predicted)));
    }
}

#[test]
fn both_sides_share_each_layers_colour_scale() {
    let maps = dense_and_pruned();
    for (l, layer) in maps.layers.iter().enumerate() {
        let highest = |side: usize| {
            maps.sides[side].maps[l]
                .iter()
                .fold(0.0f32, |a, &b| a.max(b))
        };
        assert_eq!(layer.low, 0.0);
        assert_eq!(layer.high, highest(0).max(highest(1)));
        assert!(highest(0) > 0.0 && highest(1) > 0.0);
    }
}

#[test]
fn the_gone_tile_is_drawn_hatched_and_kept_tiles_in_map_colours() {
    let maps = dense_and_pruned();
    let (width, height) = (480, 420);
    let pixels = render_rgb(width, height, |area| draw_feature_maps(area, &maps, 1)).unwrap();
    let at = |x: i32, y: i32| {
        let i = 3 * (y as usize * width as usize + x as usize);
        (pixels[i], pixels[i + 1], pixels[i + 2])
    };
    let layout = feature_maps_layout(&maps, 1, width, height).unwrap();
    assert_eq!(layout.len(), 30);
    let gone = layout.iter().find(|r| r.gone).unwrap();
    assert_eq!((gone.layer, gone.filter), (0, 3));
    let grey = |(r, g, b): (u8, u8, u8)| r == g && g == b;
    let fill = (GONE_FILL.0, GONE_FILL.1, GONE_FILL.2);
    let inside = |r: &prunelab::charts::MapRect| {
        let (x0, y0, x1, y1) = (r.x + 1, r.y + 1, r.x + r.width - 1, r.y + r.height - 1);
        (x0..x1).flat_map(move |x| (y0..y1).map(move |y| (x, y)))
    };
    let gone_pixels: Vec<_> = inside(gone).map(|(x, y)| at(x, y)).collect();
    assert!(
        gone_pixels.iter().all(|&p| grey(p)),
        "a gone tile is grey only"
    );
    assert!(gone_pixels.contains(&fill) && gone_pixels.iter().any(|&p| p != fill));
    // A kept filter's tile is in viridis colours (never grey) on the same layer.
    let kept = layout.iter().find(|r| r.layer == 0 && !r.gone).unwrap();
    assert!(inside(kept).all(|(x, y)| !grey(at(x, y))));
    // The dense side draws filter 3 as a map.
    let dense = render_rgb(width, height, |area| draw_feature_maps(area, &maps, 0)).unwrap();
    let i = 3 * ((gone.y + gone.height / 2) as usize * width as usize + (gone.x + 2) as usize);
    assert!(!grey((dense[i], dense[i + 1], dense[i + 2])));
}

#[test]
fn a_side_that_does_not_exist_is_an_error() {
    let maps = dense_and_pruned();
    let error = render_rgb(100, 100, |area| draw_feature_maps(area, &maps, 2)).unwrap_err();
    assert!(error.0.contains("side"), "{}", error.0);
}

/// A short one-shot run that prunes whole filters.
fn short_run() -> PruningRun {
    let mut config = RunConfig {
        prune: PruneSettings {
            strategy: Strategy::Magnitude,
            granularity: Granularity::Filter,
            schedule: ScheduleKind::OneShot,
            target_sparsity: 0.5,
            pretrain_epochs: 1,
            finetune_epochs: 1,
            ..PruneSettings::default()
        },
        evals_per_epoch: 2,
        ..RunConfig::default()
    };
    config.train.batch_size = 128;
    PruningRun::new(config, dataset()).unwrap()
}

#[test]
fn a_past_step_is_rebuilt_from_the_history_exactly() {
    let data = dataset();
    let mut run = short_run();
    let mut seen = Vec::new();
    loop {
        let outcome = run.step().unwrap();
        let step = run.global_step();
        let recorded = run.history().records.evals.last().map(|e| e.step);
        // The last state recorded at a step wins (a pruning step and its evaluation share one).
        if recorded == Some(step) {
            if seen.last().map(|(s, _)| *s) == Some(step) {
                seen.pop();
            }
            seen.push((step, run.network().clone_parameters()));
        }
        if outcome == StepOutcome::Finished {
            break;
        }
    }
    assert!(seen.len() >= 3);
    let input = digit(&data, 42);
    for (step, mut network) in seen {
        let (mut rebuilt, weights_step) =
            views::network_at_step(run.history(), run.network(), step).unwrap();
        assert_eq!(weights_step, step);
        assert_close(rebuilt.infer(&input, 1), network.infer(&input, 1));
        assert_eq!(
            views::step_caption(step, weights_step),
            format!("weights and masks at step {}", views::numbers::count(step))
        );
    }
    // The run pruned whole filters: the final network has gone maps.
    let mut last = run.network().clone_parameters();
    let shown = vec![ShownNetwork {
        title: "Pruned".into(),
        caption: String::new(),
        network: &mut last,
    }];
    let maps = views::feature_maps("a digit", &input, shown, None).unwrap();
    assert!(maps.sides[0].gone.iter().flatten().any(|&g| g));
}

#[test]
fn a_history_saved_before_biases_were_recorded_says_so() {
    // Session files written before snapshots carried biases still read…
    let snapshot: prunelab::run::history::Snapshot =
        serde_json::from_str(r#"{"step":3,"weights":[[0.5]]}"#).unwrap();
    assert!(snapshot.biases.is_empty());
    // …but their past steps cannot be run again, and the message says why.
    let mut history = prunelab::run::History::new(Vec::new(), Vec::new());
    history.records.snapshots.push(snapshot);
    let network = seeded(&ArchSpec::default_cnn());
    let error = views::network_at_step(&history, &network, 5).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("no biases recorded at or before step 5"),
        "{error}"
    );
}

/// Chinese text: some CJK, and no English word (two ASCII letters in a row) once the layer names
/// (`conv1`), which are code, are set aside.
fn assert_chinese(text: &str) {
    chinese_text::assert_chinese_text(text, &["conv1", "conv2"], 2);
}

#[test]
fn the_maps_words_follow_the_language_and_english_is_as_it_was() {
    let english = dense_and_pruned();
    assert!(english.summary.starts_with("For test digit 5: Dense says "));
    assert!(english.summary.contains("; Pruned says "));
    assert_eq!(
        views::filter_caption(&english, 1, 0, 3),
        "Pruned: conv1 filter 3 is pruned away: all 25 of its weights are gone."
    );
    assert!(views::filter_caption(&english, 0, 0, 3)
        .starts_with("Dense: conv1 filter 3, 25 of 25 weights kept; strongest response "));
    let table = views::feature_maps_table(&english);
    assert_eq!(table.caption, "Feature maps for test digit 5");
    assert_eq!(
        table.columns,
        [
            "network",
            "layer",
            "filter",
            "filter is",
            "strongest",
            "mean"
        ]
    );
    assert!(table.rows.iter().any(|row| row[3] == "pruned"));
    let grid = views::feature_filter(&english, 0, 1, 2).unwrap();
    assert_eq!(grid.title, "conv2 filter 2");
    assert_eq!(grid.tiles[1].label, "in 1");
    assert_eq!(
        views::step_caption(12, 10),
        "weights recorded at step 10, masks at step 12"
    );

    // The same maps in Chinese: the words the core makes from them.
    let data = dataset();
    let mut dense = seeded(&ArchSpec::default_cnn());
    let mut pruned = dense.clone_parameters();
    prune_filter(&mut pruned, 3);
    let shown = vec![
        ShownNetwork {
            title: "稠密网络".into(),
            caption: String::new(),
            network: &mut dense,
        },
        ShownNetwork {
            title: "第 12 步".into(),
            caption: views::step_caption_in(12, 10, Lang::Zh),
            network: &mut pruned,
        },
    ];
    let mut chinese =
        views::feature_maps_in("手写的数字", &digit(&data, 5), shown, None, Lang::Zh).unwrap();
    assert_eq!(chinese.sides[0].maps, english.sides[0].maps);
    assert_chinese(&chinese.summary);
    assert_chinese(&chinese.sides[1].caption);
    for (side, filter) in [(0, 3), (1, 3), (1, 4)] {
        assert_chinese(&views::filter_caption(&chinese, side, 0, filter));
    }
    let table = views::feature_maps_table(&chinese);
    assert_chinese(&table.caption);
    for text in table.columns.iter().chain(table.rows.iter().map(|r| &r[3])) {
        assert_chinese(text);
    }
    let grid = views::feature_filter(&chinese, 0, 1, 2).unwrap();
    assert_chinese(&grid.title);
    assert_chinese(&grid.tiles[1].label);
    // The chart draws in either language (its labels are the catalog's).
    for side in 0..2 {
        render_rgb(640, 480, |area| draw_feature_maps(area, &chinese, side)).unwrap();
    }
    // The language is the page's copy's, not the JSON's: a round trip reads English.
    let json = serde_json::to_string(&chinese).unwrap();
    let read: FeatureMaps = serde_json::from_str(&json).unwrap();
    assert_eq!(read.lang, Lang::En);
    chinese.lang = Lang::En;
    assert_eq!(read, chinese);
}
