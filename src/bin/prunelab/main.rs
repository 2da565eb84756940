//! The `prunelab` command-line tool: train, prune, compare strategies, benchmark.
//!
//! Contract for scripts: invalid flags or values print a message and exit with code 2 before anything
//! is written; a run that fails later (e.g. diverges) exits with code 1.

#[cfg(not(target_arch = "wasm32"))]
mod args;
#[cfg(not(target_arch = "wasm32"))]
mod bench_cmd;
#[cfg(not(target_arch = "wasm32"))]
mod bench_structured;
#[cfg(not(target_arch = "wasm32"))]
mod compare_cmd;
#[cfg(not(target_arch = "wasm32"))]
mod output;
#[cfg(not(target_arch = "wasm32"))]
mod prune_cmd;
#[cfg(not(target_arch = "wasm32"))]
mod run_charts;
#[cfg(not(target_arch = "wasm32"))]
mod sensitivity_cmd;
#[cfg(not(target_arch = "wasm32"))]
mod sweep_chart;
#[cfg(not(target_arch = "wasm32"))]
mod sweep_cmd;
#[cfg(not(target_arch = "wasm32"))]
mod sweep_collect;
#[cfg(not(target_arch = "wasm32"))]
mod sweep_plan;
#[cfg(not(target_arch = "wasm32"))]
mod train_cmd;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    use clap::Parser;
    let cli = args::Cli::parse();
    let result = match cli.command {
        args::Command::Train(train) => train_cmd::run(train),
        args::Command::Bench(bench) => bench_cmd::run(bench),
        args::Command::Prune(prune) => prune_cmd::run(prune),
        args::Command::Compare(compare) => compare_cmd::run(compare),
        args::Command::Sensitivity(scan) => sensitivity_cmd::run(scan),
        args::Command::Sweep(sweep) => sweep_cmd::run(sweep),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {}", error.message);
            std::process::ExitCode::from(error.exit_code)
        }
    }
}

/// The CLI is native only; the wasm build of the crate is the site.
#[cfg(target_arch = "wasm32")]
fn main() {}
