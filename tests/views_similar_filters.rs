//! The most similar pair of conv filters before pruning, on a hand-made history: the known pair
//! is found, its cosine matches the textbook formula, and the end-of-run fate is read from masks.

use prunelab::i18n::Lang;
use prunelab::nn::Shape;
use prunelab::run::history::{History, MaskDelta, PruneEvent, Snapshot, TensorInfo};
use prunelab::run::views::{similar_filters, similar_filters_in};

/// Four 1×2×2 filters. Dense: filters 0 and 2 point almost the same way (cos ≈ 0.995), 2 and 3
/// a little less (≈ 0.987), 0 and 3 less again (≈ 0.970), 1 is orthogonal to 0.
const DENSE: [f32; 16] = [
    1.0, 0.0, 0.0, 0.0, //
    0.0, 1.0, 0.0, 1.0, //
    1.0, 0.1, 0.0, 0.0, //
    0.9, 0.2, 0.1, 0.0,
];
/// After filter 2 was pruned at step 3, filter 3 trained into an exact copy of filter 0: a view
/// that looked after pruning would wrongly answer (0, 3) with cosine 1.
const AFTER: [f32; 16] = [
    1.0, 0.0, 0.0, 0.0, //
    0.0, 1.0, 0.0, 1.0, //
    0.0, 0.0, 0.0, 0.0, //
    1.0, 0.0, 0.0, 0.0,
];

fn history() -> History {
    let tensors = vec![
        TensorInfo {
            name: "conv1.weight".into(),
            shape: vec![4, 1, 2, 2],
            input: Shape::new(1, 4, 4),
        },
        TensorInfo {
            name: "fc1.weight".into(),
            shape: vec![2, 2],
            input: Shape::new(2, 1, 1),
        },
    ];
    let mut h = History::new(tensors, vec![vec![true; 16], vec![true; 4]]);
    h.records.events.push(PruneEvent {
        step: 3,
        accepted: true,
        target: 0.25,
        sparsity_before: 0.0,
        sparsity_after: 0.2,
        check_loss_before: None,
        check_loss_after: None,
        removed: 4,
    });
    h.records.mask_deltas.push(MaskDelta {
        step: 3,
        tensor: 0,
        removed: vec![8, 9, 10, 11],
        regrown: vec![],
    });
    for (step, conv) in [(0, DENSE), (4, AFTER)] {
        h.records.snapshots.push(Snapshot {
            step,
            weights: vec![conv.to_vec(), vec![0.1, 0.2, 0.3, 0.4]],
            biases: Vec::new(),
        });
    }
    h
}

/// `a·b / (‖a‖ ‖b‖)`, written out in f64.
fn textbook_cosine(a: &[f32], b: &[f32]) -> f64 {
    let dot: f64 = a
        .iter()
        .zip(b)
        .map(|(x, y)| f64::from(*x) * f64::from(*y))
        .sum();
    let norm = |v: &[f32]| v.iter().map(|x| f64::from(*x).powi(2)).sum::<f64>().sqrt();
    dot / (norm(a) * norm(b))
}

#[test]
fn the_most_similar_pair_is_found_in_the_dense_snapshot() {
    let pair = similar_filters(&history(), 0).expect("a conv tensor with 4 kept filters");
    assert_eq!((pair.first.index, pair.second.index), (0, 2));
    assert_eq!(pair.step, 0);
    let expected = textbook_cosine(&DENSE[0..4], &DENSE[8..12]);
    assert!((expected - 1.0 / 1.01f64.sqrt()).abs() < 1e-7); // 0.1 is not exact in f32
    assert!((f64::from(pair.cosine) - expected).abs() < 1e-6);
    // Every other pair is less similar, by the same formula.
    for (a, b) in [(0, 1), (0, 3), (1, 2), (1, 3), (2, 3)] {
        let other = textbook_cosine(&DENSE[a * 4..a * 4 + 4], &DENSE[b * 4..b * 4 + 4]);
        assert!(other < expected, "({a}, {b}): {other} vs {expected}");
    }
}

#[test]
fn the_pair_carries_its_weights_fate_and_a_caption_from_the_data() {
    let pair = similar_filters(&history(), 0).unwrap();
    assert!(!pair.first.pruned_by_end);
    assert!(pair.second.pruned_by_end);
    let tiles = &pair.grid.tiles;
    assert_eq!(tiles.len(), 2);
    assert_eq!((tiles[0].rows, tiles[0].cols), (2, 2));
    assert_eq!(tiles[0].values, DENSE[0..4]);
    assert_eq!(tiles[1].values, DENSE[8..12]);
    assert_eq!(tiles[1].label, "filter 3");
    assert_eq!(
        pair.caption,
        "conv1 filters 1 and 3: cosine 1.00 at step 0, before pruning; \
         filter 3 was removed by the end"
    );
    assert_eq!(pair.grid.title, "conv1 filters 1 and 3: cosine 1.00");
}

#[test]
fn a_dense_layer_or_a_missing_tensor_has_no_filter_pair() {
    let h = history();
    assert_eq!(similar_filters(&h, 1), None);
    assert_eq!(similar_filters(&h, 7), None);
}

#[test]
fn the_pair_speaks_chinese_with_the_same_figures() {
    let english = similar_filters(&history(), 0).unwrap();
    let chinese = similar_filters_in(&history(), 0, Lang::Zh).unwrap();
    assert_eq!(chinese.cosine, english.cosine);
    assert_eq!(chinese.grid.tiles.len(), english.grid.tiles.len());
    let cjk = |text: &str| text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    for text in [
        &chinese.caption,
        &chinese.grid.title,
        &chinese.grid.tiles[0].label,
    ] {
        assert!(cjk(text) && !text.contains("filters"), "{text}");
    }
    assert!(chinese.caption.contains(&format!("{:.2}", english.cosine)));
}
