//! The network view: the CNN as a network at a timeline step — layers as columns of nodes,
//! weights as connections — and what changed since the step shown before it (for the animation).
//!
//! # Columns
//! The input (its channels, as images), then for every prunable tensor in order:
//! - a conv kernel `[out, in, kh, kw]`: a column of its `out` filters, each drawn as a kernel tile,
//!   then a column of the `out` feature maps they make (after ReLU and any pooling: the shape the
//!   next layer reads);
//! - a dense weight `[out, in]`: a column of its `out` units (the last layer's are the outputs).
//!
//! Column `i` and column `i + 1` are joined by `layers[i]`.
//!
//! # Connections, and which are visible
//! - **kernel** (maps → the filters of a conv layer): one per (input channel, filter) pair. Its
//!   strength is the L2 norm of the kernel's kept taps, its sign that of their sum (how the filter
//!   answers a uniform patch). **Visible** when at least one tap of that kernel is kept.
//! - **dense** (map features or units → units): one per weight, strength `|w|`, sign of `w`.
//!   **Visible** when the weight is kept.
//! - **identity** (a filter → its own map) carries no weight and is not counted.
//!
//! [`NetworkView::visible`] counts the visible connections of every layer from the masks (the
//! "Connections shown" figure); [`NetworkView::possible`] counts them with nothing pruned.
//!
//! # Removed nodes
//! A filter or unit is removed when every weight into it is pruned (torch's rule, as in
//! `prune::units`); structured pruning removes whole nodes this way, and a removed filter's map
//! goes with it.
//!
//! # Changes between two steps
//! Against the step shown before (`from`): a connection visible at both steps is
//! [`Change::Kept`], only at `from` [`Change::Removed`] (it fades out), only now
//! [`Change::Regrown`] (it fades in). Connections visible at neither are left out.
//!
//! # Caps
//! At most [`MAX_TILES`] filters or maps and [`MAX_UNITS`] units per column are drawn (the first
//! ones), and at most [`MAX_LINKS`] connections per layer (the strongest); the notes say so. The
//! counts always cover the whole network.

use serde::Serialize;

use super::numbers;
use super::weights::heatmap_scale;
use crate::i18n::{tr, Lang};
use crate::run::history::{History, TensorInfo};

/// Filters or maps drawn per column, at most.
pub const MAX_TILES: usize = 40;
/// Units drawn per column, at most.
pub const MAX_UNITS: usize = 128;
/// Connections drawn per layer, at most (the strongest).
pub const MAX_LINKS: usize = 6_000;

/// How a connection or node changed since the step shown before.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    Kept,
    Removed,
    Regrown,
}

impl Change {
    /// The change of something visible `before` and `now`; `None` when it is visible at neither.
    pub fn between(before: bool, now: bool) -> Option<Change> {
        match (before, now) {
            (true, true) => Some(Change::Kept),
            (true, false) => Some(Change::Removed),
            (false, true) => Some(Change::Regrown),
            (false, false) => None,
        }
    }
}

/// What a column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnKind {
    Input,
    Filters,
    Maps,
    Units,
}

/// What the connections of a layer are (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    Kernel,
    Dense,
    Identity,
}

/// A picture inside a node: a kernel tile (signed weights) or the input digit (pixels).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NodeImage {
    pub rows: usize,
    pub cols: usize,
    /// Row-major values.
    pub values: Vec<f32>,
    /// Per value, whether it is kept (empty: all kept, as for pixels).
    pub kept: Vec<bool>,
    /// Weights: the symmetric colour scale `[-scale, scale]`. Pixels: ignored (grey from the
    /// image's own range).
    pub scale: f32,
    pub pixels: bool,
}

/// One node of a column.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NetNode {
    /// The filter, map or unit number within its layer (0-based).
    pub index: usize,
    /// Whether the node is there at the step shown before and now (see "Removed nodes").
    pub alive_before: bool,
    pub alive: bool,
    pub image: Option<NodeImage>,
}

/// A layer of the network as a column of nodes.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NetColumn {
    /// `conv1`, `maps`, `fc1`, `input`.
    pub title: String,
    /// The shape in a few characters: `10 × 5×5`, `10 × 12×12`.
    pub shape: String,
    pub kind: ColumnKind,
    /// The prunable tensor the nodes belong to (filters, units, and the maps a conv layer makes).
    pub tensor: Option<usize>,
    /// The features each node offers to a dense layer, as a grid: a map's `(height, width)`,
    /// `(1, 1)` for a unit or a filter.
    pub points: (usize, usize),
    /// The nodes drawn (at most the cap).
    pub nodes: Vec<NetNode>,
    /// All nodes of the layer.
    pub total_nodes: usize,
}

/// One drawn connection between node `from` (at feature `point` of it) of one column and node
/// `to` of the next.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Link {
    pub from: u32,
    pub point: u32,
    pub to: u32,
    /// `|w|` or the kernel's norm (at `from` for a removed connection, now otherwise).
    pub strength: f32,
    pub positive: bool,
    pub change: Change,
}

/// The connections between two consecutive columns.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LinkLayer {
    pub kind: LinkKind,
    pub tensor: Option<usize>,
    /// The connections drawn (the strongest [`MAX_LINKS`] among the drawn nodes).
    pub links: Vec<Link>,
    /// The strength drawn at full width: the largest over every recorded snapshot, so a width
    /// means the same at every timeline position.
    pub scale: f32,
    /// Visible connections now, and with nothing pruned (0 for identity layers).
    pub visible: usize,
    pub possible: usize,
}

/// The whole picture at one step.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NetworkView {
    pub step: u64,
    pub from: u64,
    pub columns: Vec<NetColumn>,
    /// `layers[i]` joins `columns[i]` and `columns[i + 1]`.
    pub layers: Vec<LinkLayer>,
    /// Visible connections of all layers now (see the module docs), and with nothing pruned.
    pub visible: usize,
    pub possible: usize,
    /// Visible connections that are drawn (less than `visible` only where a cap applies).
    pub drawn: usize,
    /// What the tiles show, and any cap that applied.
    pub notes: Vec<String>,
    /// The language of the view's words (titles, shapes, notes), and of the chart's and the
    /// summary's.
    #[serde(skip)]
    pub lang: Lang,
}

/// Masks and weights at one step.
struct State<'a> {
    masks: Vec<Vec<bool>>,
    weights: &'a [Vec<f32>],
}

impl<'a> State<'a> {
    fn at(history: &'a History, step: u64) -> Option<State<'a>> {
        Some(State {
            masks: history.masks_at(step),
            weights: &history.snapshot_at(step)?.weights,
        })
    }

    fn kept(&self, tensor: usize, index: usize) -> bool {
        self.masks
            .get(tensor)
            .and_then(|m| m.get(index))
            .copied()
            .unwrap_or(false)
    }

    fn weight(&self, tensor: usize, index: usize) -> f32 {
        self.weights
            .get(tensor)
            .and_then(|w| w.get(index))
            .copied()
            .unwrap_or(0.0)
    }

    /// Whether any weight `tensor[range]` is kept: a unit with none is removed.
    fn any_kept(&self, tensor: usize, range: std::ops::Range<usize>) -> bool {
        self.masks
            .get(tensor)
            .and_then(|m| m.get(range))
            .is_some_and(|m| m.iter().any(|&k| k))
    }
}

/// Whether any mask changed between steps `from` and `step` (either order): when none did, going
/// from one to the other changes no connection and needs no animation.
pub fn masks_changed(history: &History, from: u64, step: u64) -> bool {
    let (low, high) = (from.min(step), from.max(step));
    history.records.mask_deltas.iter().any(|delta| {
        delta.step > low
            && delta.step <= high
            && !(delta.removed.is_empty() && delta.regrown.is_empty())
    })
}

/// The network of `history` at `step`, with changes since `from` (pass `from = step` for none).
/// `input`: the digit to draw in the input column (the network's normalised inputs), if any.
/// `None` before any weights are recorded.
pub fn network_view(
    history: &History,
    step: u64,
    from: u64,
    input: Option<&[f32]>,
) -> Option<NetworkView> {
    network_view_in(history, step, from, input, Lang::En)
}

/// [`network_view`] with its words in `lang`.
pub fn network_view_in(
    history: &History,
    step: u64,
    from: u64,
    input: Option<&[f32]>,
    lang: Lang,
) -> Option<NetworkView> {
    let now = State::at(history, step)?;
    let before = State::at(history, from)?;
    let first = history.tensors.first()?;
    let mut builder = Builder {
        history,
        now: &now,
        before: &before,
        columns: vec![input_column(first, input, lang)],
        layers: Vec::new(),
        notes: Vec::new(),
        lang,
    };
    for (tensor, info) in history.tensors.iter().enumerate() {
        match info.shape.len() {
            4 => builder.conv(tensor, info),
            2 => builder.dense(tensor, info),
            _ => {}
        }
    }
    let Builder {
        columns,
        layers,
        mut notes,
        ..
    } = builder;
    let visible = layers.iter().map(|l| l.visible).sum();
    let possible = layers.iter().map(|l| l.possible).sum();
    let drawn = layers
        .iter()
        .filter(|l| l.kind != LinkKind::Identity)
        .flat_map(|l| &l.links)
        .filter(|l| l.change != Change::Removed)
        .count();
    for column in &columns {
        if column.nodes.len() < column.total_nodes {
            notes.push(tr(
                lang,
                "network.note.first",
                &[
                    ("column", &column.title),
                    ("shown", &column.nodes.len()),
                    ("total", &numbers::count(column.total_nodes as u64)),
                ],
            ));
        }
    }
    Some(NetworkView {
        step,
        from,
        columns,
        layers,
        visible,
        possible,
        drawn,
        notes,
        lang,
    })
}

fn input_column(first: &TensorInfo, input: Option<&[f32]>, lang: Lang) -> NetColumn {
    let shape = first.input;
    let plane = shape.height * shape.width;
    let image = |channel: usize| {
        let pixels = input.filter(|p| p.len() == shape.len())?;
        Some(NodeImage {
            rows: shape.height,
            cols: shape.width,
            values: pixels[channel * plane..(channel + 1) * plane].to_vec(),
            kept: Vec::new(),
            scale: 1.0,
            pixels: true,
        })
    };
    NetColumn {
        title: tr(lang, "network.column.input", &[]),
        shape: maps_shape(shape.channels, shape.height, shape.width),
        kind: ColumnKind::Input,
        tensor: None,
        points: (shape.height, shape.width),
        nodes: (0..shape.channels.min(MAX_TILES))
            .map(|index| NetNode {
                index,
                alive_before: true,
                alive: true,
                image: image(index),
            })
            .collect(),
        total_nodes: shape.channels,
    }
}

struct Builder<'a> {
    history: &'a History,
    now: &'a State<'a>,
    before: &'a State<'a>,
    columns: Vec<NetColumn>,
    layers: Vec<LinkLayer>,
    notes: Vec<String>,
    lang: Lang,
}

impl Builder<'_> {
    fn last_column(&self) -> &NetColumn {
        // The input column is always there.
        &self.columns[self.columns.len() - 1]
    }

    /// A conv layer: kernel connections into its filters, then identity links to its maps.
    fn conv(&mut self, tensor: usize, info: &TensorInfo) {
        let (out, input, kh, kw) = (info.shape[0], info.shape[1], info.shape[2], info.shape[3]);
        let taps = kh * kw;
        let name = layer_name(info);
        let sources = self.last_column().nodes.len();
        let mut links = Vec::new();
        let mut visible = 0;
        for filter in 0..out {
            for channel in 0..input {
                let start = (filter * input + channel) * taps;
                let kernel = start..start + taps;
                let now = self.now.any_kept(tensor, kernel.clone());
                visible += usize::from(now);
                if filter >= MAX_TILES || channel >= sources {
                    continue;
                }
                let before = self.before.any_kept(tensor, kernel.clone());
                let Some(change) = Change::between(before, now) else {
                    continue;
                };
                let state = if now { self.now } else { self.before };
                let (norm, sum) = kernel
                    .filter(|&i| state.kept(tensor, i))
                    .map(|i| state.weight(tensor, i))
                    .fold((0.0f32, 0.0f32), |(n, s), w| (n + w * w, s + w));
                links.push(Link {
                    from: channel as u32,
                    point: 0,
                    to: filter as u32,
                    strength: norm.sqrt(),
                    positive: sum >= 0.0,
                    change,
                });
            }
        }
        let scale = kernel_norm_scale(self.history, tensor, taps);
        self.push_layer(LinkKind::Kernel, tensor, links, scale, visible, out * input);

        let unit = input * taps;
        let tile_scale = if input == 1 {
            heatmap_scale(self.history, tensor)
        } else {
            channel_mean_scale(self.now, tensor, info)
        };
        let alive = |state: &State, filter: usize| {
            state.any_kept(tensor, filter * unit..(filter + 1) * unit)
        };
        let nodes: Vec<NetNode> = (0..out.min(MAX_TILES))
            .map(|filter| NetNode {
                index: filter,
                alive_before: alive(self.before, filter),
                alive: alive(self.now, filter),
                image: Some(self.kernel_image(tensor, info, filter, tile_scale)),
            })
            .collect();
        if input > 1 {
            self.notes.push(tr(
                self.lang,
                "network.note.tiles",
                &[("layer", &name), ("channels", &input)],
            ));
        }
        self.columns.push(NetColumn {
            title: name.clone(),
            shape: format!("{out} × {kh}×{kw}"),
            kind: ColumnKind::Filters,
            tensor: Some(tensor),
            points: (1, 1),
            nodes: nodes.clone(),
            total_nodes: out,
        });

        // The maps: what the next layer reads (after pooling), or the convolution's own output.
        let (height, width) = self
            .history
            .tensors
            .get(tensor + 1)
            .map(|next| next.input)
            .filter(|next| next.channels == out)
            .map_or(
                (info.input.height + 1 - kh, info.input.width + 1 - kw),
                |next| (next.height, next.width),
            );
        let identity = nodes
            .iter()
            .filter_map(|node| {
                Some(Link {
                    from: node.index as u32,
                    point: 0,
                    to: node.index as u32,
                    strength: 1.0,
                    positive: true,
                    change: Change::between(node.alive_before, node.alive)?,
                })
            })
            .collect();
        self.layers.push(LinkLayer {
            kind: LinkKind::Identity,
            tensor: Some(tensor),
            links: identity,
            scale: 1.0,
            visible: 0,
            possible: 0,
        });
        self.columns.push(NetColumn {
            title: tr(self.lang, "network.column.maps", &[]),
            shape: maps_shape(out, height, width),
            kind: ColumnKind::Maps,
            tensor: Some(tensor),
            points: (height, width),
            nodes: nodes
                .into_iter()
                .map(|node| NetNode {
                    image: None,
                    ..node
                })
                .collect(),
            total_nodes: out,
        });
    }

    /// A filter's tile: its kernel (one input channel), or each tap's mean over the channels.
    fn kernel_image(
        &self,
        tensor: usize,
        info: &TensorInfo,
        filter: usize,
        scale: f32,
    ) -> NodeImage {
        let (input, kh, kw) = (info.shape[1], info.shape[2], info.shape[3]);
        let taps = kh * kw;
        let start = filter * input * taps;
        let now = self.now;
        let mut values = vec![0.0f32; taps];
        let mut kept = vec![false; taps];
        for channel in 0..input {
            for tap in 0..taps {
                let index = start + channel * taps + tap;
                if now.kept(tensor, index) {
                    values[tap] += now.weight(tensor, index) / input as f32;
                    kept[tap] = true;
                }
            }
        }
        NodeImage {
            rows: kh,
            cols: kw,
            values,
            kept,
            scale,
            pixels: false,
        }
    }

    /// A dense layer: one connection per weight from the previous column's features.
    fn dense(&mut self, tensor: usize, info: &TensorInfo) {
        let (out, input) = (info.shape[0], info.shape[1]);
        let source = self.last_column();
        let per_node = (source.points.0 * source.points.1).max(1);
        let sources = source.nodes.len();
        let mut links = Vec::new();
        let mut visible = 0;
        for unit in 0..out {
            for feature in 0..input {
                let index = unit * input + feature;
                let now = self.now.kept(tensor, index);
                visible += usize::from(now);
                let node = feature / per_node;
                if unit >= MAX_UNITS || node >= sources {
                    continue;
                }
                let Some(change) = Change::between(self.before.kept(tensor, index), now) else {
                    continue;
                };
                let state = if now { self.now } else { self.before };
                let weight = state.weight(tensor, index);
                links.push(Link {
                    from: node as u32,
                    point: (feature % per_node) as u32,
                    to: unit as u32,
                    strength: weight.abs(),
                    positive: weight >= 0.0,
                    change,
                });
            }
        }
        let scale = heatmap_scale(self.history, tensor);
        self.push_layer(LinkKind::Dense, tensor, links, scale, visible, out * input);
        let alive =
            |state: &State, unit: usize| state.any_kept(tensor, unit * input..(unit + 1) * input);
        let last = tensor + 1 == self.history.tensors.len();
        self.columns.push(NetColumn {
            title: if last {
                tr(self.lang, "network.column.output", &[])
            } else {
                layer_name(info)
            },
            shape: if last {
                tr(self.lang, "network.shape.classes", &[("count", &out)])
            } else {
                tr(self.lang, "network.shape.units", &[("count", &out)])
            },
            kind: ColumnKind::Units,
            tensor: Some(tensor),
            points: (1, 1),
            nodes: (0..out.min(MAX_UNITS))
                .map(|unit| NetNode {
                    index: unit,
                    alive_before: alive(self.before, unit),
                    alive: alive(self.now, unit),
                    image: None,
                })
                .collect(),
            total_nodes: out,
        });
    }

    /// Adds a layer of weighted connections, keeping the strongest [`MAX_LINKS`].
    fn push_layer(
        &mut self,
        kind: LinkKind,
        tensor: usize,
        mut links: Vec<Link>,
        scale: f32,
        visible: usize,
        possible: usize,
    ) {
        if links.len() > MAX_LINKS {
            let name = layer_name(&self.history.tensors[tensor]);
            self.notes.push(tr(
                self.lang,
                "network.note.strongest",
                &[
                    ("layer", &name),
                    ("shown", &numbers::count(MAX_LINKS as u64)),
                    ("total", &numbers::count(links.len() as u64)),
                ],
            ));
            links = strongest(links, MAX_LINKS);
        }
        self.layers.push(LinkLayer {
            kind,
            tensor: Some(tensor),
            links,
            scale,
            visible,
            possible,
        });
    }
}

/// The `keep` strongest of `links` (to 1/4096 of the strongest: a histogram of strengths finds
/// the threshold, which is cheaper, in time and code, than sorting), in their order.
fn strongest(links: Vec<Link>, keep: usize) -> Vec<Link> {
    const BINS: usize = 4096;
    let largest = links.iter().map(|l| l.strength).fold(0.0f32, f32::max);
    let bin = |link: &Link| {
        let share = if largest > 0.0 {
            link.strength / largest
        } else {
            0.0
        };
        ((share * (BINS - 1) as f32) as usize).min(BINS - 1)
    };
    let mut counts = vec![0usize; BINS];
    for link in &links {
        counts[bin(link)] += 1;
    }
    // The lowest bin kept, and how many of that bin fit.
    let (mut threshold, mut room) = (0, keep);
    for b in (0..BINS).rev() {
        if counts[b] >= room {
            threshold = b;
            break;
        }
        room -= counts[b];
    }
    links
        .into_iter()
        .filter(|link| {
            let b = bin(link);
            if b == threshold && room > 0 {
                room -= 1;
                return true;
            }
            b > threshold
        })
        .collect()
}

/// `conv1` for `conv1.weight`.
pub(crate) fn layer_name(info: &TensorInfo) -> String {
    info.name.trim_end_matches(".weight").to_string()
}

fn maps_shape(channels: usize, height: usize, width: usize) -> String {
    format!("{channels} × {height}×{width}")
}

/// The largest kernel norm of a conv tensor over every recorded snapshot (pruned weights are
/// exactly 0 there, so a kernel's norm is its kept taps' norm); 1 when all are 0.
fn kernel_norm_scale(history: &History, tensor: usize, taps: usize) -> f32 {
    let largest = history
        .records
        .snapshots
        .iter()
        .filter_map(|snapshot| snapshot.weights.get(tensor))
        .flat_map(|weights| weights.chunks(taps.max(1)))
        .map(|kernel| kernel.iter().map(|w| w * w).sum::<f32>().sqrt())
        .filter(|n| n.is_finite())
        .fold(0.0f32, f32::max);
    positive_or_one(largest)
}

/// The largest |mean over input channels| of any tap of a conv tensor now: the colour scale of
/// its tiles when they show channel means.
fn channel_mean_scale(now: &State, tensor: usize, info: &TensorInfo) -> f32 {
    let (out, input, taps) = (info.shape[0], info.shape[1], info.shape[2] * info.shape[3]);
    let mut largest = 0.0f32;
    for filter in 0..out {
        for tap in 0..taps {
            let sum: f32 = (0..input)
                .map(|channel| (filter * input + channel) * taps + tap)
                .filter(|&i| now.kept(tensor, i))
                .map(|i| now.weight(tensor, i))
                .sum();
            let mean = (sum / input as f32).abs();
            if mean.is_finite() {
                largest = largest.max(mean);
            }
        }
    }
    positive_or_one(largest)
}

fn positive_or_one(value: f32) -> f32 {
    if value > 0.0 {
        value
    } else {
        1.0
    }
}
