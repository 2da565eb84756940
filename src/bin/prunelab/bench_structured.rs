//! `prunelab bench --structured 0.5,0.75`: filter-l1 structured pruning measured twice — the
//! masked network (full-size tensors, pruned units masked) and the compacted one (the units cut
//! out, [`prunelab::nn::compact`]) — to show what physically removing filters buys.

use std::sync::Arc;
use std::time::Instant;

use prunelab::data::Dataset;
use prunelab::metrics::throughput::{measure_network_training, Throughput};
use prunelab::nn::{compact, ArchSpec, Network};
use prunelab::prune::apply::{prune_to_target, Granularity, PruneRequest};
use prunelab::prune::{Scope, ScoreContext, Strategy};
use prunelab::train::seeded_rng;
use serde_json::{json, Value};

use crate::args::BenchArgs;
use crate::output::{CliError, CliResult};

/// Measures every network at every target; prints a table unless `--json`; returns the JSON rows.
pub fn run(
    networks: &[(&'static str, ArchSpec)],
    args: &BenchArgs,
    dataset: &Arc<Dataset>,
) -> CliResult<Vec<Value>> {
    let mut rows = Vec::new();
    for (name, spec) in networks {
        for &target in &args.structured {
            let masked = pruned(spec, target, dataset)?;
            let compacted = compact(&masked).map_err(CliError::failure)?.network;
            let masked_macs = masked.forward_macs();
            let compact_macs = compacted.dense_forward_macs();
            let masked_rate = measure(masked, args, dataset)?;
            let compact_rate = measure(compacted, args, dataset)?;
            if !args.json {
                println!(
                    "{name:<10} filter-l1 {:>4.0}%  masked {:>6} params {:>8.0} samples/s  compacted {:>6} params {:>8} MACs {:>8.0} samples/s  ×{:.2}",
                    100.0 * target,
                    masked_rate.params,
                    masked_rate.train_samples_per_sec,
                    compact_rate.params,
                    compact_macs,
                    compact_rate.train_samples_per_sec,
                    compact_rate.train_samples_per_sec / masked_rate.train_samples_per_sec
                );
            }
            rows.push(json!({
                "name": name,
                "strategy": "filter-l1",
                "target_sparsity": target,
                "sparsity": masked_rate.sparsity,
                "masked_params": masked_rate.params,
                "masked_kept_params": masked_rate.kept_params,
                "masked_forward_macs_per_sample": masked_macs,
                "masked_train_samples_per_sec": masked_rate.train_samples_per_sec,
                "compact_params": compact_rate.params,
                "compact_forward_macs_per_sample": compact_macs,
                "compact_train_samples_per_sec": compact_rate.train_samples_per_sec,
                "speedup": compact_rate.train_samples_per_sec / masked_rate.train_samples_per_sec,
            }));
        }
    }
    Ok(rows)
}

/// Seeded initial weights pruned one-shot by filter L1 norm (layer scope), as `prune` would.
fn pruned(spec: &ArchSpec, target: f64, dataset: &Dataset) -> CliResult<Network> {
    let mut network = Network::seeded(spec, &mut seeded_rng(17, 1)).map_err(CliError::usage)?;
    let request = PruneRequest {
        strategy: Strategy::FilterL1,
        scope: Scope::Layer,
        granularity: Granularity::Filter,
        keep_output_layer: false,
        target,
    };
    // Filter norms read only the weights; the context is required by the signature.
    let context = ScoreContext {
        dataset,
        training_indices: &[],
        batch_size: 1,
        batches: 1,
        seed: 17,
        movement: None,
    };
    prune_to_target(&mut network, &request, &context).map_err(CliError::usage)?;
    Ok(network)
}

fn measure(network: Network, args: &BenchArgs, dataset: &Arc<Dataset>) -> CliResult<Throughput> {
    let start = Instant::now();
    let mut now = || start.elapsed().as_secs_f64();
    measure_network_training(
        network,
        args.batch_size,
        dataset.clone(),
        args.seconds,
        &mut now,
    )
    .map_err(CliError::usage)
}
