//! Feature maps, dense vs pruned: what every convolution of each network makes of one digit, and
//! the ten class probabilities, as plain data for `charts::draw_feature_maps`.
//!
//! - A map is a filter's output after its ReLU (before pooling), from the unfused forward pass
//!   [`crate::nn::activations::layer_outputs`].
//! - A filter whose weights are all pruned is *gone*: no map (`None`), drawn as a hatched tile,
//!   so it cannot be mistaken for a kept filter that happens to output zeros.
//! - One colour scale per layer, shared by both networks (the lowest and highest value either
//!   network's kept maps reach), so the same colour is the same activation on both sides.
//! - The pruned network at a past timeline step is rebuilt from the history: the latest weight
//!   snapshot at or before the step, its biases, and the masks at the step ([`network_at_step`]).

use serde::{Deserialize, Serialize};

use super::numbers;
use crate::i18n::{tr, Lang};
use crate::nn::activations::layer_outputs;
use crate::nn::loss::{argmax, softmax};
use crate::nn::{Layer, Network};
use crate::run::History;
use crate::{Error, Result};

/// One conv layer's maps on both sides: their size and the shared colour scale.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapLayer {
    /// `conv1`, `conv2`, …
    pub name: String,
    pub filters: usize,
    /// Size of one map.
    pub height: usize,
    pub width: usize,
    /// The colour scale shared by both networks: `low` is the first colour, `high` the last.
    pub low: f32,
    pub high: f32,
    /// Whether the maps are taken after a ReLU (the next layer) or straight from the convolution.
    pub after_relu: bool,
    /// A filter's kernel: input channels and kernel size (`[channels, k, k]`).
    pub channels: usize,
    pub kernel: usize,
}

/// One network's maps and prediction.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapSide {
    /// "Dense (before pruning)", "Pruned, step 1,200".
    pub title: String,
    /// Where the weights come from ("weights recorded at step 1,150, masks at step 1,200").
    pub caption: String,
    /// Per conv layer: every filter's map (`[filters, height, width]`; zeros where a filter is
    /// gone). Flat vectors keep the page's decoder small.
    pub maps: Vec<Vec<f32>>,
    /// Per conv layer, per filter: whether the filter is pruned away (all its weights).
    pub gone: Vec<Vec<bool>>,
    /// Per conv layer: the weights `[filters, channels, k, k]` (pruned entries are 0).
    pub kernels: Vec<Vec<f32>>,
    /// Per conv layer: which kernel entries are kept.
    pub kept: Vec<Vec<bool>>,
    pub probabilities: Vec<f32>,
    pub predicted: usize,
}

impl MapSide {
    /// Whether filter `filter` of conv layer `layer` is pruned away.
    pub fn is_gone(&self, layer: usize, filter: usize) -> bool {
        self.gone.get(layer).and_then(|g| g.get(filter)) == Some(&true)
    }

    /// Filter `filter`'s map on conv layer `layer` (`plane` values); `None` when it is gone or
    /// out of range.
    pub fn map(&self, layer: usize, filter: usize, plane: usize) -> Option<&[f32]> {
        if self.is_gone(layer, filter) {
            return None;
        }
        self.maps
            .get(layer)?
            .get(filter * plane..(filter + 1) * plane)
    }
}

/// Everything the "Inside the network" section shows for one digit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeatureMaps {
    /// Which digit ("test digit 17 (a 7)", "the drawn digit").
    pub digit: String,
    pub layers: Vec<MapLayer>,
    /// The dense network first when there is one, then the pruned network.
    pub sides: Vec<MapSide>,
    /// Why only one network is shown, when that is so.
    pub note: Option<String>,
    /// The predictions in a sentence, for a live region.
    pub summary: String,
    /// The language of the words made from the maps (filter captions, the data table, the
    /// chart's labels); not part of the JSON: the page sets it on its copy.
    #[serde(skip)]
    pub lang: Lang,
}

/// A network to show, with its title and the caption that says which step its weights are from.
pub struct ShownNetwork<'a> {
    pub title: String,
    pub caption: String,
    pub network: &'a mut Network,
}

/// The maps of every conv layer and the probabilities of each network in `shown` for `input` (one
/// normalised digit).
pub fn feature_maps(
    digit: &str,
    input: &[f32],
    shown: Vec<ShownNetwork<'_>>,
    note: Option<String>,
) -> Result<FeatureMaps> {
    feature_maps_in(digit, input, shown, note, Lang::En)
}

/// [`feature_maps`] with the summary (and the words made later) in `lang`.
pub fn feature_maps_in(
    digit: &str,
    input: &[f32],
    shown: Vec<ShownNetwork<'_>>,
    note: Option<String>,
    lang: Lang,
) -> Result<FeatureMaps> {
    let mut layers: Vec<MapLayer> = Vec::new();
    let mut sides = Vec::new();
    for ShownNetwork {
        title,
        caption,
        network,
    } in shown
    {
        let outputs = layer_outputs(network, input)?;
        let side_layers = conv_maps(network, &outputs);
        if layers.is_empty() {
            layers = side_layers.iter().map(|l| l.layer.clone()).collect();
        } else if layers.len() != side_layers.len() {
            return Err(Error::setting(
                "architecture",
                "the dense and the pruned network have different layers",
            ));
        }
        let logits = outputs.last().map_or(&[][..], Vec::as_slice);
        let probabilities = softmax(logits);
        sides.push(MapSide {
            title,
            caption,
            predicted: argmax(&probabilities),
            probabilities,
            maps: side_layers.iter().map(|l| l.maps.clone()).collect(),
            gone: side_layers.iter().map(|l| l.gone.clone()).collect(),
            kernels: side_layers.iter().map(|l| l.kernels.clone()).collect(),
            kept: side_layers.into_iter().map(|l| l.kept).collect(),
        });
    }
    share_scales(&mut layers, &sides);
    let summary = summary(digit, &sides, lang);
    Ok(FeatureMaps {
        digit: digit.to_string(),
        layers,
        sides,
        note,
        summary,
        lang,
    })
}

/// One conv layer of one network, before the scales are shared.
struct SideLayer {
    layer: MapLayer,
    maps: Vec<f32>,
    gone: Vec<bool>,
    kernels: Vec<f32>,
    kept: Vec<bool>,
}

fn conv_maps(network: &Network, outputs: &[Vec<f32>]) -> Vec<SideLayer> {
    let layers = network.layers();
    let mut found = Vec::new();
    for (i, layer) in layers.iter().enumerate() {
        let Layer::Conv(conv) = layer else { continue };
        let after_relu = matches!(layers.get(i + 1), Some(Layer::Relu));
        let values = &outputs[if after_relu { i + 1 } else { i }];
        let shape = conv.output;
        let plane = shape.height * shape.width;
        let patch = conv.patch_len();
        let kept: Vec<bool> = match conv.weight.mask() {
            Some(mask) => mask.to_vec(),
            None => vec![true; conv.weight.len()],
        };
        let gone: Vec<bool> = (0..shape.channels)
            .map(|f| kept[f * patch..(f + 1) * patch].iter().all(|&k| !k))
            .collect();
        let mut maps = values[..shape.channels * plane].to_vec();
        for (map, &gone) in maps.chunks_exact_mut(plane).zip(&gone) {
            if gone {
                map.fill(0.0);
            }
        }
        found.push(SideLayer {
            layer: MapLayer {
                name: conv.weight.name.trim_end_matches(".weight").to_string(),
                filters: shape.channels,
                height: shape.height,
                width: shape.width,
                low: 0.0,
                high: 0.0,
                after_relu,
                channels: conv.input.channels,
                kernel: conv.kernel,
            },
            maps,
            gone,
            kernels: conv.weight.value.clone(),
            kept,
        });
    }
    found
}

/// Each layer's scale: the range of the kept maps of every side (0 always included, so "no
/// activation" is the first colour after a ReLU); `[0, 1]` when every map is flat zero.
fn share_scales(layers: &mut [MapLayer], sides: &[MapSide]) {
    for (l, layer) in layers.iter_mut().enumerate() {
        let plane = layer.height * layer.width;
        let values = sides
            .iter()
            .flat_map(|side| (0..layer.filters).filter_map(move |f| side.map(l, f, plane)))
            .flatten()
            .copied()
            .filter(|v| v.is_finite());
        let (low, high) = values.fold((0.0f32, 0.0f32), |(lo, hi), v| (lo.min(v), hi.max(v)));
        (layer.low, layer.high) = if high > low { (low, high) } else { (0.0, 1.0) };
    }
}

fn summary(digit: &str, sides: &[MapSide], lang: Lang) -> String {
    let said: Vec<String> = sides
        .iter()
        .map(|side| {
            let p = side
                .probabilities
                .get(side.predicted)
                .copied()
                .unwrap_or(0.0);
            tr(
                lang,
                "fmap.summary.side",
                &[
                    ("title", &side.title),
                    ("class", &side.predicted),
                    ("probability", &numbers::percent(f64::from(p), 0)),
                ],
            )
        })
        .collect();
    let said = said.join(&tr(lang, "fmap.separator", &[]));
    tr(lang, "fmap.summary", &[("digit", &digit), ("said", &said)])
}

/// The network as it was at timeline step `step`, rebuilt from `history`: `like` gives the
/// architecture; the prunable weights and the biases come from the latest snapshot at or before
/// `step`, the masks from the mask changes up to `step`. Returns the network and the step its
/// weights were recorded at.
pub fn network_at_step(history: &History, like: &Network, step: u64) -> Result<(Network, u64)> {
    let missing =
        |what: &str| Error::Session(format!("no {what} recorded at or before step {step}"));
    let snapshot = history
        .snapshot_at(step)
        .ok_or_else(|| missing("weights"))?;
    if snapshot.biases.is_empty() {
        return Err(missing("biases"));
    }
    let masks = history.masks_at(step);
    let mut network = like.clone_parameters();
    let (mut weights, mut biases, mut masks) = (
        snapshot.weights.iter(),
        snapshot.biases.iter(),
        masks.into_iter(),
    );
    for param in network.params_mut() {
        let (values, mask) = if param.is_prunable() {
            (weights.next(), masks.next())
        } else {
            (biases.next(), None)
        };
        let values = values
            .filter(|v| v.len() == param.value.len())
            .ok_or_else(|| missing(&format!("tensor `{}` of the right size", param.name)))?;
        param.value.copy_from_slice(values);
        if let Some(mask) = mask.filter(|m| m.len() == param.value.len()) {
            for (value, &kept) in param.value.iter_mut().zip(&mask) {
                if !kept {
                    *value = 0.0;
                }
            }
            param.set_mask(mask);
        }
    }
    Ok((network, snapshot.step))
}

/// The caption of a network rebuilt with [`network_at_step`].
pub fn step_caption(step: u64, weights_step: u64) -> String {
    step_caption_in(step, weights_step, Lang::En)
}

/// [`step_caption`] in `lang`.
pub fn step_caption_in(step: u64, weights_step: u64, lang: Lang) -> String {
    let args: [(&str, &dyn std::fmt::Display); 2] = [
        ("step", &numbers::count(step)),
        ("weights", &numbers::count(weights_step)),
    ];
    if weights_step == step {
        tr(lang, "fmap.caption.step", &args)
    } else {
        tr(lang, "fmap.caption.recorded", &args)
    }
}

/// The kernel of filter `filter` of conv layer `layer` on side `side`, one tile per input channel,
/// on the colour scale of that layer's kernels on both sides (what hover or focus on a map shows).
pub fn feature_filter(
    maps: &FeatureMaps,
    side: usize,
    layer: usize,
    filter: usize,
) -> Option<super::HeatmapGrid> {
    let info = maps.layers.get(layer)?;
    let shown = maps.sides.get(side)?;
    let patch = info.channels * info.kernel * info.kernel;
    let plane = info.kernel * info.kernel;
    let range = filter * patch..(filter + 1) * patch;
    let weights = shown.kernels.get(layer)?.get(range.clone())?;
    let kept = shown.kept.get(layer)?.get(range)?;
    let largest = maps
        .sides
        .iter()
        .filter_map(|s| s.kernels.get(layer))
        .flatten()
        .map(|w| w.abs())
        .filter(|w| w.is_finite())
        .fold(0.0f32, f32::max);
    let tiles = (0..info.channels)
        .map(|c| super::HeatTile {
            label: if info.channels == 1 {
                String::new()
            } else {
                tr(maps.lang, "fmap.filter.channel", &[("channel", &c)])
            },
            rows: info.kernel,
            cols: info.kernel,
            values: weights[c * plane..(c + 1) * plane].to_vec(),
            kept: kept[c * plane..(c + 1) * plane].to_vec(),
        })
        .collect();
    Some(super::HeatmapGrid {
        title: tr(
            maps.lang,
            "fmap.filter.title",
            &[("layer", &info.name), ("filter", &filter)],
        ),
        tiles,
        scale: Some(if largest > 0.0 { largest } else { 1.0 }),
        columns: None,
        lang: maps.lang,
    })
}

/// What a focused or hovered map is, in a sentence: its layer and filter, how many of its weights
/// are kept, and how strongly it responds to the digit.
pub fn filter_caption(maps: &FeatureMaps, side: usize, layer: usize, filter: usize) -> String {
    let (Some(info), Some(shown)) = (maps.layers.get(layer), maps.sides.get(side)) else {
        return String::new();
    };
    let patch = info.channels * info.kernel * info.kernel;
    let kept = shown
        .kept
        .get(layer)
        .and_then(|k| k.get(filter * patch..(filter + 1) * patch))
        .map_or(0, |k| k.iter().filter(|&&k| k).count());
    if filter >= info.filters {
        return String::new();
    }
    let lang = maps.lang;
    let head: [(&str, &dyn std::fmt::Display); 3] = [
        ("side", &shown.title),
        ("layer", &info.name),
        ("filter", &filter),
    ];
    match shown.map(layer, filter, info.height * info.width) {
        Some(map) => {
            let strongest = map.iter().copied().fold(0.0f32, f32::max);
            let figures: [(&str, &dyn std::fmt::Display); 4] = [
                (
                    "kept",
                    &numbers::count_of_in(kept as u64, patch as u64, lang),
                ),
                ("strongest", &numbers::significant(f64::from(strongest), 3)),
                ("low", &numbers::significant(f64::from(info.low), 3)),
                ("high", &numbers::significant(f64::from(info.high), 3)),
            ];
            tr(
                lang,
                "fmap.filter.kept",
                &[&head[..], &figures[..]].concat(),
            )
        }
        None => tr(
            lang,
            "fmap.filter.gone",
            &[&head[..], &[("count", &patch as &dyn std::fmt::Display)]].concat(),
        ),
    }
}

/// The maps as a table ("show data"): one row per network, layer and filter.
pub fn feature_maps_table(maps: &FeatureMaps) -> super::DataTable {
    let mut rows = Vec::new();
    for side in &maps.sides {
        for (l, info) in maps.layers.iter().enumerate() {
            for filter in 0..info.filters {
                let map = side.map(l, filter, info.height * info.width);
                let (state, high, mean) = match map {
                    Some(map) => (
                        "fmap.table.kept",
                        numbers::significant(f64::from(map.iter().copied().fold(0.0, f32::max)), 3),
                        numbers::significant(
                            map.iter().map(|&v| f64::from(v)).sum::<f64>()
                                / map.len().max(1) as f64,
                            3,
                        ),
                    ),
                    None => ("fmap.table.pruned", "–".to_string(), "–".to_string()),
                };
                rows.push(vec![
                    side.title.clone(),
                    info.name.clone(),
                    filter.to_string(),
                    tr(maps.lang, state, &[]),
                    high,
                    mean,
                ]);
            }
        }
    }
    super::DataTable {
        caption: tr(maps.lang, "fmap.table.caption", &[("digit", &maps.digit)]),
        columns: [
            "fmap.table.network",
            "fmap.table.layer",
            "fmap.table.filter",
            "fmap.table.state",
            "fmap.table.strongest",
            "fmap.table.mean",
        ]
        .map(|key| tr(maps.lang, key, &[]))
        .to_vec(),
        rows,
    }
}
