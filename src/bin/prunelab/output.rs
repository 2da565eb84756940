//! Errors with exit codes, building settings from flags, and the files a run writes.

use std::fs;
use std::path::Path;
use std::sync::Arc;

use prunelab::data::Dataset;
use prunelab::nn::{ArchSpec, Network, OptimizerKind};
use prunelab::train::TrainConfig;

use crate::args::TrainingFlags;

/// A message for the user and the process exit code (2 = bad input, nothing written; 1 = run failed).
pub struct CliError {
    pub message: String,
    pub exit_code: u8,
}

impl CliError {
    pub fn usage(message: impl std::fmt::Display) -> Self {
        CliError {
            message: message.to_string(),
            exit_code: 2,
        }
    }

    pub fn failure(message: impl std::fmt::Display) -> Self {
        CliError {
            message: message.to_string(),
            exit_code: 1,
        }
    }
}

pub type CliResult<T> = Result<T, CliError>;

/// The architecture and training settings named by the flags, validated.
pub fn settings(flags: &TrainingFlags) -> CliResult<(ArchSpec, TrainConfig)> {
    let spec = match &flags.arch_json {
        Some(path) => {
            let text = fs::read_to_string(path).map_err(|e| {
                CliError::usage(format!("cannot read --arch-json {}: {e}", path.display()))
            })?;
            serde_json::from_str(&text)
                .map_err(|e| CliError::usage(format!("--arch-json {}: {e}", path.display())))?
        }
        None => ArchSpec::preset(&flags.arch).map_err(CliError::usage)?,
    };
    spec.output_shapes().map_err(CliError::usage)?;
    let optimizer = flags.optimizer;
    let default_rate = match optimizer {
        OptimizerKind::Sgd => 0.05,
        OptimizerKind::Adam => TrainConfig::default().learning_rate,
    };
    let config = TrainConfig {
        epochs: flags.epochs,
        batch_size: flags.batch_size,
        learning_rate: flags.learning_rate.unwrap_or(default_rate),
        optimizer,
        momentum: flags.momentum,
        schedule: flags.lr_schedule,
        l1: flags.l1,
        l2: flags.l2,
        dropout: flags.dropout,
        seed: flags.seed,
        // Set by a run from its strategy (`RunConfig::effective_train`).
        targeted_dropout: None,
    };
    config.validate().map_err(CliError::usage)?;
    Ok((spec, config))
}

/// The bundled 10,000 digits.
pub fn dataset() -> CliResult<Arc<Dataset>> {
    prunelab::data::bundled()
        .map(Arc::new)
        .map_err(CliError::failure)
}

/// Loads `--init-npz` into a fresh network of `spec` (bad files are bad input: exit code 2).
pub fn load_init(spec: &ArchSpec, network: &mut Network, path: &Path) -> CliResult<()> {
    let bytes = fs::read(path)
        .map_err(|e| CliError::usage(format!("cannot read --init-npz {}: {e}", path.display())))?;
    let tensors = prunelab::io::read_npz(&bytes)
        .map_err(|e| CliError::usage(format!("--init-npz {}: {e}", path.display())))?;
    debug_assert_eq!(network.spec(), spec);
    prunelab::io::state_dict::load_named_tensors(network, &tensors)
        .map_err(|e| CliError::usage(format!("--init-npz {}: {e}", path.display())))
}

/// Checks that output paths can be created before any training starts.
pub fn check_writable(flags: &TrainingFlags) -> CliResult<()> {
    if let Some(dir) = &flags.out {
        if dir.exists() && !dir.is_dir() {
            return Err(CliError::usage(format!(
                "--out {} exists and is not a directory",
                dir.display()
            )));
        }
    }
    if let Some(file) = &flags.export_npz {
        if file.is_dir() {
            return Err(CliError::usage(format!(
                "--export-npz {} is a directory",
                file.display()
            )));
        }
        if let Some(parent) = file.parent().filter(|p| !p.as_os_str().is_empty()) {
            if !parent.is_dir() {
                return Err(CliError::usage(format!(
                    "--export-npz {}: folder {} does not exist",
                    file.display(),
                    parent.display()
                )));
            }
        }
    }
    Ok(())
}

pub fn write_file(path: &Path, contents: &[u8]) -> CliResult<()> {
    fs::write(path, contents)
        .map_err(|e| CliError::failure(format!("cannot write {}: {e}", path.display())))
}

pub fn create_dir(dir: &Path) -> CliResult<()> {
    fs::create_dir_all(dir)
        .map_err(|e| CliError::failure(format!("cannot create {}: {e}", dir.display())))
}

/// Writes the network's weights, biases and masks as a PyTorch-style .npz.
pub fn export_npz(network: &Network, path: &Path) -> CliResult<()> {
    let tensors = prunelab::io::state_dict::to_named_tensors(network);
    let bytes = prunelab::io::write_npz(&tensors).map_err(CliError::failure)?;
    write_file(path, &bytes)
}
