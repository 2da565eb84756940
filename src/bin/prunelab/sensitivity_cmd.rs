//! `prunelab sensitivity`: how much each layer can be pruned on its own. The dense network is
//! trained once; then each prunable layer in turn is pruned to each sparsity (the other layers
//! untouched, no fine-tuning) and the test accuracy recorded — the per-layer scan of Distiller and
//! NNI. The scan's compute (the dense training and every evaluation) is counted.

use std::fmt::Write as _;

use prunelab::charts::draw_line_chart;
use prunelab::charts::export::{render_png, render_svg};
use prunelab::charts::{LineChart, Series, SeriesStyle};
use prunelab::metrics::{energy_joules, ComputeCounter, ENERGY_MODEL};
use prunelab::prune::select::prune_by_amount;
use prunelab::prune::{Scope, ScoreContext, Strategy};
use prunelab::train::{EvalSet, TrainConfig, Trainer};
use serde_json::json;

use crate::args::SensitivityArgs;
use crate::output::{self, CliError, CliResult};

pub fn run(args: SensitivityArgs) -> CliResult<()> {
    let strategy = args.strategy;
    if strategy.is_structured() || strategy.is_dynamic() || strategy == Strategy::Movement {
        return Err(CliError::usage(format!(
            "--strategy {} cannot score one layer on its own here; use a per-weight rule such as magnitude, taylor or synflow",
            strategy.name()
        )));
    }
    if args.sparsities.is_empty()
        || args
            .sparsities
            .iter()
            .any(|s| !(s.is_finite() && (0.0..1.0).contains(s)))
    {
        return Err(CliError::usage(
            "--sparsities must list values from 0 to below 1",
        ));
    }
    if !(1..=100).contains(&args.pretrain_epochs) {
        return Err(CliError::usage(format!(
            "--pretrain-epochs {} is out of range; allowed: 1 to 100",
            args.pretrain_epochs
        )));
    }
    let flags = &args.flags;
    let (spec, config) = output::settings(flags)?;
    output::check_writable(flags)?;
    let dataset = output::dataset()?;
    let config = TrainConfig {
        epochs: args.pretrain_epochs,
        ..config
    };
    let mut trainer = Trainer::new(&spec, config.clone(), dataset.clone(), EvalSet::Test)
        .map_err(CliError::usage)?;
    let mut compute = ComputeCounter::default();
    let batch = config.batch_size;
    let train_len = trainer.training_indices().len();
    while !trainer.is_finished() {
        let examples = (train_len
            - (trainer.step() as usize % trainer.batches_per_epoch()) * batch)
            .min(batch);
        trainer.train_batch().map_err(CliError::failure)?;
        compute.add_batch(&trainer.network, examples);
    }
    let test = trainer.split().test.clone();
    let training = trainer.training_indices().to_vec();
    let dense = trainer.evaluate(&test).accuracy;
    compute.add_forward(&trainer.network, test.len());
    println!("dense: test accuracy {:.2}%", 100.0 * dense);

    let names: Vec<String> = trainer
        .network
        .params()
        .filter(|p| p.is_prunable())
        .map(|p| p.name.clone())
        .collect();
    let masks: Vec<Vec<bool>> = trainer
        .network
        .params()
        .filter_map(|p| p.mask().map(<[bool]>::to_vec))
        .collect();
    let context = ScoreContext {
        dataset: &dataset,
        training_indices: &training,
        batch_size: batch,
        batches: 4,
        seed: config.seed,
        movement: None,
    };
    let scores = strategy
        .scores(&mut trainer.network, &context)
        .map_err(CliError::failure)?;
    let dense_network = trainer.network.clone_parameters();
    let mut csv = String::from("layer,sparsity,test_accuracy,accuracy_drop\n");
    let mut series = Vec::new();
    for (layer, name) in names.iter().enumerate() {
        let skip: Vec<bool> = (0..names.len()).map(|t| t != layer).collect();
        let mut points = Vec::new();
        let mut line = format!("{name:<14}");
        for &sparsity in &args.sparsities {
            let selection = prune_by_amount(&masks, &scores, sparsity, Scope::Layer, &skip, 1);
            trainer.network = dense_network.clone_parameters();
            let mut new = selection.masks.into_iter();
            for param in trainer.network.params_mut().filter(|p| p.is_prunable()) {
                if let Some(mask) = new.next() {
                    param.set_mask(mask);
                }
            }
            let accuracy = trainer.evaluate(&test).accuracy;
            compute.add_forward(&trainer.network, test.len());
            let _ = writeln!(csv, "{name},{sparsity},{accuracy},{}", dense - accuracy);
            let _ = write!(
                line,
                " {:>5.0}%:{:>6.2}%",
                100.0 * sparsity,
                100.0 * accuracy
            );
            points.push((sparsity, accuracy as f64));
        }
        println!("{line}");
        series.push(Series {
            label: name.clone(),
            points,
            style: SeriesStyle {
                color_index: layer,
                dashed: false,
                markers: true,
            },
        });
    }
    let (low, high) = (
        args.sparsities
            .iter()
            .copied()
            .fold(f64::INFINITY, f64::min),
        args.sparsities
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max),
    );
    series.push(Series {
        label: "dense".into(),
        points: vec![(low, dense as f64), (high, dense as f64)],
        style: SeriesStyle {
            color_index: names.len(),
            dashed: true,
            markers: false,
        },
    });
    println!(
        "scan compute: {:.3e} MACs, {:.3} J — {ENERGY_MODEL}",
        compute.actual as f64,
        energy_joules(compute.actual)
    );
    if let Some(dir) = &flags.out {
        output::create_dir(dir)?;
        output::write_file(&dir.join("sensitivity.csv"), csv.as_bytes())?;
        let chart = LineChart {
            title: format!(
                "Sensitivity: one layer pruned at a time ({})",
                strategy.name()
            ),
            x_label: "sparsity of that layer".into(),
            y_label: "test accuracy (no fine-tuning)".into(),
            series,
            y_range: Some((0.0, 1.0)),
            ..LineChart::default()
        };
        let svg = render_svg(800, 450, |area| draw_line_chart(area, &chart))
            .map_err(|e| CliError::failure(e.0))?;
        output::write_file(&dir.join("sensitivity.svg"), svg.as_bytes())?;
        let png = render_png(800, 450, |area| draw_line_chart(area, &chart))
            .map_err(|e| CliError::failure(e.0))?;
        output::write_file(&dir.join("sensitivity.png"), &png)?;
        let summary = json!({
            "dense_test_accuracy": dense,
            "layers": names,
            "sparsities": args.sparsities,
            "strategy": strategy.name(),
            "pretrain_epochs": args.pretrain_epochs,
            "train_macs_actual": compute.actual,
            "energy_joules_estimate": energy_joules(compute.actual),
            "energy_model": ENERGY_MODEL,
            "seed": config.seed,
        });
        let text = serde_json::to_string_pretty(&summary).map_err(CliError::failure)?;
        output::write_file(&dir.join("summary.json"), text.as_bytes())?;
    }
    Ok(())
}
