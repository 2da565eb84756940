//! The playground's whole configuration in the URL hash, e.g.
//! `arch=default&strategy=magnitude&schedule=gradual&target=0.75&seed=1&view=weights`, plus
//! `layers=conv1:0.3,fc1:0.9` when some layers have their own sparsity, and targeted dropout's
//! `td_gamma` / `td_alpha` when they differ from their defaults.
//!
//! Decoding never fails: a malformed or out-of-range value falls back to its default and is listed
//! in `notices`, naming the option, the bad value and what is allowed; unknown options are listed
//! and ignored. Options the page owns (views, embedding) pass through in `ui`.

use serde::{Deserialize, Serialize};

use super::config::{PruneSettings, RunConfig};
use crate::error::ErrorCode;
use crate::i18n::{plain, Lang, Message};
use crate::names::Named;
use crate::nn::{ArchSpec, LayerSpec, Shape};
use crate::prune::layer_targets::LayerTarget;

/// Options the page owns; passed through verbatim (`present=1`: presenter mode; `speed`: the
/// training speed, `pace`, `fast` or `max`; `lang`: the page's language, `en` or `zh`).
pub const UI_KEYS: [&str; 10] = [
    "view", "hide", "embed", "lesson", "compare", "step", "tensor", "present", "speed", "lang",
];
/// Longest hash decoded; anything longer is ignored as a whole.
pub const MAX_HASH_LEN: usize = 4096;

/// The outcome of [`decode`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Decoded {
    pub config: RunConfig,
    pub ui: Vec<(String, String)>,
    pub notices: Vec<String>,
}

/// The configuration (and the page's options) as a hash, without the leading `#`.
pub fn encode(config: &RunConfig, ui: &[(String, String)]) -> String {
    let (t, p) = (&config.train, &config.prune);
    let mut pairs: Vec<(String, String)> = vec![
        (
            "arch".into(),
            preset_name(&config.architecture)
                .map_or_else(|| arch_to_text(&config.architecture), str::to_string),
        ),
        ("strategy".into(), p.strategy.name().into()),
        ("scope".into(), p.scope.name().into()),
        ("granularity".into(), p.granularity.name().into()),
        ("schedule".into(), p.schedule.name().into()),
        ("rewind".into(), p.rewind.name().into()),
        ("rewind_step".into(), p.rewind_step.to_string()),
        ("regrow_interval".into(), p.regrow_interval.to_string()),
        ("regrow_fraction".into(), p.regrow_fraction.to_string()),
        ("target".into(), p.target_sparsity.to_string()),
        ("pretrain".into(), p.pretrain_epochs.to_string()),
        ("finetune".into(), p.finetune_epochs.to_string()),
        ("rate".into(), p.prune_rate.to_string()),
        ("steps".into(), p.prune_steps.to_string()),
        ("tolerance".into(), p.tolerance.to_string()),
        (
            "keep_output".into(),
            u8::from(p.keep_output_layer).to_string(),
        ),
        ("optimizer".into(), t.optimizer.name().into()),
        ("lr".into(), t.learning_rate.to_string()),
        ("lr_schedule".into(), t.schedule.name().into()),
        ("batch".into(), t.batch_size.to_string()),
        ("momentum".into(), t.momentum.to_string()),
        ("l1".into(), t.l1.to_string()),
        ("l2".into(), t.l2.to_string()),
        ("dropout".into(), t.dropout.to_string()),
        ("seed".into(), t.seed.to_string()),
    ];
    // Only when set, so links without overrides stay as they were.
    if !p.layer_targets.is_empty() {
        pairs.push(("layers".into(), layers_to_text(&p.layer_targets)));
    }
    // Targeted dropout's γ and α only when changed, so links that do not use them stay as they were.
    let defaults = PruneSettings::default();
    if p.td_gamma != defaults.td_gamma {
        pairs.push(("td_gamma".into(), p.td_gamma.to_string()));
    }
    if p.td_alpha != defaults.td_alpha {
        pairs.push(("td_alpha".into(), p.td_alpha.to_string()));
    }
    pairs.extend(ui.iter().cloned());
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", escape(k), escape(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The stable code of a URL-hash notice; its catalog key is `notice.<code>` (kebab-case).
#[derive(Clone, Copy, Debug, PartialEq, Eq, strum::IntoStaticStr, strum::VariantArray)]
#[strum(serialize_all = "kebab-case")]
pub enum NoticeCode {
    HashTooLong,
    OptionRejected,
    NotValid,
    UnknownOption,
    WholeSteps,
    WholeEpochs,
    WholeBetween,
    NumberBetween,
    NumberBelow,
    NumberAboveBelow,
    NumberAboveAtMost,
    LayerPairs,
}

impl NoticeCode {
    /// The catalog key: `notice.not-valid`.
    pub fn key(self) -> String {
        format!("notice.{}", <&str>::from(self))
    }

    fn with(self, args: Vec<(&'static str, Message)>) -> Message {
        Message::coded(self.key(), args)
    }

    /// A range notice ("a number from {min} to {max}") with its ends.
    fn range(self, min: impl std::fmt::Display, max: impl std::fmt::Display) -> Message {
        self.with(vec![("min", plain(min)), ("max", plain(max))])
    }
}

/// Reads a hash (with or without `#`); see the module docs. Notices are in English.
pub fn decode(hash: &str) -> Decoded {
    decode_in(hash, Lang::En)
}

/// [`decode`] with the notices in `lang`.
pub fn decode_in(hash: &str, lang: Lang) -> Decoded {
    let mut decoded = Decoded::default();
    let hash = hash.strip_prefix('#').unwrap_or(hash);
    if hash.len() > MAX_HASH_LEN {
        let notice = NoticeCode::HashTooLong.with(vec![
            ("length", plain(hash.len())),
            ("max", plain(MAX_HASH_LEN)),
        ]);
        decoded.notices.push(notice.render(lang));
        return decoded;
    }
    // Layer overrides name layers of the architecture: read them after every other option.
    let (layers, others): (Vec<&str>, Vec<&str>) = hash
        .split('&')
        .filter(|p| !p.is_empty())
        .partition(|p| p.split_once('=').map_or(*p, |(k, _)| k) == "layers");
    for pair in others.into_iter().chain(layers) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let (key, value) = (unescape(key), unescape(value));
        if UI_KEYS.contains(&key.as_str()) {
            decoded.ui.retain(|(k, _)| *k != key);
            decoded.ui.push((key, value));
            continue;
        }
        let before = decoded.config.clone();
        match apply(&mut decoded.config, &key, &value) {
            Ok(()) => {
                // Each field is checked on its own, so one bad option never discards the others.
                if let Err(error) = decoded.config.validate() {
                    decoded.config = before;
                    let notice = rejected(&key, &value, error.message());
                    decoded.notices.push(notice.render(lang));
                }
            }
            Err(notice) => decoded.notices.push(notice.render(lang)),
        }
    }
    decoded
}

/// "`{key}={value}`: {error}".
fn rejected(key: &str, value: &str, error: Message) -> Message {
    NoticeCode::OptionRejected.with(vec![
        ("key", plain(key)),
        ("value", plain(value)),
        ("error", error),
    ])
}

fn apply(config: &mut RunConfig, key: &str, value: &str) -> Result<(), Message> {
    use NoticeCode::*;
    let bad = |allowed: Message| {
        NotValid.with(vec![
            ("key", plain(key)),
            ("value", plain(value)),
            ("allowed", allowed),
        ])
    };
    // A named choice: the names (and older spellings, e.g. `one_shot`) come from its enum.
    fn named<T: Named>(key: &str, value: &str) -> Result<T, Message> {
        T::from_name(value).map_err(|_| {
            NotValid.with(vec![
                ("key", plain(key)),
                ("value", plain(value)),
                ("allowed", plain(T::names().join(", "))),
            ])
        })
    }
    let (t, p) = (&mut config.train, &mut config.prune);
    match key {
        "arch" => {
            config.architecture =
                arch_from_text(value).map_err(|e| rejected("arch", value, e.message()))?
        }
        "strategy" => p.strategy = named(key, value)?,
        "scope" => p.scope = named(key, value)?,
        "granularity" => p.granularity = named(key, value)?,
        "rewind" => p.rewind = named(key, value)?,
        "rewind_step" => p.rewind_step = value.parse().map_err(|_| bad(WholeSteps.with(vec![])))?,
        "regrow_interval" => {
            p.regrow_interval = value
                .parse()
                .map_err(|_| bad(WholeBetween.range(1, 100000)))?
        }
        "regrow_fraction" => {
            p.regrow_fraction = value.parse().map_err(|_| bad(NumberBelow.range(0, 1)))?
        }
        "td_gamma" => p.td_gamma = value.parse().map_err(|_| bad(NumberBetween.range(0, 1)))?,
        "td_alpha" => p.td_alpha = value.parse().map_err(|_| bad(NumberBetween.range(0, 1)))?,
        "schedule" => p.schedule = named(key, value)?,
        "target" => p.target_sparsity = value.parse().map_err(|_| bad(NumberBelow.range(0, 1)))?,
        "pretrain" => {
            p.pretrain_epochs = value.parse().map_err(|_| bad(WholeEpochs.with(vec![])))?
        }
        "finetune" => {
            p.finetune_epochs = value.parse().map_err(|_| bad(WholeEpochs.with(vec![])))?
        }
        "rate" => {
            p.prune_rate = value
                .parse()
                .map_err(|_| bad(NumberAboveBelow.range(0, 1)))?
        }
        "steps" => {
            p.prune_steps = value
                .parse()
                .map_err(|_| bad(WholeBetween.range(1, 1000)))?
        }
        "tolerance" => p.tolerance = value.parse().map_err(|_| bad(NumberBetween.range(0, 10)))?,
        "keep_output" => {
            p.keep_output_layer = match value {
                "0" | "false" => false,
                "1" | "true" => true,
                _ => return Err(bad(plain("0, 1"))),
            }
        }
        "optimizer" => t.optimizer = named(key, value)?,
        "lr" => {
            t.learning_rate = value
                .parse()
                .map_err(|_| bad(NumberAboveAtMost.range(0, 10)))?
        }
        "lr_schedule" => t.schedule = named(key, value)?,
        "batch" => {
            t.batch_size = value
                .parse()
                .map_err(|_| bad(WholeBetween.range(1, 1024)))?
        }
        "momentum" => t.momentum = value.parse().map_err(|_| bad(NumberBelow.range(0, 1)))?,
        "l1" => t.l1 = value.parse().map_err(|_| bad(NumberBetween.range(0, 1)))?,
        "l2" => t.l2 = value.parse().map_err(|_| bad(NumberBetween.range(0, 1)))?,
        "dropout" => t.dropout = value.parse().map_err(|_| bad(NumberBelow.range(0, 0.95)))?,
        "seed" => {
            t.seed = value
                .parse()
                .map_err(|_| bad(WholeBetween.range(0, u64::MAX)))?
        }
        "layers" => {
            p.layer_targets = layers_from_text(value).ok_or_else(|| bad(LayerPairs.with(vec![])))?
        }
        other => return Err(UnknownOption.with(vec![("key", plain(other))])),
    }
    Ok(())
}

/// Overrides as `conv1:0.3,fc1:0.9`.
fn layers_to_text(targets: &[LayerTarget]) -> String {
    targets
        .iter()
        .map(|t| format!("{}:{}", t.layer, t.sparsity))
        .collect::<Vec<_>>()
        .join(",")
}

/// Reads [`layers_to_text`]'s format (empty: no overrides); names and ranges are left to
/// `RunConfig::validate`.
fn layers_from_text(text: &str) -> Option<Vec<LayerTarget>> {
    text.split(',')
        .filter(|pair| !pair.trim().is_empty())
        .map(|pair| {
            let (layer, sparsity) = pair.split_once(':')?;
            Some(LayerTarget {
                layer: layer.trim().to_string(),
                sparsity: sparsity.trim().parse().ok()?,
            })
        })
        .collect()
}

/// The preset an architecture equals, if any.
pub fn preset_name(spec: &ArchSpec) -> Option<&'static str> {
    ["default", "lenet5", "reference"]
        .into_iter()
        .find(|name| ArchSpec::preset(name).is_ok_and(|p| &p == spec))
}

/// A layer list as compact text: `c10k5-r-p2-c20k3-r-p2-d10` (conv filters+kernel, ReLU,
/// max-pool size, dense units). The input is always one 28×28 channel.
pub fn arch_to_text(spec: &ArchSpec) -> String {
    spec.layers
        .iter()
        .map(|layer| match layer {
            LayerSpec::Conv { filters, kernel } => format!("c{filters}k{kernel}"),
            LayerSpec::Relu => "r".into(),
            LayerSpec::MaxPool { size } => format!("p{size}"),
            LayerSpec::Dense { units } => format!("d{units}"),
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// Parses [`arch_to_text`]'s format (or a preset name) and checks the architecture.
pub fn arch_from_text(text: &str) -> crate::Result<ArchSpec> {
    let text = text.trim();
    if let Ok(preset) = ArchSpec::preset(text) {
        return Ok(preset);
    }
    let invalid = |part: &str| {
        crate::Error::setting(
            "architecture",
            ErrorCode::UnreadableLayer.with(vec![("part", plain(part))]),
        )
    };
    let number = |s: &str, part: &str| s.parse::<usize>().map_err(|_| invalid(part));
    let mut layers = Vec::new();
    for part in text.split(['-', ',', ' ']).filter(|p| !p.is_empty()) {
        let layer = match part.as_bytes()[0] {
            b'r' if part == "r" => LayerSpec::Relu,
            b'p' => LayerSpec::MaxPool {
                size: number(&part[1..], part)?,
            },
            b'd' => LayerSpec::Dense {
                units: number(&part[1..], part)?,
            },
            b'c' => {
                let (filters, kernel) = part[1..].split_once('k').ok_or_else(|| invalid(part))?;
                LayerSpec::Conv {
                    filters: number(filters, part)?,
                    kernel: number(kernel, part)?,
                }
            }
            _ => return Err(invalid(part)),
        };
        layers.push(layer);
    }
    let spec = ArchSpec {
        input: Shape::new(1, 28, 28),
        layers,
    };
    spec.param_count()?;
    Ok(spec)
}

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// What [`escape`] percent-encodes: everything but unreserved characters. `,` and `:` are allowed
/// in a fragment (RFC 3986) and keep `layers=conv1:0.3` readable.
const ESCAPED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b',')
    .remove(b':');

/// Percent-encodes (UTF-8, upper-case hex) everything in [`ESCAPED`].
fn escape(text: &str) -> String {
    utf8_percent_encode(text, ESCAPED).to_string()
}

/// Reverses [`escape`] and reads `+` as a space (as forms write it). Malformed escapes such as
/// `%zz` are kept as typed, so the notice for a bad value shows what was in the link.
fn unescape(text: &str) -> String {
    percent_decode_str(&text.replace('+', " "))
        .decode_utf8_lossy()
        .into_owned()
}
