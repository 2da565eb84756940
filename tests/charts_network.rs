//! The network view drawn natively (RGB pixels and PNG): connections appear where weights are
//! kept and nowhere else, a pruning step flashes orange then fades, a removed filter is an empty
//! crossed outline.
//!
//! The network: `conv1.weight` `[4, 1, 3, 3]` on 1×8×8 inputs (6×6 out, pooled to 3×3), then
//! `fc1.weight` `[10, 36]`. Step 5 prunes every fc1 weight and all of filter 3 of conv1.
#![cfg(not(target_arch = "wasm32"))]

use prunelab::charts::export::{render_png, render_rgb};
use prunelab::charts::{draw_network, network_layout, NetworkLayout, REMOVING};
use prunelab::nn::Shape;
use prunelab::run::history::{History, MaskDelta, Snapshot, TensorInfo};
use prunelab::run::views::{network_view, NetworkView};

const WIDTH: u32 = 900;
const HEIGHT: u32 = 520;

fn weights(count: usize, seed: u32) -> Vec<f32> {
    (0..count)
        .map(|i| {
            let x = (i as u32).wrapping_mul(2_654_435_761).wrapping_add(seed) >> 16;
            (x % 1000) as f32 / 1000.0 - 0.5
        })
        .collect()
}

fn history() -> History {
    let tensors = vec![
        TensorInfo {
            name: "conv1.weight".into(),
            shape: vec![4, 1, 3, 3],
            input: Shape::new(1, 8, 8),
        },
        TensorInfo {
            name: "fc1.weight".into(),
            shape: vec![10, 36],
            input: Shape::new(4, 3, 3),
        },
    ];
    let mut h = History::new(tensors, vec![vec![true; 36], vec![true; 360]]);
    h.records.mask_deltas.push(MaskDelta {
        step: 5,
        tensor: 0,
        removed: (18..27).collect(),
        regrown: vec![],
    });
    h.records.mask_deltas.push(MaskDelta {
        step: 5,
        tensor: 1,
        removed: (0..360).collect(),
        regrown: vec![],
    });
    let (conv, fc) = (weights(36, 1), weights(360, 2));
    h.records.snapshots.push(Snapshot {
        step: 0,
        weights: vec![conv.clone(), fc],
        biases: Vec::new(),
    });
    let mut pruned_conv = conv;
    pruned_conv[18..27].fill(0.0);
    h.records.snapshots.push(Snapshot {
        step: 5,
        weights: vec![pruned_conv, vec![0.0; 360]],
        biases: Vec::new(),
    });
    h
}

fn view(step: u64, from: u64) -> NetworkView {
    network_view(&history(), step, from, Some(&weights(64, 3))).unwrap()
}

fn render(view: &NetworkView, progress: f64) -> Vec<u8> {
    render_rgb(WIDTH, HEIGHT, |area| draw_network(area, view, progress)).unwrap()
}

fn pixel(rgb: &[u8], x: usize, y: usize) -> (u8, u8, u8) {
    let i = (y * WIDTH as usize + x) * 3;
    (rgb[i], rgb[i + 1], rgb[i + 2])
}

/// The pixels of the gap where fc1's connections run (between the maps and the outputs), over
/// the plot's height.
fn dense_gap(rgb: &[u8], layout: &NetworkLayout) -> Vec<(u8, u8, u8)> {
    let maps = layout.columns[2];
    let outputs = layout.columns[3];
    let top = layout.nodes[3][0].y as usize;
    let bottom = layout.nodes[3][9].y as usize;
    let (left, right) = ((maps.x + maps.width) as usize + 2, outputs.x as usize - 2);
    let mut pixels = Vec::new();
    for y in top..bottom {
        for x in left..right {
            pixels.push(pixel(rgb, x, y));
        }
    }
    pixels
}

const WHITE: (u8, u8, u8) = (255, 255, 255);

#[test]
fn kept_dense_weights_draw_connections_and_a_fully_pruned_layer_draws_none() {
    let dense = view(0, 0);
    let layout = network_layout(&dense, WIDTH, HEIGHT);
    let drawn = dense_gap(&render(&dense, 1.0), &layout);
    let inked = drawn.iter().filter(|&&p| p != WHITE).count();
    assert!(
        inked > drawn.len() / 20,
        "360 connections ink the gap: {inked} of {}",
        drawn.len()
    );
    let pruned = view(5, 5);
    assert_eq!(pruned.layers[2].visible, 0);
    let empty = dense_gap(&render(&pruned, 1.0), &layout);
    assert!(
        empty.iter().all(|&p| p == WHITE),
        "no connection drawn for a fully pruned layer"
    );
}

#[test]
fn a_pruning_step_flashes_orange_then_fades_to_the_end_state() {
    let step = view(5, 0);
    let layout = network_layout(&step, WIDTH, HEIGHT);
    let orange = |p: &(u8, u8, u8)| p.0 > 200 && p.1 > 100 && p.1 < 190 && p.2 < 90;
    let flash = dense_gap(&render(&step, 0.2), &layout);
    assert!(
        flash.iter().filter(|p| orange(p)).count() > 500,
        "the removed connections flash"
    );
    let fading = dense_gap(&render(&step, 0.8), &layout);
    assert!(
        fading.iter().filter(|p| orange(p)).count() < flash.iter().filter(|p| orange(p)).count()
    );
    let end = dense_gap(&render(&step, 1.0), &layout);
    assert!(end.iter().all(|&p| p == WHITE), "gone at the end");
    assert_eq!(REMOVING.0, 0xff);
}

#[test]
fn a_removed_filter_is_a_crossed_outline_without_weights() {
    let step = view(5, 5);
    let layout = network_layout(&step, WIDTH, HEIGHT);
    let rgb = render(&step, 1.0);
    let inside = |rect: &prunelab::charts::NodeRect| {
        let mut colours = std::collections::HashSet::new();
        for y in rect.y.ceil() as usize + 2..(rect.y + rect.height) as usize - 2 {
            for x in rect.x.ceil() as usize + 2..(rect.x + rect.width) as usize - 2 {
                colours.insert(pixel(&rgb, x, y));
            }
        }
        colours
    };
    let removed = inside(&layout.nodes[1][2]);
    assert!(removed.contains(&WHITE), "empty inside: {removed:?}");
    assert!(
        removed.iter().all(|&(r, g, b)| r == g && g == b),
        "only the grey cross, antialiased, no weight colours: {removed:?}"
    );
    let kept = inside(&layout.nodes[1][1]);
    assert!(
        kept.len() >= 6,
        "a kept filter shows its 3×3 kernel: {kept:?}"
    );
}

#[test]
fn the_png_has_the_requested_size_and_bad_progress_is_an_error() {
    let v = view(5, 0);
    let png = render_png(640, 400, |area| draw_network(area, &v, 0.5)).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(u32::from_be_bytes(png[16..20].try_into().unwrap()), 640);
    let error = render_rgb(640, 400, |area| draw_network(area, &v, 1.5)).unwrap_err();
    assert!(error.0.contains("progress"), "{}", error.0);
    // A phone-sized area still lays every node out inside it.
    let layout = network_layout(&v, 360, 520);
    for rect in layout.nodes.iter().flatten() {
        assert!(rect.x >= 0.0 && rect.x + rect.width <= 360.0, "{rect:?}");
    }
    if std::env::var_os("NETWORK_PNG").is_some() {
        let png = render_png(WIDTH, HEIGHT, |area| draw_network(area, &v, 0.3)).unwrap();
        std::fs::write("target/network-test.png", png).unwrap();
    }
}
