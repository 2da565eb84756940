//! Everything that defines a pruning run, validated in one place. The CLI builds it from flags,
//! the browser from the URL hash; both get the same messages for the same mistakes.

use serde::{Deserialize, Serialize};

use crate::error::{below, between, out_of_range, ErrorCode};
use crate::i18n::plain;
use crate::names::{self, Named};
use crate::nn::ArchSpec;
use crate::prune::apply::Granularity;
use crate::prune::layer_targets::{self, LayerTarget};
use crate::prune::schedule::SparsitySchedule;
use crate::prune::{self, Scope, Strategy};
use crate::train::targeted_dropout::{self, TargetedDropoutSettings};
use crate::train::TrainConfig;
use crate::{Error, Result};

/// How pruning is spread over the run. Names and labels: see [`crate::names`]; the order here is
/// the order the CLI and the page list them in.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::Display,
    strum::VariantArray,
    strum::EnumMessage,
)]
#[strum(serialize_all = "kebab-case")]
pub enum ScheduleKind {
    /// Prune to the target at once, then fine-tune. Session files and links before
    /// the names were unified spelled it `one_shot`: still read.
    #[strum(to_string = "one-shot", serialize = "one_shot", message = "One-shot")]
    OneShot,
    /// Prune `prune_rate` of what remains at regular intervals (Han et al. 2015).
    #[strum(message = "Iterative")]
    Iterative,
    /// The cubic sparsity ramp of Zhu & Gupta (2017).
    #[strum(message = "Gradual (cubic)")]
    Gradual,
    /// Lottery-ticket iterative magnitude pruning (Frankle & Carbin 2019): train, prune
    /// `prune_rate` of what remains, rewind the kept weights (see [`Rewind`]), train again, until
    /// the target; the last round trains `finetune_epochs`, the others `pretrain_epochs`.
    #[strum(message = "Lottery ticket (rewinding)")]
    Lottery,
    /// The source document's loop: prune a chunk, measure the loss on held-out training images,
    /// roll the step back if the loss rose by more than `tolerance`, retry with half the chunk.
    #[strum(message = "Prune – check – roll back")]
    Rollback,
}

names::named!(ScheduleKind, "schedule");

/// What the lottery schedule rewinds the kept weights to after each pruning round.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Default,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::Display,
    strum::VariantArray,
    strum::EnumMessage,
)]
#[strum(serialize_all = "kebab-case")]
pub enum Rewind {
    /// The initial weights (Frankle & Carbin 2019).
    #[default]
    #[strum(message = "initial weights")]
    Init,
    /// The weights after `rewind_step` steps of the first round (Frankle et al. 2020).
    #[strum(message = "weights after {rewind_step} steps")]
    Early,
    /// Fresh random weights: the control — the same masks without the winning initialisation.
    #[strum(message = "fresh random weights (control)")]
    Random,
}

names::named!(Rewind, "rewind");

impl ScheduleKind {
    /// The canonical name, e.g. `one-shot`.
    pub fn name(self) -> &'static str {
        Named::name(self)
    }
}

/// The pruning half of a run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PruneSettings {
    pub strategy: Strategy,
    pub scope: Scope,
    /// Single weights or whole filters/units (structured rules always remove whole units).
    pub granularity: Granularity,
    pub schedule: ScheduleKind,
    /// Fraction of prunable weights to remove, in [0, 1).
    pub target_sparsity: f64,
    /// Epochs of dense training before pruning starts (0: prune the starting weights).
    pub pretrain_epochs: u32,
    /// Epochs of training during and after pruning (0 with one-shot: only apply the mask).
    pub finetune_epochs: u32,
    /// Iterative and rollback schedules: fraction of the remaining weights pruned per step.
    pub prune_rate: f64,
    /// Gradual schedule: number of pruning steps.
    pub prune_steps: u64,
    /// Rollback schedule: a step is undone when the held-out loss rises by more than this fraction.
    pub tolerance: f64,
    /// Leave the output layer unpruned.
    pub keep_output_layer: bool,
    /// Gradient-based rules average over this many mini-batches.
    pub gradient_batches: usize,
    /// Lottery: where the kept weights go back to after each round.
    pub rewind: Rewind,
    /// Lottery with `rewind = early`: the step of the first round whose weights are kept.
    pub rewind_step: u64,
    /// SET / RigL: steps between drop-and-regrow updates (ΔT).
    pub regrow_interval: u64,
    /// SET / RigL: initial drop fraction α (decays as (α/2)(1 + cos(πt/T_end)), T_end = `prune::regrow::REGROW_END_PERCENT`% of training).
    pub regrow_fraction: f64,
    /// Layers pruned to their own sparsity instead of the target (empty: none; see
    /// [`crate::prune::layer_targets`]). Missing in older session files and configs: empty.
    pub layer_targets: Vec<LayerTarget>,
    /// Targeted dropout: fraction γ of each layer's smallest weights targeted at every training
    /// step, in [0, 1]. Missing in older session files: the default.
    pub td_gamma: f64,
    /// Targeted dropout: probability α that a targeted weight is dropped in a step, in [0, 1].
    pub td_alpha: f64,
}

impl Default for PruneSettings {
    fn default() -> Self {
        PruneSettings {
            strategy: Strategy::Magnitude,
            scope: Scope::Layer,
            granularity: Granularity::Weight,
            schedule: ScheduleKind::Gradual,
            target_sparsity: 0.75,
            pretrain_epochs: 3,
            finetune_epochs: 3,
            prune_rate: 0.3,
            prune_steps: 10,
            tolerance: 0.05,
            keep_output_layer: false,
            gradient_batches: 4,
            rewind: Rewind::Init,
            rewind_step: 200,
            regrow_interval: 100,
            regrow_fraction: 0.3,
            layer_targets: Vec::new(),
            td_gamma: targeted_dropout::DEFAULT_GAMMA,
            td_alpha: targeted_dropout::DEFAULT_ALPHA,
        }
    }
}

/// The L1 penalty the `l1` strategy trains with when none is set (chosen on the validation slice:
/// at 90% one-shot sparsity it lifted the pruned accuracy by about 2 points over no penalty).
pub const DEFAULT_L1_PENALTY: f32 = 0.002;
/// The L2 penalty (weight decay) the `l2` strategy trains with when none is set.
pub const DEFAULT_L2_PENALTY: f32 = 0.01;

/// Upper bound on each phase, so a typo cannot start a run that never ends.
pub const MAX_PHASE_EPOCHS: u32 = 100;

/// A whole run: network, training settings and pruning settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RunConfig {
    pub architecture: ArchSpec,
    /// Optimiser, learning rate, batch size, penalties, seed. Its `epochs` is not used: a run lasts
    /// `prune.pretrain_epochs + prune.finetune_epochs`.
    pub train: TrainConfig,
    pub prune: PruneSettings,
    /// Test-set evaluations per epoch besides the one at each epoch's end and after each pruning step.
    pub evals_per_epoch: u32,
}

impl Default for RunConfig {
    fn default() -> Self {
        RunConfig {
            architecture: ArchSpec::default_cnn(),
            train: TrainConfig::default(),
            prune: PruneSettings::default(),
            evals_per_epoch: 2,
        }
    }
}

impl RunConfig {
    pub fn validate(&self) -> Result<()> {
        self.architecture.param_count()?;
        TrainConfig {
            epochs: 1,
            ..self.train.clone()
        }
        .validate()?;
        let p = &self.prune;
        prune::validate_target(p.target_sparsity)?;
        for (field, value) in [
            ("pretrain_epochs", p.pretrain_epochs),
            ("finetune_epochs", p.finetune_epochs),
        ] {
            if value > MAX_PHASE_EPOCHS {
                return Err(Error::setting(
                    field,
                    out_of_range(value, between(0, MAX_PHASE_EPOCHS)),
                ));
            }
        }
        if p.schedule != ScheduleKind::OneShot && p.finetune_epochs == 0 {
            return Err(Error::setting(
                "finetune_epochs",
                ErrorCode::ScheduleNeedsFinetune.with(vec![("schedule", plain(p.schedule.name()))]),
            ));
        }
        if !(p.prune_rate.is_finite() && p.prune_rate > 0.0 && p.prune_rate < 1.0) {
            return Err(Error::setting(
                "prune_rate",
                out_of_range(
                    p.prune_rate,
                    ErrorCode::RangeAboveBelow.with(vec![("min", plain(0)), ("max", plain(1))]),
                ),
            ));
        }
        if !(1..=1000).contains(&p.prune_steps) {
            return Err(Error::setting(
                "prune_steps",
                out_of_range(p.prune_steps, between(1, 1000)),
            ));
        }
        if !(p.tolerance.is_finite() && (0.0..=10.0).contains(&p.tolerance)) {
            return Err(Error::setting(
                "tolerance",
                out_of_range(p.tolerance, between(0, 10)),
            ));
        }
        if !(1..=64).contains(&p.gradient_batches) {
            return Err(Error::setting(
                "gradient_batches",
                out_of_range(p.gradient_batches, between(1, 64)),
            ));
        }
        if !(1..=100_000).contains(&p.regrow_interval) {
            return Err(Error::setting(
                "regrow_interval",
                out_of_range(
                    p.regrow_interval,
                    ErrorCode::RangeSteps.with(vec![("min", plain(1)), ("max", plain(100000))]),
                ),
            ));
        }
        if !(p.regrow_fraction.is_finite() && (0.0..1.0).contains(&p.regrow_fraction)) {
            return Err(Error::setting(
                "regrow_fraction",
                out_of_range(p.regrow_fraction, below(0, 1)),
            ));
        }
        self.targeted_dropout_settings().validate()?;
        if p.strategy.is_dynamic() && p.pretrain_epochs + p.finetune_epochs == 0 {
            return Err(Error::setting(
                "finetune_epochs",
                ErrorCode::DynamicNeedsEpochs.with(vec![("strategy", plain(p.strategy.name()))]),
            ));
        }
        if p.schedule == ScheduleKind::Lottery && p.pretrain_epochs == 0 {
            return Err(Error::setting(
                "pretrain_epochs",
                ErrorCode::LotteryNeedsPretrain.with(vec![]),
            ));
        }
        self.validate_layer_targets()?;
        if self.evals_per_epoch > 20 {
            return Err(Error::setting(
                "evals_per_epoch",
                out_of_range(self.evals_per_epoch, between(0, 20)),
            ));
        }
        Ok(())
    }

    /// Overrides name existing layers once, with a sparsity in [0, 1); a schedule must be able to
    /// apply them, and the output layer can only be overridden when it is pruned at all.
    fn validate_layer_targets(&self) -> Result<()> {
        let p = &self.prune;
        if p.layer_targets.is_empty() {
            return Ok(());
        }
        let names = layer_targets::layer_names(&self.architecture);
        let resolved = layer_targets::resolve(&names, &p.layer_targets)?;
        let structured = p.granularity == Granularity::Filter || p.strategy.is_structured();
        let output = names.len() - 1;
        if resolved.iter().any(|t| t.tensor == output) && (p.keep_output_layer || structured) {
            let code = if structured {
                ErrorCode::OutputLayerStructured
            } else {
                ErrorCode::OutputLayerKept
            };
            return Err(Error::setting(
                layer_targets::FIELD,
                code.with(vec![("layer", plain(&names[output]))]),
            ));
        }
        // Iterative, rollback and lottery schedules never prune towards a target of 0.
        let steps_to_target = matches!(
            p.schedule,
            ScheduleKind::Iterative | ScheduleKind::Rollback | ScheduleKind::Lottery
        );
        if p.target_sparsity == 0.0 && steps_to_target && !p.strategy.is_dynamic() {
            return Err(Error::setting(
                layer_targets::FIELD,
                ErrorCode::ScheduleNeedsTarget.with(vec![("schedule", plain(p.schedule.name()))]),
            ));
        }
        Ok(())
    }

    /// The training settings the run uses: the `l1` and `l2` strategies train with their penalty
    /// (the configured one, or the default when it is 0) so that pruning by |w| afterwards finds
    /// the weights the penalty pushed towards zero; `targeted-dropout` trains with targeted
    /// dropout (γ = `td_gamma`, α = `td_alpha`), and no other strategy does.
    pub fn effective_train(&self) -> TrainConfig {
        let mut train = self.train.clone();
        match self.prune.strategy {
            Strategy::L1 if train.l1 == 0.0 => train.l1 = DEFAULT_L1_PENALTY,
            Strategy::L2 if train.l2 == 0.0 => train.l2 = DEFAULT_L2_PENALTY,
            _ => {}
        }
        train.targeted_dropout = (self.prune.strategy == Strategy::TargetedDropout)
            .then(|| self.targeted_dropout_settings());
        train
    }

    /// γ and α as the trainer takes them.
    pub fn targeted_dropout_settings(&self) -> TargetedDropoutSettings {
        TargetedDropoutSettings {
            gamma: self.prune.td_gamma,
            alpha: self.prune.td_alpha,
        }
    }

    /// Lottery: the pruning rounds needed, `⌈log(1 − target) / log(1 − rate)⌉` (0 for target 0).
    pub fn lottery_rounds(&self) -> u32 {
        let p = &self.prune;
        if p.target_sparsity <= 0.0 {
            return 0;
        }
        ((1.0 - p.target_sparsity).ln() / (1.0 - p.prune_rate).ln() - 1e-9)
            .ceil()
            .max(1.0) as u32
    }

    /// The sparsity schedule over the pruning phase of `phase_steps` mini-batches: pruning is
    /// spread over its first half, so the second half fine-tunes the final mask.
    pub fn sparsity_schedule(&self, phase_steps: u64) -> SparsitySchedule {
        let p = &self.prune;
        let target = p.target_sparsity;
        if p.strategy.is_dynamic() {
            // Sparse from the first step; the drop-and-regrow updates keep the sparsity there.
            return SparsitySchedule::OneShot { target };
        }
        let half = (phase_steps / 2).max(1);
        match p.schedule {
            ScheduleKind::OneShot => SparsitySchedule::OneShot { target },
            ScheduleKind::Iterative | ScheduleKind::Rollback | ScheduleKind::Lottery => {
                // Pruning steps needed to reach the target: 1 − (1 − rate)^k ≥ target.
                let needed = ((1.0 - target).ln() / (1.0 - p.prune_rate).ln())
                    .ceil()
                    .max(1.0);
                SparsitySchedule::Iterative {
                    target,
                    rate: p.prune_rate,
                    interval: (half / needed as u64).max(1),
                }
            }
            ScheduleKind::Gradual => SparsitySchedule::Gradual {
                initial: 0.0,
                target,
                start: 0,
                interval: (half / p.prune_steps).max(1),
                steps: p.prune_steps,
            },
        }
    }
}
