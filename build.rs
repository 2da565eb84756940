//! Deflates the language catalogs (`i18n/*.json`) and the lessons' Chinese text
//! (`lessons/lessons.zh.json`) into `OUT_DIR`: `src/i18n.rs` and `src/run/lessons/overlay.rs`
//! embed them compressed, so page text in two languages costs the site's wasm a third of its size.

use std::path::Path;

const CATALOGS: [&str; 2] = ["en", "zh"];

/// The lessons' overlays, one per language other than English (`lessons/lessons.json` is English).
const LESSON_OVERLAYS: [&str; 1] = ["zh"];

fn main() {
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR for build scripts");
    for lang in CATALOGS {
        deflate(
            &format!("i18n/{lang}.json"),
            &out_dir,
            &format!("{lang}.json.deflate"),
        );
    }
    for lang in LESSON_OVERLAYS {
        deflate(
            &format!("lessons/lessons.{lang}.json"),
            &out_dir,
            &format!("lessons.{lang}.json.deflate"),
        );
    }
}

/// Writes `source` deflated to `OUT_DIR/name`, and reruns the build script when it changes.
fn deflate(source: &str, out_dir: &str, name: &str) {
    println!("cargo:rerun-if-changed={source}");
    let text = std::fs::read(source).unwrap_or_else(|e| panic!("reading {source}: {e}"));
    // Level 10 of 10: the files are small, so the best ratio costs nothing here.
    let deflated = miniz_oxide::deflate::compress_to_vec(&text, 10);
    let target = Path::new(out_dir).join(name);
    std::fs::write(&target, deflated).unwrap_or_else(|e| panic!("writing {target:?}: {e}"));
}
