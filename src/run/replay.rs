//! Rebuilding the state of a recorded run at any step, without re-training: masks from the
//! initial masks plus the deltas up to that step, weights from the latest snapshot at or before it.

use super::history::{History, Snapshot};

/// When each weight was last pruned, as of a step.
#[derive(Clone, Debug, PartialEq)]
pub struct PrunedAt {
    /// Per prunable tensor, per entry: the step at which it was pruned, `None` when it is kept.
    pub step: Vec<Vec<Option<u64>>>,
    /// Per prunable tensor, per entry: whether it was regrown at some point up to the step.
    pub regrown: Vec<Vec<bool>>,
}

impl History {
    /// The masks after step `step` (true = kept).
    pub fn masks_at(&self, step: u64) -> Vec<Vec<bool>> {
        let mut masks = self.initial_masks.clone();
        for delta in self
            .records
            .mask_deltas
            .iter()
            .take_while(|d| d.step <= step)
        {
            if let Some(mask) = masks.get_mut(delta.tensor as usize) {
                for &i in &delta.removed {
                    if let Some(m) = mask.get_mut(i as usize) {
                        *m = false;
                    }
                }
                for &i in &delta.regrown {
                    if let Some(m) = mask.get_mut(i as usize) {
                        *m = true;
                    }
                }
            }
        }
        masks
    }

    /// The step each weight was pruned at, as of `step`. Weights pruned in the initial masks
    /// count as pruned at step 0.
    pub fn pruned_at(&self, step: u64) -> PrunedAt {
        let mut pruned: Vec<Vec<Option<u64>>> = self
            .initial_masks
            .iter()
            .map(|mask| mask.iter().map(|&kept| (!kept).then_some(0)).collect())
            .collect();
        let mut regrown: Vec<Vec<bool>> = self
            .initial_masks
            .iter()
            .map(|mask| vec![false; mask.len()])
            .collect();
        for delta in self
            .records
            .mask_deltas
            .iter()
            .take_while(|d| d.step <= step)
        {
            let t = delta.tensor as usize;
            let (Some(p), Some(r)) = (pruned.get_mut(t), regrown.get_mut(t)) else {
                continue;
            };
            for &i in &delta.removed {
                if let Some(entry) = p.get_mut(i as usize) {
                    *entry = Some(delta.step);
                }
            }
            for &i in &delta.regrown {
                if let (Some(entry), Some(flag)) = (p.get_mut(i as usize), r.get_mut(i as usize)) {
                    *entry = None;
                    *flag = true;
                }
            }
        }
        PrunedAt {
            step: pruned,
            regrown,
        }
    }

    /// The latest weight snapshot at or before `step` (the first one if all are later).
    pub fn snapshot_at(&self, step: u64) -> Option<&Snapshot> {
        let snapshots = &self.records.snapshots;
        let after = snapshots.partition_point(|s| s.step <= step);
        snapshots.get(after.saturating_sub(1))
    }
}
