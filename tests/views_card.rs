//! The results card's figures on a small network, checked against values worked out by hand
//! (the arithmetic is written out next to each), and against the network code itself: the same
//! masks on a real `Network` give the same kept parameters, MACs and compacted size.
//!
//! The network: input 1×6×6 → conv1 2 filters 3×3 (valid: 4×4 outputs) → ReLU → max-pool 2
//! (2×2×2) → fc1 3 units → ReLU → fc2 10 outputs (the digits). Prunable tensors:
//! - conv1.weight [2, 1, 3, 3]: 18 weights, 16 output positions per filter;
//! - fc1.weight [3, 8] reading 2×2×2 (channel c is columns 4c..4c+4);
//! - fc2.weight [10, 3].
//!
//! The masks at the end (structured-looking, as filter pruning leaves them):
//! - conv1: filter 1 entirely pruned (indices 9..18), and indices 0, 1, 2 of filter 0: 6 kept;
//! - fc1: unit 2 entirely pruned (16..24), and in units 0 and 1 the columns reading conv1's
//!   filter 1 (4..8, 12..16): 8 kept;
//! - fc2: the weights reading fc1's unit 2 (indices 3u + 2): 20 kept.

#[cfg(not(target_arch = "wasm32"))]
mod common;

use prunelab::i18n::Lang;
use prunelab::metrics::{training_macs_per_example, ENERGY_MODEL};
use prunelab::names::Named;
use prunelab::nn::{compact, ArchSpec, Layer, LayerSpec, Network, Shape};
use prunelab::run::history::{EvalRecord, History, MaskDelta, Phase, StepRecord, TensorInfo};
use prunelab::run::views::card::{compaction, time_verdict, CSR_FORMAT};
use prunelab::run::views::{results_card, results_card_in, MeasuredTime};

fn spec() -> ArchSpec {
    ArchSpec {
        input: Shape::new(1, 6, 6),
        layers: vec![
            LayerSpec::Conv {
                filters: 2,
                kernel: 3,
            },
            LayerSpec::Relu,
            LayerSpec::MaxPool { size: 2 },
            LayerSpec::Dense { units: 3 },
            LayerSpec::Relu,
            LayerSpec::Dense { units: 10 },
        ],
    }
}

/// Pruned indices per tensor (see the module doc).
fn removed() -> [Vec<u32>; 3] {
    [
        [0, 1, 2].into_iter().chain(9..18).collect(),
        (4..8).chain(12..16).chain(16..24).collect(),
        (0..10).map(|u| 3 * u + 2).collect(),
    ]
}

/// The network's prunable tensors as a run records them.
fn tensor_infos(network: &Network) -> Vec<TensorInfo> {
    network
        .layers()
        .iter()
        .zip(network.shapes())
        .filter_map(|(layer, &input)| {
            let weight = match layer {
                Layer::Conv(c) => &c.weight,
                Layer::Dense(d) => &d.weight,
                _ => return None,
            };
            Some(TensorInfo {
                name: weight.name.clone(),
                shape: weight.shape.clone(),
                input,
            })
        })
        .collect()
}

/// A finished run's history: dense until step 4, pruned to the masks above at step 5, trained
/// to step 6; 2,000 dense MACs and 1,000 actual so far.
fn history() -> History {
    let network = Network::new(&spec()).unwrap();
    let tensors = tensor_infos(&network);
    let initial = tensors
        .iter()
        .map(|t| vec![true; t.shape.iter().product()])
        .collect();
    let mut history = History::new(tensors, initial);
    history.dense_test_accuracy = Some(0.9);
    for (tensor, removed) in removed().into_iter().enumerate() {
        history.records.mask_deltas.push(MaskDelta {
            step: 5,
            tensor: tensor as u32,
            removed,
            regrown: vec![],
        });
    }
    history.records.steps.push(StepRecord {
        step: 6,
        epoch: 1.0,
        phase: Phase::FineTune,
        loss: 0.5,
        accuracy: 0.8,
        learning_rate: 0.01,
        kept: 49,
        macs_actual: 1_000,
        macs_dense: 2_000,
    });
    history.records.evals.push(EvalRecord {
        step: 6,
        epoch: 1.0,
        phase: Phase::FineTune,
        test_loss: 0.5,
        test_accuracy: 0.853,
        train_loss: None,
        train_accuracy: None,
        kept: 34,
        kept_per_tensor: vec![6, 8, 20],
        sparsity: 38.0 / 72.0,
        macs_actual: 1_000,
        macs_dense: 2_000,
    });
    history
}

/// The same masks on a real network.
fn pruned_network() -> Network {
    let mut network = Network::new(&spec()).unwrap();
    for (param, removed) in network.params_mut().filter(|p| p.is_weight).zip(removed()) {
        let mut keep = vec![true; param.len()];
        for i in removed {
            keep[i as usize] = false;
        }
        param.set_mask(keep);
    }
    network
}

#[test]
fn parameters_and_sizes_match_the_hand_count() {
    let card = results_card("magnitude", &history(), None);
    let (dense, pruned) = (&card.dense.network, &card.pruned.network);
    // Dense: conv1 18 + 2 biases, fc1 24 + 3, fc2 30 + 10 = 87 parameters.
    assert_eq!(dense.params, 87);
    // Pruned: 6 + 8 + 20 kept weights + 15 biases = 49.
    assert_eq!(pruned.params, 49);
    // fp32 stores every parameter, zeros included: 87 × 4 bytes both ways.
    assert_eq!((dense.bytes_fp32, pruned.bytes_fp32), (348, 348));
    // CSR = kept × (4 B value + 4 B column) + (rows + 1) × 4 B pointers + biases × 4 B:
    // dense  conv1 18×8 + 3×4 + 2×4 = 164, fc1 24×8 + 4×4 + 3×4 = 220, fc2 30×8 + 11×4 + 10×4 = 324;
    // pruned conv1  6×8 + 12 + 8 = 68,     fc1  8×8 + 16 + 12 = 92,     fc2 20×8 + 44 + 40 = 244.
    assert_eq!(dense.bytes_csr, 164 + 220 + 324);
    assert_eq!(pruned.bytes_csr, 68 + 92 + 244);
    assert!(CSR_FORMAT.contains("32-bit column indices"));
    assert!((card.sparsity - 38.0 / 72.0).abs() < 1e-12);
}

#[test]
fn macs_and_energy_match_the_hand_count() {
    let card = results_card("magnitude", &history(), None);
    let (dense, pruned) = (&card.dense.network, &card.pruned.network);
    // Inference: conv1 kept × 16 positions + fc1 kept + fc2 kept.
    // Dense 18×16 + 24 + 30 = 342; pruned 6×16 + 8 + 20 = 124.
    assert_eq!(dense.inference_macs_per_image, 342);
    assert_eq!(pruned.inference_macs_per_image, 124);
    // Training: 2 passes for the first layer, 3 after. Dense 2×288 + 3×24 + 3×30 = 738;
    // pruned 2×96 + 3×8 + 3×20 = 276.
    assert_eq!(dense.training_macs_per_image, 738);
    assert_eq!(pruned.training_macs_per_image, 276);
    // The run's cumulative training MACs and their energy at 9.6 pJ each.
    assert_eq!(
        (card.dense.training_macs, card.pruned.training_macs),
        (2_000, 1_000)
    );
    assert!((card.dense.training_energy_joules - 2_000.0 * 9.6e-12).abs() < 1e-20);
    assert!((card.pruned.training_energy_joules - 1_000.0 * 9.6e-12).abs() < 1e-20);
    assert_eq!(card.energy_model, ENERGY_MODEL);
}

#[test]
fn compaction_matches_the_hand_count() {
    let card = results_card("filter-l1", &history(), None);
    let compacted = card.compacted.expect("two whole units are pruned");
    // conv1 keeps filter 0: 1 × 9 weights + 1 bias = 10. fc1 keeps units 0 and 1, each reading
    // conv1's kept channel (4 columns): 2 × 4 + 2 = 10. fc2 (outputs, never cut) keeps all
    // 10 units, each reading fc1's 2 kept units: 10 × 2 + 10 = 30. 50 parameters, 200 bytes.
    assert_eq!(compacted.units_removed, 2);
    assert_eq!(compacted.params, 50);
    assert_eq!(compacted.bytes_fp32, 200);
}

#[test]
fn the_counts_agree_with_the_network_code() {
    let history = history();
    let card = results_card("magnitude", &history, None);
    let network = pruned_network();
    let dense = Network::new(&spec()).unwrap();
    assert_eq!(
        card.pruned.network.params,
        network.kept_param_count() as u64
    );
    assert_eq!(card.dense.network.params, dense.param_count() as u64);
    assert_eq!(
        card.pruned.network.inference_macs_per_image,
        network.forward_macs()
    );
    assert_eq!(
        card.dense.network.inference_macs_per_image,
        network.dense_forward_macs()
    );
    let (actual, all) = training_macs_per_example(&network);
    assert_eq!(card.pruned.network.training_macs_per_image, actual);
    assert_eq!(card.dense.network.training_macs_per_image, all);
    let compacted = compact(&network).unwrap();
    let counted = card.compacted.unwrap();
    assert_eq!(counted.params, compacted.params_after as u64);
    assert_eq!(counted.params, compacted.network.param_count() as u64);
}

#[test]
fn unstructured_masks_remove_no_unit() {
    let mut history = history();
    // Only a scattering of single weights: no filter or unit is emptied.
    history.records.mask_deltas = vec![MaskDelta {
        step: 5,
        tensor: 1,
        removed: vec![0, 9, 23],
        regrown: vec![],
    }];
    let masks = history.masks_at(6);
    assert_eq!(compaction(&history.tensors, &masks).units_removed, 0);
    let card = results_card("magnitude", &history, None);
    assert_eq!(card.compacted, None);
    let row = card
        .rows
        .iter()
        .find(|r| r.label.starts_with("Size, compacted"))
        .unwrap();
    assert_eq!(row.pruned, "no filter or unit emptied");
}

#[test]
fn the_rows_read_the_figures() {
    let card = results_card("magnitude", &history(), None);
    let row = |prefix: &str| {
        card.rows
            .iter()
            .find(|r| r.label.starts_with(prefix))
            .unwrap()
    };
    let accuracy = row("Test accuracy");
    assert_eq!(
        (accuracy.dense.as_str(), accuracy.pruned.as_str()),
        ("90.0%", "85.3%")
    );
    assert_eq!(accuracy.change, "−4.7\u{a0}pt");
    let params = row("Parameters");
    assert_eq!(
        (params.dense.as_str(), params.pruned.as_str()),
        ("87", "49")
    );
    // 49 / 87 − 1 = −43.7%.
    assert_eq!(params.change, "−43.7%");
    let csr = row("Size, sparse CSR");
    assert_eq!(
        (csr.dense.as_str(), csr.pruned.as_str()),
        ("708\u{a0}B", "404\u{a0}B")
    );
    assert_eq!(row("Size, dense fp32").change, "same");
    assert_eq!(
        row("Size, compacted").pruned,
        "200\u{a0}B (2 filters/units cut out)"
    );
    assert_eq!(row("Inference MACs").pruned, "124");
    assert_eq!(row("Training energy").dense, "19.2\u{a0}nJ");
    assert!(
        card.rows.iter().all(|r| !r.label.contains("measured")),
        "no times yet"
    );
    assert!(card.time_verdict.is_empty());
}

fn time(
    epoch_dense: f64,
    epoch_pruned: f64,
    inference_dense: f64,
    inference_pruned: f64,
) -> MeasuredTime {
    MeasuredTime {
        epoch_ms_dense: epoch_dense,
        epoch_ms_pruned: epoch_pruned,
        inference_1000_ms_dense: inference_dense,
        inference_1000_ms_pruned: inference_pruned,
        images_per_epoch: 8000,
    }
}

#[test]
fn measured_times_become_rows_and_a_plain_verdict() {
    let measured = time(632.0, 282.0, 43.5, 16.4);
    let card = results_card("magnitude", &history(), Some(&measured));
    let epoch = card
        .rows
        .iter()
        .find(|r| r.label.starts_with("Time per training epoch"))
        .unwrap();
    assert_eq!(
        epoch.label,
        "Time per training epoch (8,000 images, measured)"
    );
    assert_eq!(
        (epoch.dense.as_str(), epoch.pruned.as_str()),
        ("632\u{a0}ms", "282\u{a0}ms")
    );
    // 632 / 282 = 2.24.
    assert_eq!(epoch.change, "2.24× faster");
    assert_eq!(
        card.time_verdict,
        [
            "Pruning saved time: a training epoch took 282\u{a0}ms instead of 632\u{a0}ms (2.24× faster).",
            "Pruning saved time: inference on 1,000 images took 16.4\u{a0}ms instead of 43.5\u{a0}ms (2.65× faster).",
        ]
    );
}

#[test]
fn the_verdict_says_plainly_when_pruning_saved_no_time() {
    // Within 10%: no saving. 607 / 623 is 2.6% faster, 52 / 49 is 6% slower.
    let lines = time_verdict(&time(623.0, 607.0, 49.0, 52.0), Some("conv2"));
    assert_eq!(
        lines[0],
        "Pruning did not save time on a training epoch: 607\u{a0}ms against 623\u{a0}ms dense, a difference under 10% (within this measurement's noise)."
    );
    assert!(lines[1]
        .starts_with("Pruning did not save time on inference on 1,000 images: 52.0\u{a0}ms"));
    assert!(lines[2].starts_with("Why: conv2 still keeps at least half of its 3×3 weights"));
    // More than 10% slower says so.
    let slower = time_verdict(&time(500.0, 600.0, 40.0, 30.0), None);
    assert_eq!(
        slower[0],
        "Pruning did not save time on a training epoch: the pruned network was slower, 600\u{a0}ms against 500\u{a0}ms dense."
    );
    assert_eq!(slower.len(), 2, "no Winograd layer, no reason given");
}

#[test]
fn winograd_is_named_only_while_a_3x3_layer_keeps_half() {
    let mut history = history();
    // conv1 keeps 6 of 18 (a third): the direct sparse kernel runs, Winograd is not the reason.
    let measured = time(623.0, 607.0, 49.0, 48.0);
    let card = results_card("magnitude", &history, Some(&measured));
    assert_eq!(card.time_verdict.len(), 2);
    // Keep 9 of conv1's 18 (exactly half): Winograd runs and is named.
    history.records.mask_deltas[0].removed = (9..18).collect();
    let card = results_card("magnitude", &history, Some(&measured));
    assert_eq!(card.time_verdict.len(), 3);
    assert!(card.time_verdict[2].starts_with("Why: conv1 still keeps"));
}

#[test]
fn a_run_without_dense_accuracy_says_why() {
    let mut history = history();
    history.dense_test_accuracy = None;
    let card = results_card("set", &history, None);
    let accuracy = &card.rows[0];
    assert_eq!(
        (accuracy.dense.as_str(), accuracy.change.as_str()),
        ("—", "—")
    );
    assert!(card
        .notes
        .iter()
        .any(|n| n.contains("SET and RigL train sparse from step 0")));
}

#[test]
fn the_card_serialises_with_numbers_and_rows() {
    let card = results_card(
        "magnitude",
        &history(),
        Some(&time(600.0, 300.0, 40.0, 20.0)),
    );
    let json: serde_json::Value = serde_json::to_value(&card).unwrap();
    assert_eq!(json["dense"]["bytes_csr"], 708);
    assert_eq!(json["pruned"]["inference_macs_per_image"], 124);
    assert_eq!(json["compacted"]["bytes_fp32"], 200);
    assert_eq!(json["time"]["images_per_epoch"], 8000);
    assert_eq!(json["rows"].as_array().unwrap().len(), 11);
    assert_eq!(json["sparse_format"], CSR_FORMAT);
}

#[test]
fn long_times_are_grouped_and_short_ones_keep_a_decimal() {
    let card = results_card(
        "magnitude",
        &history(),
        Some(&time(1105.4, 296.0, 41.06, 9.94)),
    );
    let epoch = card
        .rows
        .iter()
        .find(|r| r.label.starts_with("Time per training"))
        .unwrap();
    assert_eq!(
        (epoch.dense.as_str(), epoch.pruned.as_str()),
        ("1,105\u{a0}ms", "296\u{a0}ms")
    );
    let inference = card
        .rows
        .iter()
        .find(|r| r.label.starts_with("Time per 1,000"))
        .unwrap();
    assert_eq!(
        (inference.dense.as_str(), inference.pruned.as_str()),
        ("41.1\u{a0}ms", "9.9\u{a0}ms")
    );
    assert_eq!(inference.change, "4.13× faster");
}

/// `prunelab prune --out DIR` writes the card as card.json; its compaction agrees with the
/// summary's (counted by nn::compact) on the default network.
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn the_cli_writes_the_card_next_to_the_summary() {
    let out = common::scratch("card-cli").join("run");
    let result = common::prunelab(&[
        "prune",
        "--strategy",
        "filter-l1",
        "--target-sparsity",
        "0.5",
        "--pretrain-epochs",
        "0",
        "--finetune-epochs",
        "0",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(result.status.success(), "{}", common::text(&result.stderr));
    let card: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("card.json")).unwrap()).unwrap();
    let summary = common::summary(&out);
    // conv1 keeps 5 of 10 filters, conv2 10 of 20: 130 + 460 + 2,510 parameters (prune_cli.rs).
    assert_eq!(card["compacted"]["params"], 130 + 460 + 2_510);
    assert_eq!(card["compacted"]["params"], summary["compact_params"]);
    assert_eq!(card["compacted"]["units_removed"], 5 + 10);
    assert_eq!(card["dense"]["params"], 7_090);
    assert_eq!(card["pruned"]["params"], summary["kept_params"]);
    assert_eq!(
        card["title"],
        "Filter L1 norm (structured) · One-shot to 50%"
    );
    assert!(
        card["time"].is_null(),
        "times are measured in the browser only"
    );
}

#[test]
fn the_card_reads_in_chinese_with_the_same_numbers() {
    let measured = time(632.0, 282.0, 43.5, 16.4);
    let english = results_card("magnitude", &history(), Some(&measured));
    let chinese = results_card_in("magnitude", &history(), Some(&measured), Lang::Zh);
    // The notes quote the constants the JSON export carries, word for word.
    let mut energy = ENERGY_MODEL.to_string();
    energy[..1].make_ascii_uppercase();
    assert_eq!(english.notes[0], format!("Sparse size: {CSR_FORMAT}."));
    assert_eq!(english.notes[1], format!("{energy}."));
    assert_eq!(chinese.rows.len(), english.rows.len());
    for (en, zh) in english.rows.iter().zip(&chinese.rows) {
        assert_eq!(en.dense, zh.dense, "{}", en.label);
        // The same figure first; only the compacted row says more after it, in words.
        let figure = |text: &str| text.split([' ', '（']).next().unwrap().to_string();
        assert_eq!(figure(&en.pruned), figure(&zh.pruned), "{}", en.label);
        assert_ne!(en.label, zh.label);
    }
    assert_eq!(chinese.rows[0].label, "测试准确率");
    let epoch = chinese
        .rows
        .iter()
        .find(|r| r.label.starts_with("每轮训练时间"));
    assert_eq!(epoch.unwrap().change, "快 2.24×");
    assert_eq!(
        chinese.time_verdict[0],
        "剪枝节省了时间：一轮训练用时 282\u{a0}ms，而不是 632\u{a0}ms（快 2.24×）。"
    );
    assert_eq!(
        (chinese.dense.clone(), chinese.sparsity),
        (english.dense.clone(), english.sparsity)
    );
}

#[test]
fn the_title_names_strategy_and_schedule_in_the_language_shown() {
    let mut config = prunelab::run::RunConfig::default();
    config.prune.target_sparsity = 0.9;
    let english = prunelab::run::views::card_title(&config);
    assert_eq!(
        english,
        format!(
            "{} · {} to 90%",
            config.prune.strategy.label(),
            config.prune.schedule.label()
        )
    );
    let chinese = prunelab::run::views::card_title_in(&config, Lang::Zh);
    assert_eq!(chinese, "权重大小剪枝 · 逐步（三次）至 90%");
}
