//! The language catalogs the core and the page share: `i18n/en.json` and `i18n/zh.json`, flat
//! objects of `key → text` with `{name}` placeholders (the same set in both languages;
//! `tests/i18n_catalog.rs` checks them).
//!
//! The files are embedded deflated (build.rs) and parsed once per language on first use. The
//! language is always a parameter ([`Lang`]): nothing here remembers a "current" language, so
//! the CLI (English) and the page (its own choice) can never disagree about whose it is.

use std::collections::BTreeMap;
use std::fmt::Display;
use std::io::Read;
use std::sync::OnceLock;

/// A language of the catalogs. English is the default: the CLI, files and tests speak it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    En,
    /// Simplified Chinese (`zh-CN`).
    Zh,
}

impl Lang {
    /// Every language, in catalog order.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// Reads a language tag: `en`, `zh`, and regional forms such as `en-GB`, `zh-CN`, `zh-Hans`
    /// (the primary subtag decides, in any case); `None` for any other language.
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next().unwrap_or("");
        match primary.to_ascii_lowercase().as_str() {
            "en" => Some(Lang::En),
            "zh" => Some(Lang::Zh),
            _ => None,
        }
    }

    /// A tag the page may pass or leave out (`undefined`): English unless it names Chinese.
    pub fn or_default(tag: Option<&str>) -> Lang {
        tag.and_then(Lang::parse).unwrap_or_default()
    }

    /// The language's own name for itself ("English", "中文"), as the language switch shows it.
    pub fn native_name(self) -> String {
        let key = match self {
            Lang::En => "page.language.en",
            Lang::Zh => "page.language.zh",
        };
        tr(self, key, &[])
    }

    /// The catalog's file name: `en` or `zh`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }
}

/// The deflated catalog files, in [`Lang::ALL`] order.
const DEFLATED: [&[u8]; 2] = [
    include_bytes!(concat!(env!("OUT_DIR"), "/en.json.deflate")),
    include_bytes!(concat!(env!("OUT_DIR"), "/zh.json.deflate")),
];

/// The catalog file of `lang` as it is in `i18n/` (JSON text).
pub fn catalog_json(lang: Lang) -> String {
    let mut text = String::new();
    // The bytes were written by build.rs from the files in the repository: a failure here is a
    // broken build, which every test would show at once.
    flate2::read::DeflateDecoder::new(DEFLATED[lang as usize])
        .read_to_string(&mut text)
        .expect("the embedded catalog inflates");
    text
}

/// The catalog of `lang`, parsed on first use.
fn catalog(lang: Lang) -> &'static BTreeMap<String, String> {
    static CATALOGS: [OnceLock<BTreeMap<String, String>>; 2] = [OnceLock::new(), OnceLock::new()];
    CATALOGS[lang as usize].get_or_init(|| {
        serde_json::from_str(&catalog_json(lang)).expect("the embedded catalog is a flat object")
    })
}

/// The text of `key` in `lang` with its `{name}` placeholders filled from `args`. A key missing
/// from the Chinese catalog falls back to English, and a key missing from both is returned as
/// it is (the catalog test keeps both from happening).
pub fn tr(lang: Lang, key: &str, args: &[(&str, &dyn Display)]) -> String {
    let template = catalog(lang)
        .get(key)
        .or_else(|| catalog(Lang::En).get(key));
    match template {
        Some(template) => fill(template, args),
        None => key.to_string(),
    }
}

/// Replaces each `{name}` in `template` by its argument; a brace pair that names no argument
/// stays as written.
pub fn fill(template: &str, args: &[(&str, &dyn Display)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            let (_, value) = args.iter().find(|(n, _)| *n == name)?;
            Some((close, value))
        });
        match value {
            Some((close, value)) => {
                out.push_str(&value.to_string());
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The placeholder names of a catalog text: `{field}` and `{value}` in
/// "`{field}`: {value} is out of range" → `[field, value]` (sorted, once each).
pub fn placeholders(template: &str) -> Vec<String> {
    let mut names: Vec<String> = template
        .split('{')
        .skip(1)
        .filter_map(|part| part.split_once('}').map(|(name, _)| name))
        .filter(|name| !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_'))
        .map(str::to_string)
        .collect();
    names.sort();
    names.dedup();
    names
}

/// A message to show in either language: a catalog key with its arguments (themselves messages,
/// so a range inside an error is translated too), or plain text — a number, a name, a layer list,
/// or a message not given a catalog key yet (shown as written in every language).
#[derive(Clone, Debug, PartialEq)]
pub enum Message {
    Plain(String),
    Coded {
        key: String,
        args: Vec<(&'static str, Message)>,
    },
}

impl Message {
    /// The message of catalog `key` with `args`.
    pub fn coded(key: String, args: Vec<(&'static str, Message)>) -> Message {
        Message::Coded { key, args }
    }

    /// The text in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        match self {
            Message::Plain(text) => text.clone(),
            Message::Coded { key, args } => {
                let rendered: Vec<(&str, String)> =
                    args.iter().map(|(n, a)| (*n, a.render(lang))).collect();
                let args: Vec<(&str, &dyn Display)> = rendered
                    .iter()
                    .map(|(n, a)| (*n, a as &dyn Display))
                    .collect();
                tr(lang, key, &args)
            }
        }
    }
}

/// English, as the CLI and the files write it.
impl Display for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

impl From<String> for Message {
    fn from(text: String) -> Message {
        Message::Plain(text)
    }
}

impl From<&str> for Message {
    fn from(text: &str) -> Message {
        Message::Plain(text.to_string())
    }
}

/// An argument shown as written (`Display`): numbers and names.
pub fn plain(value: impl Display) -> Message {
    Message::Plain(value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_read_by_their_primary_subtag() {
        assert_eq!(Lang::parse("en"), Some(Lang::En));
        assert_eq!(Lang::parse("zh-CN"), Some(Lang::Zh));
        assert_eq!(Lang::parse("ZH_hans"), Some(Lang::Zh));
        assert_eq!(Lang::parse("fr"), None);
        assert_eq!(Lang::or_default(None), Lang::En);
        assert_eq!(Lang::or_default(Some("de")), Lang::En);
    }

    #[test]
    fn placeholders_are_filled_and_unknown_braces_kept() {
        let filled = fill("`{key}={value}` {x} {", &[("key", &"lr"), ("value", &0.5)]);
        assert_eq!(filled, "`lr=0.5` {x} {");
        assert_eq!(placeholders("{b} {a} {b} {not a name}"), ["a", "b"]);
    }

    #[test]
    fn embedded_catalogs_are_the_files() {
        for lang in Lang::ALL {
            let file = format!("{}/i18n/{}.json", env!("CARGO_MANIFEST_DIR"), lang.code());
            assert_eq!(catalog_json(lang), std::fs::read_to_string(file).unwrap());
        }
        assert_eq!(Lang::Zh.native_name(), "中文");
        assert_eq!(tr(Lang::En, "no.such.key", &[]), "no.such.key");
    }
}
