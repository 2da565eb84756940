//! The network view in words: the "Connections shown" line (the view's text and label), and what
//! a node is — the live description under the picture and where a drill-down opens the Weights
//! view.

use serde::Serialize;

use super::network::{layer_name, ColumnKind, LinkKind, NetworkView};
use super::numbers::{count, count_of};
use super::weights::tile_specs;
use crate::run::history::History;

/// The counts of the view, as numbers and as the sentence the page shows.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NetworkSummary {
    pub step: u64,
    pub visible: usize,
    pub possible: usize,
    pub drawn: usize,
    /// Per layer of weighted connections: `conv1`, whether they are kernels or weights, counts.
    pub layers: Vec<LayerCount>,
    /// `Connections shown: 642 of 5,210 (conv1 10 of 10 kernels, …).`
    pub text: String,
    pub notes: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LayerCount {
    pub layer: String,
    pub tensor: usize,
    pub kind: LinkKind,
    pub visible: usize,
    pub possible: usize,
}

/// The counts of `view`, with the sentence that names them.
pub fn network_summary(history: &History, view: &NetworkView) -> NetworkSummary {
    let layers: Vec<LayerCount> = view
        .layers
        .iter()
        .filter(|l| l.kind != LinkKind::Identity)
        .filter_map(|l| {
            let tensor = l.tensor?;
            Some(LayerCount {
                layer: layer_name(history.tensors.get(tensor)?),
                tensor,
                kind: l.kind,
                visible: l.visible,
                possible: l.possible,
            })
        })
        .collect();
    let parts: Vec<String> = layers
        .iter()
        .map(|l| {
            let what = if l.kind == LinkKind::Kernel {
                "kernels"
            } else {
                "weights"
            };
            format!(
                "{} {} {what}",
                l.layer,
                count_of(l.visible as u64, l.possible as u64)
            )
        })
        .collect();
    let mut text = format!(
        "Connections shown: {} ({}).",
        count_of(view.visible as u64, view.possible as u64),
        parts.join(", ")
    );
    if view.drawn < view.visible {
        text.push_str(&format!(
            " {} of them are drawn: {}.",
            count(view.drawn as u64),
            view.notes.join("; ")
        ));
    }
    NetworkSummary {
        step: view.step,
        visible: view.visible,
        possible: view.possible,
        drawn: view.drawn,
        layers,
        text,
        notes: view.notes.clone(),
    }
}

/// A node in words, and the Weights view tile it opens (`tensor` is `None` for the input).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NodeFacts {
    pub description: String,
    pub tensor: Option<usize>,
    /// The tile of the Weights view, and the row in it (a unit of a dense layer drawn as one
    /// matrix is a row of that matrix).
    pub tile: usize,
    pub row: usize,
}

const OPENS: &str = "Enter or a click opens its weights.";

/// Node `node` of column `column` of `view` (a view of `history`); `None` outside the view.
pub fn node_facts(
    history: &History,
    view: &NetworkView,
    column: usize,
    node: usize,
) -> Option<NodeFacts> {
    let col = view.columns.get(column)?;
    let this = col.nodes.get(node)?;
    let Some(tensor) = col.tensor else {
        let next = view
            .columns
            .get(column + 1)
            .map_or(String::new(), |next| format!(" {} reads it.", next.title));
        return Some(NodeFacts {
            description: format!("Input: {} pixels.{next}", col.shape),
            tensor: None,
            tile: 0,
            row: 0,
        });
    };
    let info = history.tensors.get(tensor)?;
    let name = layer_name(info);
    let masks = history.masks_at(view.step);
    let mask = masks.get(tensor)?;
    let (out, unit_len) = (info.shape[0], info.shape[1..].iter().product::<usize>());
    let unit = this.index;
    let unit_mask = mask.get(unit * unit_len..(unit + 1) * unit_len)?;
    let kept = unit_mask.iter().filter(|&&k| k).count() as u64;
    let of = count_of(kept, unit_len as u64);
    let numbered = format!("{} of {}", unit + 1, count(out as u64));
    let description = match col.kind {
        ColumnKind::Filters | ColumnKind::Maps => {
            let (input, taps) = (info.shape[1], info.shape[2] * info.shape[3]);
            let kernels = unit_mask
                .chunks(taps.max(1))
                .filter(|k| k.iter().any(|&t| t))
                .count();
            let filter = format!("{name} filter {numbered}");
            let state = if kept == 0 {
                format!(
                    "removed: all {} of its weights are pruned",
                    count(unit_len as u64)
                )
            } else {
                format!(
                    "{of} weights kept; {} input kernels visible",
                    count_of(kernels as u64, input as u64)
                )
            };
            if col.kind == ColumnKind::Filters {
                let kernels = if input == 1 {
                    "kernel".to_string()
                } else {
                    format!("kernels on {input} channels")
                };
                format!(
                    "{filter} ({}×{} {kernels}): {state}. {OPENS}",
                    info.shape[2], info.shape[3]
                )
            } else {
                format!(
                    "{} {numbered} ({}), made by {filter}: {state}. {OPENS}",
                    col.title,
                    col.shape.split(" × ").nth(1).unwrap_or_default()
                )
            }
        }
        ColumnKind::Units if col.title == "output" => {
            format!(
                "Output {} (class {unit}): {of} incoming weights kept. {OPENS}",
                unit + 1
            )
        }
        _ => {
            let state = if kept == 0 {
                " — removed".to_string()
            } else {
                String::new()
            };
            format!("{name} unit {numbered}: {of} incoming weights kept{state}. {OPENS}")
        }
    };
    // The tile of the Weights view that shows this node's weights.
    let tiles = tile_specs(info).len();
    let (tile, row) = if tiles == out { (unit, 0) } else { (0, unit) };
    Some(NodeFacts {
        description,
        tensor: Some(tensor),
        tile,
        row,
    })
}
