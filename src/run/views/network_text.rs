//! The network view in words: the "Connections shown" line (the view's text and label), and what
//! a node is — the live description under the picture and where a drill-down opens the Weights
//! view.

use serde::Serialize;

use super::network::{layer_name, ColumnKind, LinkKind, NetworkView};
use super::numbers::{count, count_of_in};
use super::weights::tile_specs;
use crate::i18n::tr;
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

/// The counts of `view`, with the sentence that names them (in the view's language).
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
    let lang = view.lang;
    let parts: Vec<String> = layers
        .iter()
        .map(|l| {
            let key = if l.kind == LinkKind::Kernel {
                "network.summary.kernels"
            } else {
                "network.summary.weights"
            };
            let shown = count_of_in(l.visible as u64, l.possible as u64, lang);
            tr(lang, key, &[("layer", &l.layer), ("shown", &shown)])
        })
        .collect();
    let shown = count_of_in(view.visible as u64, view.possible as u64, lang);
    let layer_list = parts.join(&tr(lang, "network.separator.layers", &[]));
    let text = if view.drawn < view.visible {
        let notes = view.notes.join(&tr(lang, "network.separator.notes", &[]));
        tr(
            lang,
            "network.summary.capped",
            &[
                ("shown", &shown),
                ("layers", &layer_list),
                ("drawn", &count(view.drawn as u64)),
                ("notes", &notes),
            ],
        )
    } else {
        tr(
            lang,
            "network.summary",
            &[("shown", &shown), ("layers", &layer_list)],
        )
    };
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

/// Node `node` of column `column` of `view` (a view of `history`); `None` outside the view.
pub fn node_facts(
    history: &History,
    view: &NetworkView,
    column: usize,
    node: usize,
) -> Option<NodeFacts> {
    let lang = view.lang;
    let col = view.columns.get(column)?;
    let this = col.nodes.get(node)?;
    let Some(tensor) = col.tensor else {
        let shape = ("shape", &col.shape as &dyn std::fmt::Display);
        let description = match view.columns.get(column + 1) {
            Some(next) => tr(
                lang,
                "network.node.input-read",
                &[shape, ("next", &next.title)],
            ),
            None => tr(lang, "network.node.input", &[shape]),
        };
        return Some(NodeFacts {
            description,
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
    let of = count_of_in(kept, unit_len as u64, lang);
    let opens = tr(lang, "network.node.opens", &[]);
    let (number, total) = (unit + 1, count(out as u64));
    let description = match col.kind {
        ColumnKind::Filters | ColumnKind::Maps => {
            let (input, taps) = (info.shape[1], info.shape[2] * info.shape[3]);
            let kernels = unit_mask
                .chunks(taps.max(1))
                .filter(|k| k.iter().any(|&t| t))
                .count();
            let filter = tr(
                lang,
                "network.node.filter",
                &[("layer", &name), ("number", &number), ("total", &total)],
            );
            let state = if kept == 0 {
                tr(
                    lang,
                    "network.node.filter-removed",
                    &[("count", &count(unit_len as u64))],
                )
            } else {
                tr(
                    lang,
                    "network.node.filter-kept",
                    &[
                        ("kept", &of),
                        ("kernels", &count_of_in(kernels as u64, input as u64, lang)),
                    ],
                )
            };
            if col.kind == ColumnKind::Filters {
                let size = format!("{}×{}", info.shape[2], info.shape[3]);
                let key = if input == 1 {
                    "network.node.filter-kernel"
                } else {
                    "network.node.filter-kernels"
                };
                tr(
                    lang,
                    key,
                    &[
                        ("filter", &filter),
                        ("size", &size),
                        ("channels", &input),
                        ("state", &state),
                        ("opens", &opens),
                    ],
                )
            } else {
                tr(
                    lang,
                    "network.node.map",
                    &[
                        ("maps", &col.title),
                        ("number", &number),
                        ("total", &total),
                        ("size", &col.shape.split(" × ").nth(1).unwrap_or_default()),
                        ("filter", &filter),
                        ("state", &state),
                        ("opens", &opens),
                    ],
                )
            }
        }
        // The last column of units is the output (see `network_view`).
        ColumnKind::Units if column + 1 == view.columns.len() => tr(
            lang,
            "network.node.output",
            &[
                ("number", &number),
                ("class", &unit),
                ("kept", &of),
                ("opens", &opens),
            ],
        ),
        _ => {
            let key = if kept == 0 {
                "network.node.unit-removed"
            } else {
                "network.node.unit"
            };
            tr(
                lang,
                key,
                &[
                    ("layer", &name),
                    ("number", &number),
                    ("total", &total),
                    ("kept", &of),
                    ("opens", &opens),
                ],
            )
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
