//! A whole session as a versioned file: the configuration and the recorded history, so a run can
//! be shared, viewed without re-training, and resumed (by deterministic replay of its config).
//!
//! Reading is defensive: the size is capped before parsing, serde_json's nesting limit stops deep
//! nesting, and the history is checked against the architecture (tensor names and shapes, mask and
//! snapshot lengths, indices in range, steps in order, finite numbers) before anything uses it.
//! Every refusal names what is wrong; nothing is half-loaded.

use serde::{Deserialize, Serialize};

use super::{History, RunConfig};
use crate::nn::Network;
use crate::{Error, Result};

/// The `format` field of every session file.
pub const FORMAT: &str = "prunelab-session";
/// The version written; files from other versions are refused with a message.
pub const VERSION: u32 = 1;
/// Largest file read (a long LeNet-5 run is a few MB).
pub const MAX_SESSION_BYTES: usize = 64 << 20;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionFile {
    pub format: String,
    pub version: u32,
    pub config: RunConfig,
    pub history: History,
}

/// The session as JSON text.
pub fn encode(config: &RunConfig, history: &History) -> Result<String> {
    serde_json::to_string(&SessionFile {
        format: FORMAT.into(),
        version: VERSION,
        config: config.clone(),
        history: history.clone(),
    })
    .map_err(|e| Error::Session(format!("cannot write the session: {e}")))
}

/// Reads and checks a session file.
pub fn decode(bytes: &[u8]) -> Result<SessionFile> {
    let bad = |m: String| Error::Session(m);
    if bytes.len() > MAX_SESSION_BYTES {
        return Err(bad(format!(
            "the file is {} bytes; session files are at most {MAX_SESSION_BYTES} bytes",
            bytes.len()
        )));
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|_| bad("this is not a PruneLab session file (not UTF-8 text)".into()))?;
    // Look at the header first, so a file of another version gets the right message.
    #[derive(Deserialize)]
    struct Header {
        format: Option<String>,
        version: Option<u32>,
    }
    let header: Header = serde_json::from_str(text).map_err(|e| {
        bad(format!(
            "this is not a PruneLab session file (not valid JSON: {e})"
        ))
    })?;
    if header.format.as_deref() != Some(FORMAT) {
        return Err(bad(format!(
            "this is not a PruneLab session file (its `format` is not \"{FORMAT}\")"
        )));
    }
    match header.version {
        Some(VERSION) => {}
        Some(other) => {
            return Err(bad(format!(
                "the session file is version {other}; this PruneLab reads version {VERSION}"
            )))
        }
        None => return Err(bad("the session file has no `version`".into())),
    }
    let file: SessionFile =
        serde_json::from_str(text).map_err(|e| bad(format!("the session file is damaged: {e}")))?;
    file.config.validate()?;
    check_history(&file.config, &file.history)?;
    Ok(file)
}

/// Checks that `history` could have come from a run of `config`.
pub fn check_history(config: &RunConfig, history: &History) -> Result<()> {
    let bad = |m: String| {
        Err(Error::Session(format!(
            "the session's history is inconsistent: {m}"
        )))
    };
    let network = Network::new(&config.architecture)?;
    let expected: Vec<(&str, &[usize])> = network
        .params()
        .filter(|p| p.is_prunable())
        .map(|p| (p.name.as_str(), p.shape.as_slice()))
        .collect();
    if history.tensors.len() != expected.len() {
        return bad(format!(
            "{} tensors recorded, the architecture has {}",
            history.tensors.len(),
            expected.len()
        ));
    }
    let mut lens = Vec::new();
    for (info, (name, shape)) in history.tensors.iter().zip(&expected) {
        if info.name != *name || info.shape != *shape {
            return bad(format!(
                "tensor `{}` {:?} does not match the architecture's `{name}` {shape:?}",
                info.name, info.shape
            ));
        }
        lens.push(shape.iter().product::<usize>());
    }
    if history.initial_masks.len() != lens.len()
        || history
            .initial_masks
            .iter()
            .zip(&lens)
            .any(|(m, &n)| m.len() != n)
    {
        return bad("the initial masks do not have the tensors' sizes".into());
    }
    let r = &history.records;
    let ordered = |steps: Vec<u64>| steps.windows(2).all(|w| w[0] <= w[1]);
    if !ordered(r.steps.iter().map(|s| s.step).collect())
        || !ordered(r.evals.iter().map(|e| e.step).collect())
        || !ordered(r.mask_deltas.iter().map(|d| d.step).collect())
        || !ordered(r.snapshots.iter().map(|s| s.step).collect())
    {
        return bad("records are not in step order".into());
    }
    for delta in &r.mask_deltas {
        let Some(&n) = lens.get(delta.tensor as usize) else {
            return bad(format!(
                "a mask change names tensor {}, there are {}",
                delta.tensor,
                lens.len()
            ));
        };
        if delta
            .removed
            .iter()
            .chain(&delta.regrown)
            .any(|&i| i as usize >= n)
        {
            return bad(format!(
                "a mask change at step {} has an index outside its tensor",
                delta.step
            ));
        }
    }
    for snapshot in &r.snapshots {
        if snapshot.weights.len() != lens.len()
            || snapshot
                .weights
                .iter()
                .zip(&lens)
                .any(|(w, &n)| w.len() != n)
        {
            return bad(format!(
                "the weights saved at step {} do not have the tensors' sizes",
                snapshot.step
            ));
        }
        if snapshot.weights.iter().flatten().any(|w| !w.is_finite()) {
            return bad(format!(
                "the weights saved at step {} contain NaN or infinite values",
                snapshot.step
            ));
        }
    }
    for e in &r.evals {
        if !(e.test_loss.is_finite()
            && (0.0..=1.0).contains(&e.test_accuracy)
            && (0.0..=1.0).contains(&e.sparsity))
        {
            return bad(format!(
                "the evaluation at step {} has values out of range",
                e.step
            ));
        }
        if e.kept_per_tensor.len() != lens.len() {
            return bad(format!(
                "the evaluation at step {} lists {} tensors",
                e.step,
                e.kept_per_tensor.len()
            ));
        }
    }
    if r.steps
        .iter()
        .any(|s| !s.loss.is_finite() || !(0.0..=1.0).contains(&s.accuracy))
    {
        return bad("a training step has a non-finite loss or an accuracy out of range".into());
    }
    Ok(())
}
