//! `prunelab train`: train a network, print one line per epoch, optionally write history and summary.

use std::fmt::Write as _;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use prunelab::nn::Network;
use prunelab::train::{seeded_rng, BatchReport, EpochReport, EvalSet, TrainObserver, Trainer};
use serde_json::json;

use crate::args::TrainArgs;
use crate::output::{self, CliError, CliResult};

/// Progress bar per epoch, and a printed line when an epoch ends.
struct ConsoleObserver {
    bar: ProgressBar,
    epochs: Vec<EpochReport>,
    total_epochs: u32,
}

impl TrainObserver for ConsoleObserver {
    fn on_batch(&mut self, report: &BatchReport) {
        if report.batch == 0 {
            self.bar.set_length(report.batches_per_epoch as u64);
            self.bar.set_position(0);
        }
        self.bar.inc(1);
        if report.batch % 10 == 0 {
            self.bar.set_message(format!(
                "epoch {}/{} loss {:.4}",
                report.epoch + 1,
                self.total_epochs,
                report.loss
            ));
        }
    }

    fn on_epoch(&mut self, report: &EpochReport) {
        let line = format!(
            "epoch {:>3}  train loss {:.4}  train acc {:.2}%  {} loss {:.4}  {} acc {:.2}%",
            report.epoch,
            report.train_loss,
            100.0 * report.train_accuracy,
            report.eval_set,
            report.eval_loss,
            report.eval_set,
            100.0 * report.eval_accuracy
        );
        // suspend() prints above a visible bar and still prints when the bar is hidden.
        self.bar.suspend(|| println!("{line}"));
        self.epochs.push(report.clone());
    }
}

pub fn run(args: TrainArgs) -> CliResult<()> {
    let flags = args.flags;
    let (spec, config) = output::settings(&flags)?;
    output::check_writable(&flags)?;
    let mut network = Network::new(&spec).map_err(CliError::usage)?;
    network.initialize(&mut seeded_rng(config.seed, 1));
    if let Some(path) = &flags.init_npz {
        output::load_init(&spec, &mut network, path)?;
    }
    let dataset = output::dataset()?;
    let eval_set = if flags.validation {
        EvalSet::Validation
    } else {
        EvalSet::Test
    };
    let mut trainer = Trainer::with_network(network, config.clone(), dataset, eval_set)
        .map_err(CliError::usage)?;

    let bar = if flags.quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::new(0)
    };
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} batches  {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let mut observer = ConsoleObserver {
        bar,
        epochs: Vec::new(),
        total_epochs: config.epochs,
    };
    let started = Instant::now();
    trainer.run(&mut observer).map_err(CliError::failure)?;
    let seconds = started.elapsed().as_secs_f64();
    observer.bar.finish_and_clear();

    let last = observer
        .epochs
        .last()
        .cloned()
        .ok_or_else(|| CliError::failure("no epoch finished"))?;
    let samples = trainer.training_indices().len() as f64 * config.epochs as f64;
    println!(
        "{} accuracy {:.2}% after {} epochs ({:.1} s, {:.0} samples/s); {} of {} parameters kept",
        last.eval_set,
        100.0 * last.eval_accuracy,
        config.epochs,
        seconds,
        samples / seconds,
        trainer.network.kept_param_count(),
        trainer.network.param_count()
    );

    if let Some(dir) = &flags.out {
        output::create_dir(dir)?;
        let mut csv = String::from("epoch,step,train_loss,train_accuracy,eval_set,eval_loss,eval_accuracy,learning_rate,kept_params\n");
        for e in &observer.epochs {
            let _ = writeln!(
                csv,
                "{},{},{},{},{},{},{},{},{}",
                e.epoch,
                e.step,
                e.train_loss,
                e.train_accuracy,
                e.eval_set,
                e.eval_loss,
                e.eval_accuracy,
                e.learning_rate,
                trainer.network.kept_param_count()
            );
        }
        output::write_file(&dir.join("history.csv"), csv.as_bytes())?;
        let test = trainer.split().test.clone();
        let test_eval = trainer.evaluate(&test);
        let summary = json!({
            "test_accuracy": test_eval.accuracy,
            "test_loss": test_eval.loss,
            "eval_set": last.eval_set,
            "eval_accuracy": last.eval_accuracy,
            "total_params": trainer.network.param_count(),
            "kept_params": trainer.network.kept_param_count(),
            "epochs": config.epochs,
            "seed": config.seed,
            "train_seconds": seconds,
            "train_samples_per_sec": samples / seconds,
            "forward_macs_per_sample": trainer.network.forward_macs(),
            "architecture": spec,
            "config": config,
        });
        let text = serde_json::to_string_pretty(&summary).map_err(CliError::failure)?;
        output::write_file(&dir.join("summary.json"), text.as_bytes())?;
    }
    if let Some(path) = &flags.export_npz {
        output::export_npz(&trainer.network, path)?;
    }
    Ok(())
}
