//! Command-line flags (clap). These names are a contract other tools script against: extend, don't rename.
//! The values of named choices (strategy, schedule, scope, …) are the core's own enums: their
//! names are defined once, in `prunelab::names`.

use std::path::PathBuf;
use std::sync::LazyLock;

use clap::builder::PossibleValue;
use clap::{Args, Parser, Subcommand, ValueEnum};
use prunelab::names::Named;
use prunelab::nn::OptimizerKind;
use prunelab::prune::apply::Granularity;
use prunelab::prune::{Scope, Strategy};
use prunelab::run::config::Rewind;
use prunelab::run::ScheduleKind;
use prunelab::train::{targeted_dropout, LrSchedule};

#[derive(Parser, Debug)]
#[command(
    name = "prunelab",
    version,
    about = "Train and prune a tiny CNN on the bundled MNIST digits.",
    long_about = "PruneLab trains a small convolutional network on 10,000 bundled MNIST digits \
(8,000 for training, 2,000 for testing) and prunes it. Everything is seeded: the same flags give \
the same result.\n\nStart with `prunelab train`, then look at `prunelab train --help`."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Train a network and report its test accuracy.
    #[command(allow_negative_numbers = true)]
    Train(TrainArgs),
    /// Train (or load) a network, prune it with a strategy, fine-tune, and report what it cost.
    #[command(allow_negative_numbers = true)]
    Prune(PruneArgs),
    /// Run 2–4 strategies from the same initial weights and data order; overlaid charts and a table.
    #[command(allow_negative_numbers = true)]
    Compare(CompareArgs),
    /// Prune one layer at a time at 10…90% (no fine-tuning) and record the accuracy drop.
    #[command(allow_negative_numbers = true)]
    Sensitivity(SensitivityArgs),
    /// Accuracy against sparsity: every strategy × sparsity × seed as an independent `prune` run,
    /// then sweep.csv and a chart with the mean and min–max over seeds. `--plan` prints the runs
    /// as command lines instead; `--collect DIR` merges their folders.
    #[command(
        allow_negative_numbers = true,
        mut_arg("target_sparsity", |a| a.required(false).default_value("0").hide(true)),
        mut_arg("seed", |a| a.hide(true))
    )]
    Sweep(SweepArgs),
    /// Measure training throughput (samples/s, one thread) and multiply-accumulates per sample.
    Bench(BenchArgs),
}

/// Settings shared by every command that trains.
#[derive(Args, Debug, Clone)]
pub struct TrainingFlags {
    /// Passes over the 8,000 training images.
    #[arg(long, default_value_t = 5)]
    pub epochs: u32,
    /// Seed for initial weights, data order and dropout.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Images per mini-batch (1 to 1024).
    #[arg(long, default_value_t = 16)]
    pub batch_size: usize,
    /// Peak learning rate (default: 0.005 for adam, 0.05 for sgd).
    #[arg(long)]
    pub learning_rate: Option<f32>,
    #[arg(long, value_enum, default_value_t = OptimizerKind::Adam)]
    pub optimizer: OptimizerKind,
    /// SGD momentum.
    #[arg(long, default_value_t = 0.9)]
    pub momentum: f32,
    /// Learning-rate schedule: cosine decay to 0 over the run, or constant.
    #[arg(long, value_enum, default_value_t = LrSchedule::Cosine)]
    pub lr_schedule: LrSchedule,
    /// L1 penalty on weights (proximal step; 0 = off).
    #[arg(long, default_value_t = 0.0)]
    pub l1: f32,
    /// L2 penalty on weights (0 = off).
    #[arg(long, default_value_t = 0.0)]
    pub l2: f32,
    /// Dropout rate on the input of dense layers (0 = off).
    #[arg(long, default_value_t = 0.0)]
    pub dropout: f32,
    /// Network preset: default (7,090 params), lenet5 (44,426), reference (5,994).
    #[arg(long, default_value = "default")]
    pub arch: String,
    /// A JSON architecture file (overrides --arch), e.g. {"input":{"channels":1,"height":28,"width":28},"layers":[{"kind":"conv","filters":8,"kernel":5}, ...]}.
    #[arg(long)]
    pub arch_json: Option<PathBuf>,
    /// Train on 7,000 images and report the 1,000-image validation slice instead of the test set
    /// (for choosing hyper-parameters without looking at the test images).
    #[arg(long)]
    pub validation: bool,
    /// Start from weights (and masks) in a PyTorch-style .npz file.
    #[arg(long)]
    pub init_npz: Option<PathBuf>,
    /// Write the final weights, biases and masks as a PyTorch-style .npz file.
    #[arg(long)]
    pub export_npz: Option<PathBuf>,
    /// Write history.csv and summary.json into this directory.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// No progress bar.
    #[arg(long)]
    pub quiet: bool,
}

#[derive(Args, Debug)]
pub struct TrainArgs {
    #[command(flatten)]
    pub flags: TrainingFlags,
}

#[derive(Args, Debug)]
pub struct SensitivityArgs {
    /// Scoring rule used inside each layer (see `prune --help`).
    #[arg(long, value_enum, default_value_t = Strategy::Magnitude)]
    pub strategy: Strategy,
    /// Sparsities tried on each layer, one layer at a time.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9"
    )]
    pub sparsities: Vec<f64>,
    /// Epochs of dense training before the scan (--epochs is not used here).
    #[arg(long, default_value_t = 3)]
    pub pretrain_epochs: u32,
    #[command(flatten)]
    pub flags: TrainingFlags,
}

#[derive(Args, Debug)]
pub struct BenchArgs {
    /// Print one JSON object on stdout instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Seconds of timed training per measurement (after a warm-up).
    #[arg(long, default_value_t = 2.0)]
    pub seconds: f64,
    /// Mini-batch size.
    #[arg(long, default_value_t = 32)]
    pub batch_size: usize,
    /// Unstructured sparsities to measure besides dense (random masks, the same fraction in every layer).
    #[arg(long, value_delimiter = ',', default_value = "0.5,0.75,0.9,0.95")]
    pub sparsities: Vec<f64>,
    /// Also measure filter-l1 structured pruning at these targets (e.g. 0.5,0.75): the masked
    /// network against the compacted one (whole filters and units removed, same logits).
    #[arg(long, value_delimiter = ',')]
    pub structured: Vec<f64>,
}

/// `--schedule`: one of the core's schedules, or `dynamic`, which the CLI also accepts for SET
/// and RigL (they are chosen by their strategy; the schedule name only says so).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScheduleChoice {
    Kind(ScheduleKind),
    Dynamic,
}

/// Every schedule of the core, then `dynamic`.
static SCHEDULE_CHOICES: LazyLock<Vec<ScheduleChoice>> = LazyLock::new(|| {
    ScheduleKind::all()
        .iter()
        .map(|&kind| ScheduleChoice::Kind(kind))
        .chain([ScheduleChoice::Dynamic])
        .collect()
});

impl ValueEnum for ScheduleChoice {
    fn value_variants<'a>() -> &'a [Self] {
        &SCHEDULE_CHOICES
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        match self {
            ScheduleChoice::Kind(kind) => kind.to_possible_value(),
            ScheduleChoice::Dynamic => Some(PossibleValue::new("dynamic")),
        }
    }
}

#[derive(Args, Debug)]
pub struct PruneArgs {
    /// Scoring rule.
    #[arg(long, value_enum, default_value_t = Strategy::Magnitude)]
    pub strategy: Strategy,
    #[command(flatten)]
    pub options: PruneOptions,
}

#[derive(Args, Debug)]
pub struct CompareArgs {
    /// 2 to 4 strategies, comma-separated (e.g. magnitude,random,rigl): each runs from the same
    /// initial weights and data order.
    #[arg(long, value_enum, value_delimiter = ',', required = true)]
    pub strategies: Vec<Strategy>,
    #[command(flatten)]
    pub options: PruneOptions,
}

#[derive(Args, Debug)]
pub struct SweepArgs {
    /// Strategies, comma-separated (e.g. magnitude,random).
    #[arg(long, value_enum, value_delimiter = ',')]
    pub strategies: Vec<Strategy>,
    /// Target sparsities, comma-separated, each from 0 to below 1.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "0,0.5,0.7,0.8,0.9,0.95,0.98"
    )]
    pub sparsities: Vec<f64>,
    /// Seeds, comma-separated: each seed is its own dense training, data order and pruning.
    #[arg(long, value_delimiter = ',', default_value = "1")]
    pub seeds: Vec<u64>,
    /// Print one self-contained `prunelab prune …` command line per run (each writing to
    /// OUT/runs/<run>/) and run nothing.
    #[arg(long, conflicts_with = "collect")]
    pub plan: bool,
    /// Merge the run folders under DIR/runs/ into DIR/sweep.csv and the chart; run nothing.
    #[arg(long, value_name = "DIR")]
    pub collect: Option<PathBuf>,
    #[command(flatten)]
    pub options: PruneOptions,
}

/// Everything about a pruning run but its strategy (shared by `prune` and `compare`).
#[derive(Args, Debug)]
pub struct PruneOptions {
    /// Layer: every layer loses the same fraction; global: one threshold over all layers
    /// (torch's global_unstructured).
    #[arg(long, value_enum, default_value_t = Scope::Layer)]
    pub scope: Scope,
    #[arg(long, value_enum, default_value_t = Granularity::Weight)]
    pub granularity: Granularity,
    /// How pruning is spread over training (dynamic: SET / RigL, chosen by --strategy set|rigl).
    #[arg(long, value_enum, default_value_t = ScheduleChoice::Kind(ScheduleKind::OneShot))]
    pub schedule: ScheduleChoice,
    /// Fraction of prunable weights (conv kernels, dense weights) to remove, 0 to below 1.
    #[arg(long)]
    pub target_sparsity: f64,
    /// Epochs of training after pruning (0: only apply the mask).
    #[arg(long, default_value_t = 2)]
    pub finetune_epochs: u32,
    /// Epochs of dense training before pruning (0: prune the starting weights, e.g. from --init-npz).
    #[arg(long, default_value_t = 5)]
    pub pretrain_epochs: u32,
    /// Iterative schedule: fraction of the remaining weights pruned at each pruning step.
    #[arg(long, default_value_t = 0.3)]
    pub prune_rate: f64,
    /// Gradual schedule: number of pruning steps (spread over the first half of fine-tuning).
    #[arg(long, default_value_t = 10)]
    pub prune_steps: u64,
    /// Loss increase that makes the rollback schedule undo a step.
    #[arg(long, default_value_t = 0.05)]
    pub tolerance: f64,
    /// Leave the output layer unpruned.
    #[arg(long)]
    pub keep_output_layer: bool,
    /// Per-layer sparsity overrides, e.g. conv1=0.3,fc1=0.9 (layers conv1, conv2, …, fc1, …):
    /// those layers go to their own sparsity, the others to --target-sparsity (with --scope
    /// global, to what the total target still needs). Stepped schedules scale them alike.
    #[arg(long, value_name = "LAYER=SPARSITY,...")]
    pub layer_sparsity: Option<String>,
    /// Lottery schedule: rewind the kept weights to the initial ones, to those after --rewind-step
    /// steps, or to fresh random ones (the control).
    #[arg(long, value_enum, default_value_t = Rewind::Init)]
    pub rewind: Rewind,
    /// Lottery schedule with --rewind early: the step whose weights are kept.
    #[arg(long, default_value_t = 200)]
    pub rewind_step: u64,
    /// set / rigl: steps between drop-and-regrow updates.
    #[arg(long, default_value_t = 100)]
    pub regrow_interval: u64,
    /// set / rigl: initial drop fraction α (cosine decay to 0 at 75% of training).
    #[arg(long, default_value_t = 0.3)]
    pub regrow_fraction: f64,
    /// targeted-dropout: fraction γ of each layer's smallest weights targeted at every training
    /// step, 0 to 1.
    #[arg(long, default_value_t = targeted_dropout::DEFAULT_GAMMA)]
    pub td_gamma: f64,
    /// targeted-dropout: probability α that a targeted weight is dropped (set to 0, not updated)
    /// in a step, 0 to 1.
    #[arg(long, default_value_t = targeted_dropout::DEFAULT_ALPHA)]
    pub td_alpha: f64,
    #[command(flatten)]
    pub flags: TrainingFlags,
}
