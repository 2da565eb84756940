//! The network view's model on a hand-made network whose counts can be checked by hand:
//! columns, visible connections, kernel norms over kept taps, removed nodes, regrowth, caps.
//!
//! `conv1.weight` `[3, 2, 1, 2]` reads 2 × 1×3 input maps (index `(filter·2 + channel)·2 + tap`),
//! then `fc1.weight` `[2, 6]` reads 3 × 1×2 maps (feature `f` is map `f / 2`, point `f % 2`).
//! Step 2 prunes conv1 tap 1 (kernel (0,0) keeps tap 0), kernel (1,1) (taps 6, 7), all of filter 3
//! (taps 8–11, structured), and fc1 weights 0 and 5. Step 4 regrows fc1 weight 0 and prunes 7.
mod chinese_text;

use prunelab::charts::network_title;
use prunelab::i18n::Lang;
use prunelab::nn::Shape;
use prunelab::run::history::{History, MaskDelta, Snapshot, TensorInfo};
use prunelab::run::views::{
    network_summary, network_view, network_view_in, node_facts, Change, ColumnKind, LinkKind,
    NetworkView,
};

const CONV_AT_0: [f32; 12] = [
    0.3, 0.4, -1.0, 0.0, 0.6, -0.8, 0.1, 0.1, 0.2, -0.2, 0.5, 0.5,
];
const FC_AT_0: [f32; 12] = [
    0.9, -0.1, 0.2, 0.3, -0.4, 0.5, 0.6, -0.7, 0.8, 0.1, 0.2, 0.3,
];

fn zeroed(weights: &[f32], pruned: &[usize]) -> Vec<f32> {
    let mut w = weights.to_vec();
    for &i in pruned {
        w[i] = 0.0;
    }
    w
}

fn history() -> History {
    let tensors = vec![
        TensorInfo {
            name: "conv1.weight".into(),
            shape: vec![3, 2, 1, 2],
            input: Shape::new(2, 1, 3),
        },
        TensorInfo {
            name: "fc1.weight".into(),
            shape: vec![2, 6],
            input: Shape::new(3, 1, 2),
        },
    ];
    let mut h = History::new(tensors, vec![vec![true; 12], vec![true; 12]]);
    let delta = |step, tensor, removed: &[u32], regrown: &[u32]| MaskDelta {
        step,
        tensor,
        removed: removed.to_vec(),
        regrown: regrown.to_vec(),
    };
    let r = &mut h.records;
    r.mask_deltas
        .push(delta(2, 0, &[1, 6, 7, 8, 9, 10, 11], &[]));
    r.mask_deltas.push(delta(2, 1, &[0, 5], &[]));
    r.mask_deltas.push(delta(4, 1, &[7], &[0]));
    let conv_pruned = [1, 6, 7, 8, 9, 10, 11];
    r.snapshots.push(Snapshot {
        step: 0,
        weights: vec![CONV_AT_0.to_vec(), FC_AT_0.to_vec()],
        biases: Vec::new(),
    });
    r.snapshots.push(Snapshot {
        step: 2,
        weights: vec![zeroed(&CONV_AT_0, &conv_pruned), zeroed(&FC_AT_0, &[0, 5])],
        biases: Vec::new(),
    });
    let mut fc_at_4 = zeroed(&FC_AT_0, &[5, 7]);
    fc_at_4[0] = 0.05; // regrown at 0, then trained a little
    r.snapshots.push(Snapshot {
        step: 4,
        weights: vec![zeroed(&CONV_AT_0, &conv_pruned), fc_at_4],
        biases: Vec::new(),
    });
    h
}

fn view(step: u64, from: u64) -> NetworkView {
    network_view(&history(), step, from, None).expect("weights are recorded")
}

#[test]
fn columns_follow_the_layers_with_maps_shaped_as_the_next_layer_reads_them() {
    let v = view(0, 0);
    let kinds: Vec<ColumnKind> = v.columns.iter().map(|c| c.kind).collect();
    use ColumnKind::*;
    assert_eq!(kinds, [Input, Filters, Maps, Units]);
    let titles: Vec<&str> = v.columns.iter().map(|c| c.title.as_str()).collect();
    // 1×3 input, 1×2 kernels: the conv's own output is 1×2, which fc1 reads unpooled.
    assert_eq!(titles, ["input", "conv1", "maps", "output"]);
    assert_eq!(v.columns[0].nodes.len(), 2, "one input node per channel");
    assert_eq!(v.columns[2].points, (1, 2));
    assert_eq!(v.columns[2].shape, "3 × 1×2");
    let link_kinds: Vec<LinkKind> = v.layers.iter().map(|l| l.kind).collect();
    assert_eq!(
        link_kinds,
        [LinkKind::Kernel, LinkKind::Identity, LinkKind::Dense]
    );
}

#[test]
fn visible_connections_are_kernels_with_a_kept_tap_and_kept_dense_weights() {
    let dense = view(0, 0);
    assert_eq!((dense.visible, dense.possible), (6 + 12, 6 + 12));
    let pruned = view(2, 2);
    // Kernels (0,0), (0,1), (1,0) keep a tap; (1,1) and filter 3's two do not. fc1: 12 − 2.
    assert_eq!(pruned.layers[0].visible, 3);
    assert_eq!(pruned.layers[2].visible, 10);
    assert_eq!(
        (pruned.visible, pruned.possible, pruned.drawn),
        (13, 18, 13)
    );
    let summary = network_summary(&history(), &pruned);
    assert_eq!(
        summary.text,
        "Connections shown: 13 of 18 (conv1 3 of 6 kernels, fc1 10 of 12 weights)."
    );
    assert_eq!(summary.layers[1].visible, 10);
}

#[test]
fn kernel_strength_is_the_norm_of_the_kept_taps_and_its_sign_their_sum() {
    let before = view(0, 0);
    let link = |v: &NetworkView, from, to| {
        *v.layers[0]
            .links
            .iter()
            .find(|l| l.from == from && l.to == to)
            .unwrap()
    };
    let k00 = link(&before, 0, 0);
    assert!((k00.strength - 0.5).abs() < 1e-6, "√(0.3² + 0.4²)");
    assert!(k00.positive);
    let k10 = link(&before, 0, 1);
    assert!((k10.strength - 1.0).abs() < 1e-6, "√(0.6² + 0.8²)");
    assert!(!k10.positive, "0.6 − 0.8 < 0");
    // After step 2 only tap 0 (0.3) of kernel (0,0) is kept.
    let after = view(2, 2);
    assert!((link(&after, 0, 0).strength - 0.3).abs() < 1e-6);
    // The scale is the largest kernel norm of any snapshot: kernel (0,1), |−1|.
    assert!((after.layers[0].scale - 1.0).abs() < 1e-6);
}

#[test]
fn a_filter_with_every_weight_pruned_is_a_removed_node_and_its_map_goes_with_it() {
    let v = view(2, 0);
    let filter = &v.columns[1].nodes[2];
    assert!(filter.alive_before && !filter.alive);
    let map = &v.columns[2].nodes[2];
    assert!(map.alive_before && !map.alive);
    assert!(v.columns[1].nodes[1].alive, "filter 2 keeps kernel (1,0)");
    let identity = &v.layers[1].links;
    assert_eq!(
        identity.iter().find(|l| l.from == 2).unwrap().change,
        Change::Removed
    );
    // Its tile is all pruned; filter 2's tile is each tap's mean over the kept channels.
    let tile = v.columns[1].nodes[2].image.as_ref().unwrap();
    assert_eq!(tile.kept, [false, false]);
    let tile = v.columns[1].nodes[1].image.as_ref().unwrap();
    assert_eq!((tile.rows, tile.cols), (1, 2));
    assert_eq!(tile.kept, [true, true]);
    assert!((tile.values[0] - 0.3).abs() < 1e-6, "(0.6 + pruned) / 2");
    assert!((tile.values[1] + 0.4).abs() < 1e-6, "(−0.8 + pruned) / 2");
    let facts = node_facts(&history(), &v, 1, 2).unwrap();
    assert_eq!(facts.description, "conv1 filter 3 of 3 (1×2 kernels on 2 channels): removed: all 4 of its weights are pruned. Enter or a click opens its weights.");
    assert_eq!((facts.tensor, facts.tile, facts.row), (Some(0), 2, 0));
}

#[test]
fn changes_since_the_step_shown_before_mark_removed_and_regrown_connections() {
    let v = view(2, 0);
    let changes = |kind: Change| {
        v.layers[0]
            .links
            .iter()
            .filter(|l| l.change == kind)
            .count()
    };
    assert_eq!(
        changes(Change::Removed),
        3,
        "kernel (1,1) and filter 3's two"
    );
    assert_eq!(changes(Change::Kept), 3);
    // A removed connection keeps its strength from the step before, so it can fade out.
    let gone = v.layers[0]
        .links
        .iter()
        .find(|l| l.from == 1 && l.to == 1)
        .unwrap();
    assert!((gone.strength - (0.02f32).sqrt()).abs() < 1e-6);

    let later = view(4, 2);
    let dense = &later.layers[2].links;
    let regrown = dense.iter().find(|l| l.change == Change::Regrown).unwrap();
    assert_eq!((regrown.from, regrown.point, regrown.to), (0, 0, 0));
    assert!((regrown.strength - 0.05).abs() < 1e-6);
    let removed = dense.iter().find(|l| l.change == Change::Removed).unwrap();
    // fc1 weight 7 = unit 1, feature 1: map 0, point 1; its weight at step 2 was −0.7.
    assert_eq!((removed.from, removed.point, removed.to), (0, 1, 1));
    assert!(!removed.positive);
    assert_eq!(dense.len(), 11, "10 kept at step 4 plus the one removed");
    assert_eq!(later.visible, 3 + 10);
    // Scrubbing back: what step 2 pruned comes back.
    let back = view(0, 2);
    assert_eq!(
        back.layers[2]
            .links
            .iter()
            .filter(|l| l.change == Change::Regrown)
            .count(),
        2
    );
}

#[test]
fn node_facts_name_the_node_and_the_weights_tile_it_opens() {
    let h = history();
    let v = view(2, 2);
    // Step 2 pruned fc1 weights 0 and 5, both into unit 1.
    let output = node_facts(&h, &v, 3, 0).unwrap();
    assert_eq!(
        output.description,
        "Output 1 (class 0): 4 of 6 incoming weights kept. Enter or a click opens its weights."
    );
    // fc1 reads 3 maps of 1×2: the Weights view draws one tile per unit.
    let second = node_facts(&h, &v, 3, 1).unwrap();
    assert_eq!((second.tensor, second.tile, second.row), (Some(1), 1, 0));
    let map = node_facts(&h, &v, 2, 0).unwrap();
    assert_eq!(map.description, "maps 1 of 3 (1×2), made by conv1 filter 1 of 3: 3 of 4 weights kept; 2 of 2 input kernels visible. Enter or a click opens its weights.");
    let input = node_facts(&h, &v, 0, 1).unwrap();
    assert_eq!(input.tensor, None);
    assert_eq!(input.description, "Input: 2 × 1×3 pixels. conv1 reads it.");
    assert_eq!(node_facts(&h, &v, 9, 0), None);
    assert_eq!(node_facts(&h, &v, 3, 2), None);
}

#[test]
fn an_input_digit_is_drawn_in_the_input_column_when_it_fits() {
    let pixels: Vec<f32> = (0..6).map(|i| i as f32).collect();
    let v = network_view(&history(), 0, 0, Some(&pixels)).unwrap();
    let image = v.columns[0].nodes[1].image.as_ref().unwrap();
    assert!(image.pixels);
    assert_eq!(image.values, [3.0, 4.0, 5.0], "channel 2");
    let wrong = network_view(&history(), 0, 0, Some(&pixels[..5])).unwrap();
    assert_eq!(wrong.columns[0].nodes[0].image, None);
}

/// One dense layer of 200 units × 50 inputs, every weight kept, too big to draw whole: the history
/// and its step-0 weights.
fn big_layer() -> (History, Vec<f32>) {
    let tensors = vec![TensorInfo {
        name: "fc1.weight".into(),
        shape: vec![200, 50],
        input: Shape::new(1, 5, 10),
    }];
    let mut h = History::new(tensors, vec![vec![true; 10_000]]);
    let weights: Vec<f32> = (0..10_000).map(|i| (i % 97) as f32 / 97.0 - 0.5).collect();
    h.records.snapshots.push(Snapshot {
        step: 0,
        weights: vec![weights.clone()],
        biases: Vec::new(),
    });
    (h, weights)
}

#[test]
fn big_layers_are_capped_and_say_so_while_the_counts_cover_everything() {
    let (h, weights) = big_layer();
    let v = network_view(&h, 0, 0, None).unwrap();
    assert_eq!(
        v.columns[0].points,
        (5, 10),
        "the 50 inputs are points of one image"
    );
    assert_eq!(v.columns[1].nodes.len(), 128, "units capped");
    assert_eq!(v.columns[1].total_nodes, 200);
    assert_eq!(v.layers[0].links.len(), 6_000);
    assert_eq!((v.visible, v.possible, v.drawn), (10_000, 10_000, 6_000));
    // The strongest 6,000 of the 128 units' 6,400 weights are the ones drawn (to 1/4096 of the
    // strongest).
    let mut candidates: Vec<f32> = weights[..128 * 50].iter().map(|w| w.abs()).collect();
    candidates.sort_by(|a, b| b.total_cmp(a));
    let weakest_drawn = v.layers[0]
        .links
        .iter()
        .map(|l| l.strength)
        .fold(f32::MAX, f32::min);
    let resolution = candidates[0] / 4096.0;
    assert!((weakest_drawn - candidates[5_999]).abs() <= resolution);
    let summary = network_summary(&h, &v);
    assert!(
        summary.text.contains("6,000 of them are drawn"),
        "{}",
        summary.text
    );
    assert!(summary
        .notes
        .iter()
        .any(|n| n == "output: the first 128 of 200 drawn"));
}

#[test]
fn no_view_before_weights_are_recorded() {
    let h = History::new(history().tensors, vec![vec![true; 12], vec![true; 12]]);
    assert_eq!(network_view(&h, 0, 0, None), None);
}

/// Chinese text: some CJK, and no English word (two ASCII letters in a row) once the layer
/// names, which are code, are set aside.
fn assert_chinese(text: &str) {
    chinese_text::assert_chinese_text(text, &["conv1", "fc1"], 2);
}

#[test]
fn the_view_its_summary_and_its_nodes_speak_chinese_when_asked() {
    let h = history();
    let zh = network_view_in(&h, 2, 0, None, Lang::Zh).unwrap();
    let en = view(2, 0);
    // The same picture; only the words differ, and English is what `network_view` gives.
    assert_eq!(zh.layers, en.layers);
    assert_eq!(network_view_in(&h, 2, 0, None, Lang::En).unwrap(), en);
    for column in &zh.columns {
        if column.tensor.is_none() || column.kind != ColumnKind::Filters {
            assert_chinese(&format!("{} {}", column.title, column.shape));
        }
    }
    let summary = network_summary(&h, &zh);
    assert_chinese(&summary.text);
    assert_eq!(
        summary.text,
        "显示的连接：13/18（conv1 卷积核 3/6，fc1 权重 10/12）。"
    );
    assert_eq!(
        network_summary(&h, &en).text,
        "Connections shown: 13 of 18 (conv1 3 of 6 kernels, fc1 10 of 12 weights)."
    );
    for (column, nodes) in zh.columns.iter().enumerate() {
        for node in 0..nodes.nodes.len() {
            let facts = node_facts(&h, &zh, column, node).unwrap();
            assert_chinese(&facts.description);
            let english = node_facts(&h, &en, column, node).unwrap();
            assert_eq!(
                (facts.tensor, facts.tile, facts.row),
                (english.tensor, english.tile, english.row)
            );
        }
    }
    for width in [400, 800] {
        assert_chinese(&network_title(&zh, width));
    }
    assert_eq!(
        network_title(&en, 800),
        "Network at step 2: 13 of 18 connections shown"
    );
}

#[test]
fn capped_layers_say_so_in_chinese() {
    let (h, _) = big_layer();
    let v = network_view_in(&h, 0, 0, None, Lang::Zh).unwrap();
    let summary = network_summary(&h, &v);
    assert_chinese(&summary.text);
    assert!(
        summary.text.contains("其中绘出 6,000 条"),
        "{}",
        summary.text
    );
    for note in &summary.notes {
        assert_chinese(note);
    }
}
