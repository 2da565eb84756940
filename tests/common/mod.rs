//! Helpers shared by the CLI contract tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs the `prunelab` binary built for this test run.
pub fn prunelab(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_prunelab"))
        .args(args)
        .output()
        .expect("runs")
}

/// A fresh, empty folder under target/ (tests never write to fixed /tmp paths).
pub fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The summary.json a run wrote into `dir`.
pub fn summary(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("summary.json")).unwrap()).unwrap()
}
