//! Runs lessons natively with the same core as the CLI (`PruningRun`) and checks their claims with
//! `run::lessons::outcome`, the function the page calls. Runs are spread over the machine's cores.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use prunelab::data::{bundled, Dataset};
use prunelab::run::history::History;
use prunelab::run::lessons::{outcome, run_metrics, text, Lesson, Metric, Outcome};
use prunelab::run::{PruningRun, RunConfig};

/// The seeds a lesson is checked on: three after its own.
pub fn check_seeds(lesson: &Lesson) -> Vec<u64> {
    let own = lesson.prepared.configs[0].train.seed;
    (1..=3).map(|k| own + k).collect()
}

/// A run's history, or why it failed.
type RunResult = Result<History, String>;

/// One lesson at one seed: its outcome (every claim judged), or why the runs failed.
pub struct Checked {
    pub lesson: String,
    pub seed: u64,
    pub outcome: Result<Outcome, String>,
    /// Each run's metrics, for the probe printout.
    pub metrics: Vec<(String, String)>,
}

impl Checked {
    /// One line per claim that does not hold, naming the lesson, the claim and the seed.
    pub fn failures(&self) -> Vec<String> {
        match &self.outcome {
            Err(why) => vec![format!(
                "lesson `{}`, seed {}: the run failed: {why}",
                self.lesson, self.seed
            )],
            Ok(outcome) => outcome
                .claims
                .iter()
                .filter(|c| !c.holds)
                .map(|c| {
                    format!(
                        "lesson `{}`, claim “{}”, seed {}: does not hold ({})",
                        self.lesson, c.text, self.seed, c.detail
                    )
                })
                .collect(),
        }
    }
}

/// Runs every lesson at each of `seeds(lesson)` (all runs of a lesson share the seed) on
/// `threads` threads, longest runs first.
pub fn check_lessons(
    lessons: &[Lesson],
    seeds: impl Fn(&Lesson) -> Vec<u64>,
    threads: usize,
) -> Vec<Checked> {
    let data: Arc<Dataset> = Arc::new(bundled().expect("the bundled dataset loads"));
    // One job per distinct configuration: lessons that share a run (same settings, same seed)
    // train it once.
    let mut configs: Vec<RunConfig> = Vec::new();
    let mut job_of: BTreeMap<(usize, u64, usize), usize> = BTreeMap::new();
    for (l, lesson) in lessons.iter().enumerate() {
        for seed in seeds(lesson) {
            for (r, config) in lesson.prepared.configs.iter().enumerate() {
                let mut config = config.clone();
                config.train.seed = seed;
                let job = configs
                    .iter()
                    .position(|c| *c == config)
                    .unwrap_or_else(|| {
                        configs.push(config);
                        configs.len() - 1
                    });
                job_of.insert((l, seed, r), job);
            }
        }
    }
    let mut order: Vec<usize> = (0..configs.len()).collect();
    order.sort_by_key(|&job| std::cmp::Reverse(cost(&configs[job])));
    let next = AtomicUsize::new(0);
    let histories: Vec<Mutex<Option<RunResult>>> =
        configs.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..threads.max(1) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(&job) = order.get(i) else { break };
                let history = run(configs[job].clone(), data.clone());
                *histories[job].lock().unwrap() = Some(history);
            });
        }
    });
    let results: Vec<RunResult> = histories
        .into_iter()
        .map(|h| h.into_inner().unwrap().expect("every job ran"))
        .collect();
    let mut checked = Vec::new();
    for (l, lesson) in lessons.iter().enumerate() {
        for seed in seeds(lesson) {
            let histories: Result<Vec<History>, String> = (0..lesson.runs.len())
                .map(|r| results[job_of[&(l, seed, r)]].clone())
                .collect();
            let mut metrics = Vec::new();
            let outcome = histories.map(|histories| {
                for ((run, config), history) in lesson
                    .runs
                    .iter()
                    .zip(&lesson.prepared.configs)
                    .zip(&histories)
                {
                    metrics.push((run.id.clone(), describe(config, history)));
                }
                let runs: Vec<(&str, &History)> = lesson
                    .runs
                    .iter()
                    .map(|r| r.id.as_str())
                    .zip(histories.iter())
                    .collect();
                outcome(lesson, &runs, None)
            });
            checked.push(Checked {
                lesson: lesson.id.clone(),
                seed,
                outcome,
                metrics,
            });
        }
    }
    checked
}

/// A rough cost, to start the longest runs first.
fn cost(config: &RunConfig) -> u64 {
    let params = config.architecture.param_count().unwrap_or(0) as u64;
    let epochs = u64::from(config.prune.pretrain_epochs + config.prune.finetune_epochs.max(1));
    params * epochs
}

fn run(config: RunConfig, data: Arc<Dataset>) -> Result<History, String> {
    let start = Instant::now();
    let mut run = PruningRun::new(config, data).map_err(|e| e.to_string())?;
    run.run_to_end().map_err(|e| e.to_string())?;
    if std::env::var_os("LESSON_TIMES").is_some() {
        eprintln!(
            "run of {} steps: {:.1} s",
            run.global_step(),
            start.elapsed().as_secs_f64()
        );
    }
    Ok(run.history().clone())
}

/// Every metric of a run, for the probe printout.
fn describe(config: &RunConfig, history: &History) -> String {
    let metrics = run_metrics(config, history);
    Metric::ALL
        .iter()
        .filter_map(|&m| {
            Some(format!(
                "{}={}",
                m.name(),
                text::display(m, metrics.get(m).ok()?)
            ))
        })
        .collect::<Vec<_>>()
        .join(" ")
}
