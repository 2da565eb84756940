//! A sweep: many runs that differ in strategy and target sparsity (an accuracy-vs-sparsity
//! curve per strategy). Runs with the same [`pretraining_key`] train the dense network once and
//! fork from it ([`PruningRun::fork`]: bit for bit the run a fresh start would give), and a point
//! whose run is the same as an earlier one's (sparsity 0 prunes nothing, so within one
//! pre-training the strategy makes no difference) is trained once and stands for both.
//!
//! [`group`] says what is trained, [`assign`] splits it between workers (the page), and
//! [`SweepRunner`] trains it run by run (the CLI, the page's workers, the tests).

use std::collections::VecDeque;

use super::config::RunConfig;
use super::pruning_run::{pretraining_key, PruningRun};
use crate::Result;

/// One pre-training and the runs that continue from it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PretrainingGroup {
    /// Whether the runs fork from one shared pre-training; `false`: one run that cannot share
    /// (SET, RigL, lottery), started fresh.
    pub shared: bool,
    /// The runs to train; each lists the sweep points (indices into the configurations) it stands
    /// for, its own first, then later points whose run is identical.
    pub runs: Vec<Vec<usize>>,
}

impl PretrainingGroup {
    /// Every point of the group, in run order.
    pub fn points(&self) -> impl Iterator<Item = usize> + '_ {
        self.runs.iter().flatten().copied()
    }
}

/// Whether `a` and `b` train the same run: equal, or at sparsity 0 (nothing pruned, no per-layer
/// overrides) with the same pre-training, different only in the strategy that would have scored.
pub fn same_run(a: &RunConfig, b: &RunConfig) -> bool {
    if a == b {
        return true;
    }
    let prunes_nothing =
        |c: &RunConfig| c.prune.target_sparsity == 0.0 && c.prune.layer_targets.is_empty();
    let mut other = b.clone();
    other.prune.strategy = a.prune.strategy;
    prunes_nothing(a)
        && prunes_nothing(b)
        && other == *a
        && pretraining_key(a).is_some()
        && pretraining_key(a) == pretraining_key(b)
}

/// The configurations grouped by pre-training, in order of first appearance.
pub fn group(configs: &[RunConfig]) -> Vec<PretrainingGroup> {
    let mut groups: Vec<(Option<String>, PretrainingGroup)> = Vec::new();
    for (i, config) in configs.iter().enumerate() {
        let key = pretraining_key(config);
        let slot = key
            .as_ref()
            .and_then(|k| groups.iter_mut().find(|(g, _)| g.as_ref() == Some(k)));
        let Some((_, group)) = slot else {
            groups.push((
                key.clone(),
                PretrainingGroup {
                    shared: key.is_some(),
                    runs: vec![vec![i]],
                },
            ));
            continue;
        };
        match group
            .runs
            .iter_mut()
            .find(|run| same_run(&configs[run[0]], config))
        {
            Some(run) => run.push(i),
            None => group.runs.push(vec![i]),
        }
    }
    groups.into_iter().map(|(_, g)| g).collect()
}

/// Rough cost of a piece in epochs: its pre-training plus each run's fine-tuning.
fn cost(configs: &[RunConfig], piece: &PretrainingGroup) -> f64 {
    let runs: f64 = piece.runs.iter().map(|r| run_cost(configs, r[0])).sum();
    pretrain_cost(configs, piece) + runs
}

fn pretrain_cost(configs: &[RunConfig], piece: &PretrainingGroup) -> f64 {
    f64::from(configs[piece.runs[0][0]].prune.pretrain_epochs)
}

fn run_cost(configs: &[RunConfig], point: usize) -> f64 {
    f64::from(configs[point].prune.finetune_epochs).max(0.25)
}

/// The sweep split between `workers` parallel workers: per worker, the pieces it trains in turn
/// (each piece trains its pre-training, then its runs). Groups go costliest first to the least
/// loaded worker; a shared group that would overrun the even share of the work by more than a
/// pre-training is split, the part that fits staying on that worker and the rest going on (each
/// part trains the same pre-training again, in parallel, so no later). A point at sparsity 0 and
/// the points sharing its run stay together.
pub fn assign(configs: &[RunConfig], workers: usize) -> Vec<Vec<PretrainingGroup>> {
    let mut groups: Vec<PretrainingGroup> = Vec::new();
    // Costliest first, by insertion (a handful of groups: no sort's code in the wasm).
    for g in group(configs) {
        let c = cost(configs, &g);
        let at = groups
            .iter()
            .position(|p| cost(configs, p) < c)
            .unwrap_or(groups.len());
        groups.insert(at, g);
    }
    let runs: usize = groups.iter().map(|g| g.runs.len()).sum();
    let workers = workers.clamp(1, runs.max(1));
    let total: f64 = groups.iter().map(|g| cost(configs, g)).sum();
    let largest_pretrain = groups
        .iter()
        .map(|g| pretrain_cost(configs, g))
        .fold(0.0, f64::max);
    // The even share, counting one extra pre-training per worker beyond the first.
    let share = (total + largest_pretrain * (workers - 1) as f64) / workers as f64;
    let mut loads = vec![0.0f64; workers];
    let mut out: Vec<Vec<PretrainingGroup>> = vec![Vec::new(); workers];
    for mut rest in groups {
        loop {
            let w = (0..workers)
                .min_by(|&a, &b| loads[a].total_cmp(&loads[b]))
                .expect("at least one worker");
            let pretrain = pretrain_cost(configs, &rest);
            let c = cost(configs, &rest);
            let fits = loads[w] + c <= share + pretrain;
            if fits || !rest.shared || rest.runs.len() < 2 {
                loads[w] += c;
                out[w].push(rest);
                break;
            }
            // The runs that fit in this worker's share (at least one, never all).
            let mut taken = 0;
            let mut load = loads[w] + pretrain;
            while taken + 1 < rest.runs.len() {
                let next = run_cost(configs, rest.runs[taken][0]);
                if taken > 0 && load + next > share {
                    break;
                }
                load += next;
                taken += 1;
            }
            let remaining = rest.runs.split_off(taken);
            loads[w] = load;
            out[w].push(rest);
            rest = PretrainingGroup {
                shared: true,
                runs: remaining,
            };
        }
    }
    out.retain(|pieces| !pieces.is_empty());
    out
}

/// Trains a sweep run by run: each group's pre-training once, then its runs forked from it.
pub struct SweepRunner<F> {
    configs: Vec<RunConfig>,
    groups: VecDeque<PretrainingGroup>,
    /// The current group's runs still to train.
    runs: VecDeque<Vec<usize>>,
    /// The current group's dense checkpoint (`None` for a group that does not share).
    checkpoint: Option<PruningRun>,
    /// Builds a fresh run of a configuration (its starting weights).
    start: F,
}

impl<F: FnMut(&RunConfig) -> Result<PruningRun>> SweepRunner<F> {
    /// A sweep of `configs`, whose runs start from `start(config)` (e.g. [`PruningRun::new`]).
    pub fn new(configs: Vec<RunConfig>, start: F) -> Self {
        let groups = group(&configs).into();
        SweepRunner {
            configs,
            groups,
            runs: VecDeque::new(),
            checkpoint: None,
            start,
        }
    }

    /// Trains the next run to its end; returns it with the points it stands for (its own first),
    /// or `None` when the sweep is done.
    pub fn next_run(&mut self) -> Option<Result<(Vec<usize>, PruningRun)>> {
        loop {
            if let Some(points) = self.runs.pop_front() {
                return Some(self.train(points));
            }
            let group = self.groups.pop_front()?;
            self.checkpoint = None;
            if group.shared {
                let first = &self.configs[group.runs[0][0]];
                let checkpoint = (self.start)(first).and_then(|mut run| {
                    run.run_pretraining()?;
                    Ok(run)
                });
                match checkpoint {
                    Ok(run) => self.checkpoint = Some(run),
                    Err(e) => return Some(Err(e)),
                }
            }
            self.runs = group.runs.into();
        }
    }

    fn train(&mut self, points: Vec<usize>) -> Result<(Vec<usize>, PruningRun)> {
        let config = &self.configs[points[0]];
        let mut run = match &self.checkpoint {
            Some(checkpoint) => checkpoint.fork(config.clone())?,
            None => (self.start)(config)?,
        };
        run.run_to_end()?;
        Ok((points, run))
    }
}
