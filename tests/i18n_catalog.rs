//! The language catalogs (`i18n/en.json`, `i18n/zh.json`) checked against each other and against
//! the code: both are flat, sorted, one key a line; they have the same keys with the same
//! `{placeholders}`; and every key is used somewhere.
//!
//! "Used" means the key appears as a quoted literal (`"key"`, `'key'` or `` `key` ``) in the Rust
//! sources (`src/**/*.rs`), the page's scripts (`www/**/*.js`, so `t('key')` and key tables) or
//! `index.html` (`data-i18n="key"`, `data-i18n-aria-label="key"`, …), or belongs to a family the
//! code builds from an enum: `error.<code>` from `ErrorCode`, `notice.<code>` from `NoticeCode`,
//! `option.<kind>.<name>` from the named choices (`run::catalog`).

// Native tests: the wasm32 build runs only the browser tests (tests/web_*.rs).
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use prunelab::error::ErrorCode;
use prunelab::i18n::{placeholders, Lang};
use prunelab::run::catalog::{catalog, catalog_in, english_labels};
use prunelab::run::url::NoticeCode;
use strum::VariantArray;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read_catalog(lang: Lang) -> (String, BTreeMap<String, String>) {
    let path = root().join(format!("i18n/{}.json", lang.code()));
    let text = std::fs::read_to_string(&path).unwrap();
    let value: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: not JSON: {e}", path.display()));
    let object = value
        .as_object()
        .unwrap_or_else(|| panic!("{}: not one JSON object", path.display()));
    let entries = object
        .iter()
        .map(|(key, value)| match value.as_str() {
            Some(text) => (key.clone(), text.to_string()),
            None => panic!(
                "{}: `{key}` is not a string (catalogs are flat)",
                path.display()
            ),
        })
        .collect();
    (text, entries)
}

#[test]
fn catalogs_are_flat_sorted_and_one_key_a_line() {
    for lang in Lang::ALL {
        let (text, entries) = read_catalog(lang);
        // serde_json's pretty form of a sorted map: 2-space indent, one key a line.
        let canonical = serde_json::to_string_pretty(&entries).unwrap() + "\n";
        if text != canonical {
            let first_difference = text
                .lines()
                .zip(canonical.lines())
                .find(|(a, b)| a != b)
                .map_or_else(String::new, |(a, b)| {
                    format!("\n  is:        {a}\n  should be: {b}")
                });
            panic!(
                "i18n/{}.json is not sorted, flat and 2-space indented{first_difference}",
                lang.code()
            );
        }
    }
}

#[test]
fn both_catalogs_have_the_same_keys_and_placeholders() {
    let (_, en) = read_catalog(Lang::En);
    let (_, zh) = read_catalog(Lang::Zh);
    let en_keys: BTreeSet<&String> = en.keys().collect();
    let zh_keys: BTreeSet<&String> = zh.keys().collect();
    let only_en: Vec<_> = en_keys.difference(&zh_keys).collect();
    let only_zh: Vec<_> = zh_keys.difference(&en_keys).collect();
    assert!(only_en.is_empty(), "missing from i18n/zh.json: {only_en:?}");
    assert!(only_zh.is_empty(), "missing from i18n/en.json: {only_zh:?}");
    let differing: Vec<String> = en
        .iter()
        .filter(|(key, text)| placeholders(text) != placeholders(&zh[*key]))
        .map(|(key, text)| {
            format!(
                "{key}: en {:?}, zh {:?}",
                placeholders(text),
                placeholders(&zh[key])
            )
        })
        .collect();
    assert!(differing.is_empty(), "placeholders differ: {differing:#?}");
}

fn files_under(dir: &Path, extension: &str, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            // Built output (www/pkg: wasm-bindgen's glue) is not source.
            if path.file_name().is_some_and(|n| n == "pkg") {
                continue;
            }
            files_under(&path, extension, files);
        } else if path.extension().is_some_and(|e| e == extension) {
            files.push(path);
        }
    }
}

/// Every source text a key can be used from.
fn sources() -> String {
    let mut files = Vec::new();
    files_under(&root().join("src"), "rs", &mut files);
    files_under(&root().join("www"), "js", &mut files);
    files.push(root().join("index.html"));
    files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap_or_else(|e| panic!("{}: {e}", f.display())))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The keys the code builds from its enums (error and notice codes, the choices' labels).
fn generated_keys() -> BTreeSet<String> {
    let errors = ErrorCode::VARIANTS.iter().map(|c| c.key());
    let notices = NoticeCode::VARIANTS.iter().map(|c| c.key());
    let labels = english_labels().into_iter().map(|(key, _)| key);
    errors.chain(notices).chain(labels).collect()
}

#[test]
fn the_english_catalog_labels_every_choice_as_the_engine_does() {
    let (_, en) = read_catalog(Lang::En);
    for (key, label) in english_labels() {
        assert_eq!(en.get(&key).map(String::as_str), Some(label), "{key}");
    }
    // The page's lists in Chinese: every label translated.
    let zh = catalog_in(Lang::Zh);
    let labels: Vec<&str> = zh.strategies.iter().map(|s| s.label.as_str()).collect();
    assert!(labels.contains(&"权重大小剪枝"), "{labels:?}");
    assert_eq!(catalog_in(Lang::En), catalog());
}

#[test]
fn every_generated_key_is_in_the_catalogs() {
    let (_, en) = read_catalog(Lang::En);
    let missing: Vec<String> = generated_keys()
        .into_iter()
        .filter(|key| !en.contains_key(key))
        .collect();
    assert!(
        missing.is_empty(),
        "codes without a catalog text: {missing:?}"
    );
}

#[test]
fn every_key_is_used() {
    let (_, en) = read_catalog(Lang::En);
    let sources = sources();
    let generated = generated_keys();
    let unused: Vec<&String> = en
        .keys()
        .filter(|key| !generated.contains(*key))
        .filter(|key| {
            !['"', '\'', '`']
                .iter()
                .any(|q| sources.contains(&format!("{q}{key}{q}")))
        })
        .collect();
    assert!(
        unused.is_empty(),
        "keys nothing uses (no quoted literal in src/, www/*.js or index.html, and no enum \
         builds them): {unused:?}"
    );
}
