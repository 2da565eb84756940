//! Deflates the language catalogs (`i18n/*.json`) into `OUT_DIR`: `src/i18n.rs` embeds them
//! compressed, so page text in two languages costs the site's wasm a third of its size.

use std::path::Path;

const CATALOGS: [&str; 2] = ["en", "zh"];

fn main() {
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR for build scripts");
    for lang in CATALOGS {
        let source = format!("i18n/{lang}.json");
        println!("cargo:rerun-if-changed={source}");
        let text = std::fs::read(&source).unwrap_or_else(|e| panic!("reading {source}: {e}"));
        // Level 10 of 10: the catalogs are small, so the best ratio costs nothing here.
        let deflated = miniz_oxide::deflate::compress_to_vec(&text, 10);
        let target = Path::new(&out_dir).join(format!("{lang}.json.deflate"));
        std::fs::write(&target, deflated).unwrap_or_else(|e| panic!("writing {target:?}: {e}"));
    }
}
