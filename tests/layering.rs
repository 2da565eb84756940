//! The crate's layering, checked: `use` flows one way between the parts of `src/`, the core never
//! touches browser types or a clock, and `unsafe` stays in `nn::kernels`.
//!
//! The parts, lowest first (a part may use only those before it):
//! `i18n` → `error` → `names` → `data` → `nn` → `train` → `prune` → `metrics` → `io` → `run` → `charts` → `web`.
//! `src/bin` (the CLI) is its own crate and may use any of them. Comments are skipped, so a doc
//! link to a higher part is allowed; code is not.

// Native tests: the wasm32 build runs only the browser tests (tests/web_*.rs).
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};

/// The parts of the library, lowest first.
const LAYERS: [&str; 12] = [
    "i18n", "error", "names", "data", "nn", "train", "prune", "metrics", "io", "run", "charts",
    "web",
];

/// Names the crate root re-exports from a part (`crate::Result` is `crate::error::Result`).
const ROOT_REEXPORTS: [(&str, &str); 2] = [("Error", "error"), ("Result", "error")];

/// Words only the browser facade may say: the core builds and is tested natively.
const BROWSER_ONLY: [&str; 3] = ["wasm_bindgen", "web_sys", "js_sys"];

/// The core draws randomness from seeds and never reads a clock.
const CLOCKS: [&str; 3] = ["std::time", "Instant::now", "SystemTime"];

fn source_files(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            source_files(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

/// The module path of a file under `src/`: `src/nn/kernels/conv.rs` → `[nn, kernels, conv]`,
/// `src/nn/mod.rs` → `[nn]`, `src/lib.rs` → `[]`.
fn module_path(relative: &Path) -> Vec<String> {
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts
}

/// The code of a file without its comments (line comments and doc comments).
fn code(text: &str) -> String {
    text.lines()
        .map(|line| match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The parts a piece of code names: `crate::x`, `crate::{x, y::z}` and `super::` chains that
/// climb out of `module` to the crate root.
fn parts_named(code: &str, module: &[String]) -> Vec<String> {
    let mut named = Vec::new();
    let mut first_segment = |path: &str| {
        let head: String = path
            .trim()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let part = ROOT_REEXPORTS
            .iter()
            .find(|(name, _)| *name == head)
            .map_or(head.clone(), |(_, part)| part.to_string());
        if !part.is_empty() {
            named.push(part);
        }
    };
    for (at, _) in code.match_indices("crate::") {
        // Skip `prunelab_crate::` and the like: the match must start a path.
        let before = code[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            for item in top_level_items(group) {
                first_segment(&item);
            }
        } else {
            first_segment(rest);
        }
    }
    for (at, _) in code.match_indices("super::") {
        let before = code[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        let mut rest = &code[at..];
        let mut climbs = 0;
        while let Some(next) = rest.strip_prefix("super::") {
            climbs += 1;
            rest = next;
        }
        // Inline modules (`mod tests { … }`) add levels the file path does not show.
        let depth = module.len() + inline_modules_open(&code[..at]);
        if climbs >= depth && depth > 0 {
            if let Some(group) = rest.strip_prefix('{') {
                for item in top_level_items(group) {
                    first_segment(&item);
                }
            } else {
                first_segment(rest);
            }
        }
    }
    named
}

/// How many inline `mod name { … }` blocks are open at the end of `code`.
fn inline_modules_open(code: &str) -> usize {
    let mut open: Vec<bool> = Vec::new();
    for (at, c) in code.char_indices() {
        match c {
            '{' => {
                let words: Vec<&str> = code[..at].split_whitespace().rev().take(2).collect();
                open.push(words.len() == 2 && words[1] == "mod");
            }
            '}' => {
                open.pop();
            }
            _ => {}
        }
    }
    open.iter().filter(|&&m| m).count()
}

/// The comma-separated items of a `{…}` group up to its closing brace, nested groups kept whole.
fn top_level_items(group: &str) -> Vec<String> {
    let (mut items, mut current, mut depth) = (Vec::new(), String::new(), 0);
    for c in group.chars() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    items.push(current);
    items
}

struct Finding {
    file: String,
    message: String,
}

/// Every breach of the rules in the library's sources under `src`.
fn breaches(src: &Path) -> Vec<Finding> {
    let mut files = Vec::new();
    source_files(src, &mut files);
    files.sort();
    let mut findings = Vec::new();
    for path in files {
        let relative = path.strip_prefix(src).unwrap();
        if relative.starts_with("bin") {
            continue;
        }
        let module = module_path(relative);
        let Some(part) = module.first() else {
            continue; // lib.rs declares the parts.
        };
        let file = relative.display().to_string();
        let Some(rank) = LAYERS.iter().position(|l| l == part) else {
            findings.push(Finding {
                file,
                message: format!("`{part}` is not one of the parts {LAYERS:?}: add it to the list"),
            });
            continue;
        };
        let text = std::fs::read_to_string(&path).unwrap();
        let code = code(&text);
        for named in parts_named(&code, &module) {
            match LAYERS.iter().position(|l| *l == named) {
                Some(used) if used > rank => findings.push(Finding {
                    file: file.clone(),
                    message: format!("`{part}` uses `{named}`, a part above it"),
                }),
                None => findings.push(Finding {
                    file: file.clone(),
                    message: format!("uses `crate::{named}`, which is not one of the parts"),
                }),
                _ => {}
            }
        }
        if part != "web" {
            for word in BROWSER_ONLY.iter().chain(&CLOCKS) {
                if code.contains(word) {
                    findings.push(Finding {
                        file: file.clone(),
                        message: format!("the core names `{word}` (browser types and clocks belong in web or bin)"),
                    });
                }
            }
        }
        let kernels = module.len() >= 2 && module[0] == "nn" && module[1] == "kernels";
        if !kernels && code.contains("unsafe ") {
            findings.push(Finding {
                file,
                message: "`unsafe` outside nn::kernels".into(),
            });
        }
    }
    findings
}

#[test]
fn use_flows_one_way_and_the_core_stays_plain_and_safe() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let findings = breaches(&src);
    let report: Vec<String> = findings
        .iter()
        .map(|f| format!("src/{}: {}", f.file, f.message))
        .collect();
    assert!(
        report.is_empty(),
        "layering breaches:\n{}",
        report.join("\n")
    );
}

/// The check itself finds what it is for, on a made-up tree.
#[test]
fn the_check_flags_upward_uses_clocks_browser_types_and_stray_unsafe() {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("layering-fixture");
    let _ = std::fs::remove_dir_all(&root);
    let write = |path: &str, text: &str| {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("lib.rs", "pub mod nn;\npub mod run;\n");
    write(
        "nn/state.rs",
        "use crate::{data::Dataset, io::NamedTensor};\n/// [`crate::run`] in a doc is fine\n",
    );
    write("nn/kernels/fast.rs", "unsafe fn f() {}\n");
    write(
        "nn/deep/inner.rs",
        "use super::super::super::charts::Chart;\n",
    );
    write(
        "nn/inline.rs",
        "mod imp {\n    use super::super::gemm::Op;\n}\n",
    );
    write("data/load.rs", "use crate::Result;\nunsafe fn g() {}\n");
    write("run/timer.rs", "let t = std::time::Duration::ZERO;\n");
    write("train/page.rs", "use wasm_bindgen::prelude::*;\n");
    write(
        "web/glue.rs",
        "use wasm_bindgen::prelude::*;\nuse crate::run::X;\n",
    );
    let found: Vec<String> = breaches(&root)
        .iter()
        .map(|f| format!("{}: {}", f.file, f.message))
        .collect();
    let expect = [
        "nn/state.rs: `nn` uses `io`, a part above it",
        "nn/deep/inner.rs: `nn` uses `charts`, a part above it",
        "data/load.rs: `unsafe` outside nn::kernels",
        "run/timer.rs: the core names `std::time`",
        "train/page.rs: the core names `wasm_bindgen`",
    ];
    for expected in expect {
        assert!(
            found.iter().any(|f| f.starts_with(expected)),
            "missing {expected:?} in {found:#?}"
        );
    }
    assert_eq!(found.len(), expect.len(), "{found:#?}");
}
