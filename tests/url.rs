//! The URL-hash codec: round trips, one notice per bad field with the rest kept, never a panic;
//! and the drawn-digit preparation.

// Native tests: the wasm32 build runs only the browser tests (tests/web_*.rs).
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use prunelab::data::drawn_digit::digit_input;
use prunelab::i18n::Lang;
use prunelab::nn::ArchSpec;
use prunelab::prune::{Scope, Strategy};
use prunelab::run::url::{arch_from_text, arch_to_text, decode, decode_in, encode};
use prunelab::run::{RunConfig, ScheduleKind};

#[test]
fn defaults_presets_and_custom_settings_survive_a_round_trip() {
    let mut custom = RunConfig {
        architecture: arch_from_text("c6k5-r-p2-d32-r-d10").unwrap(),
        ..RunConfig::default()
    };
    custom.prune.strategy = Strategy::Random;
    custom.prune.scope = Scope::Global;
    custom.prune.schedule = ScheduleKind::Rollback;
    custom.prune.target_sparsity = 0.9;
    custom.prune.tolerance = 0.125;
    custom.train.learning_rate = 0.0125;
    custom.train.seed = 123_456_789_012;
    let lenet = RunConfig {
        architecture: ArchSpec::lenet5(),
        ..RunConfig::default()
    };
    let ui = vec![
        ("view".to_string(), "weights".to_string()),
        ("hide".to_string(), "settings,tab-try".to_string()),
    ];
    for config in [RunConfig::default(), lenet, custom] {
        let hash = encode(&config, &ui);
        let decoded = decode(&format!("#{hash}"));
        assert_eq!(decoded.notices, Vec::<String>::new(), "{hash}");
        assert_eq!(decoded.config, config, "{hash}");
        assert_eq!(decoded.ui, ui);
    }
    assert!(encode(&RunConfig::default(), &[]).starts_with("arch=default&"));
}

#[test]
fn each_bad_field_gives_one_notice_and_falls_back_alone() {
    let decoded = decode("#target=abc&seed=9&lr=-5&bogus=1&arch=c10k99-d10&schedule=sometimes");
    assert_eq!(decoded.notices.len(), 5, "{:?}", decoded.notices);
    for key in ["target", "lr", "bogus", "arch", "schedule"] {
        assert!(
            decoded.notices.iter().any(|n| n.contains(key)),
            "{key}: {:?}",
            decoded.notices
        );
    }
    let defaults = RunConfig::default();
    assert_eq!(decoded.config.train.seed, 9);
    assert_eq!(
        decoded.config.prune.target_sparsity,
        defaults.prune.target_sparsity
    );
    assert_eq!(
        decoded.config.train.learning_rate,
        defaults.train.learning_rate
    );
    assert_eq!(decoded.config.architecture, defaults.architecture);
    // A combination that cannot run (a schedule that prunes during training, no training) is refused too.
    let decoded = decode("schedule=iterative&finetune=0");
    assert_eq!(decoded.notices.len(), 1, "{:?}", decoded.notices);
    assert!(decoded.config.validate().is_ok());
    let long = "a".repeat(5000);
    assert_eq!(decode(&long).notices.len(), 1);
}

#[test]
fn layer_lists_read_back_and_bad_ones_say_how_to_write_them() {
    assert_eq!(
        arch_to_text(&ArchSpec::default_cnn()),
        "c10k5-r-p2-c20k3-r-p2-d10"
    );
    assert_eq!(
        arch_from_text("c10k5-r-p2-c20k3-r-p2-d10").unwrap(),
        ArchSpec::default_cnn()
    );
    assert_eq!(arch_from_text("lenet5").unwrap(), ArchSpec::lenet5());
    let error = arch_from_text("c10-x").unwrap_err().to_string();
    assert!(error.contains("c10k5-r-p2-d10"), "{error}");
    assert!(
        arch_from_text("d5").is_err(),
        "the last layer must have 10 units"
    );
}

#[test]
fn the_page_language_passes_through_without_a_notice() {
    let decoded = decode("strategy=magnitude&lang=zh");
    assert_eq!(decoded.ui, vec![("lang".to_string(), "zh".to_string())]);
    assert!(decoded.notices.is_empty(), "{:?}", decoded.notices);
}

#[test]
fn escaped_values_round_trip_and_malformed_escapes_are_shown_as_typed() {
    let ui = vec![("lesson".to_string(), "größe a&b=c+d %zz/#".to_string())];
    let hash = encode(&RunConfig::default(), &ui);
    assert!(
        hash.ends_with("lesson=gr%C3%B6%C3%9Fe%20a%26b%3Dc%2Bd%20%25zz%2F%23"),
        "{hash}"
    );
    assert_eq!(decode(&hash).ui, ui);

    // `%31%32` is 12; `+` is a space; `%zz` and a cut-off `%4` are kept as typed and named.
    let decoded = decode("seed=%31%32&lesson=a+b&target=%zz&lr=0.1%4");
    assert_eq!(decoded.config.train.seed, 12);
    assert_eq!(decoded.ui, vec![("lesson".to_string(), "a b".to_string())]);
    assert_eq!(decoded.notices.len(), 2, "{:?}", decoded.notices);
    assert!(
        decoded.notices[0].contains("`target=%zz` is not valid"),
        "{:?}",
        decoded.notices
    );
    assert!(
        decoded.notices[1].contains("`lr=0.1%4` is not valid"),
        "{:?}",
        decoded.notices
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10_000))]

    #[test]
    fn decoding_never_panics_and_always_gives_a_valid_config(text in ".{0,300}") {
        let decoded = decode(&text);
        prop_assert!(decoded.config.validate().is_ok());
    }

    #[test]
    fn mutated_valid_hashes_still_decode_to_valid_configs(cut in 0usize..400, byte in any::<u8>()) {
        let mut hash = encode(&RunConfig::default(), &[]).into_bytes();
        let at = cut % hash.len();
        hash[at] = byte;
        let decoded = decode(&String::from_utf8_lossy(&hash));
        prop_assert!(decoded.config.validate().is_ok());
    }
}

#[test]
fn a_drawn_bar_becomes_a_centred_20_pixel_stroke() {
    let (w, h) = (280, 280);
    let mut rgba = vec![0u8; w * h * 4];
    for y in 40..240 {
        for x in 60..80 {
            let i = 4 * (y * w + x);
            rgba[i..i + 4].copy_from_slice(&[255, 255, 255, 255]);
        }
    }
    let input = digit_input(&rgba, w, h).unwrap();
    assert_eq!(input.len(), 784);
    let background = input[0];
    let rows: Vec<usize> = (0..28)
        .filter(|&r| (0..28).any(|c| input[r * 28 + c] > background))
        .collect();
    assert_eq!(rows.len(), 20, "the longer side is scaled to 20 px");
    let (mut mass, mut cx, mut cy) = (0.0, 0.0, 0.0);
    for (i, &v) in input.iter().enumerate() {
        let ink = (v - background) as f64;
        mass += ink;
        cx += ink * (i % 28) as f64;
        cy += ink * (i / 28) as f64;
    }
    assert!(
        (cx / mass - 14.0).abs() <= 1.0 && (cy / mass - 14.0).abs() <= 1.0,
        "{} {}",
        cx / mass,
        cy / mass
    );
    assert!(digit_input(&vec![0; w * h * 4], w, h)
        .unwrap_err()
        .to_string()
        .contains("nothing drawn"));
    assert!(digit_input(&rgba[..100], w, h).is_err());
    assert!(digit_input(&[], 0, 0).is_err());
}

#[test]
fn layer_overrides_round_trip_and_bad_ones_fall_back_alone() {
    use prunelab::prune::layer_targets::LayerTarget;
    let mut config = RunConfig {
        architecture: ArchSpec::lenet5(),
        ..RunConfig::default()
    };
    config.prune.layer_targets = vec![
        LayerTarget {
            layer: "conv1".into(),
            sparsity: 0.3,
        },
        LayerTarget {
            layer: "fc3".into(),
            sparsity: 0.9,
        },
    ];
    let hash = encode(&config, &[]);
    assert!(hash.ends_with("&layers=conv1:0.3,fc3:0.9"), "{hash}");
    let decoded = decode(&hash);
    assert_eq!(decoded.notices, Vec::<String>::new(), "{hash}");
    assert_eq!(decoded.config, config);
    // Read after the architecture wherever they stand: fc3 exists only in lenet5.
    let decoded = decode("layers=fc3:0.5&arch=lenet5");
    assert_eq!(decoded.notices, Vec::<String>::new());
    assert_eq!(decoded.config.prune.layer_targets[0].layer, "fc3");
    // No overrides: the key is left out, so older links and new ones look the same.
    assert!(!encode(&RunConfig::default(), &[]).contains("layers"));
    // Bad syntax, an unknown layer, a sparsity out of range: one notice each, overrides empty,
    // the other options kept.
    for bad in ["conv1=0.3", "conv1:abc", "conv9:0.5", "conv1:1.5"] {
        let decoded = decode(&format!("seed=5&layers={bad}"));
        assert_eq!(decoded.notices.len(), 1, "{bad}: {:?}", decoded.notices);
        assert!(
            decoded.notices[0].contains("layers"),
            "{:?}",
            decoded.notices
        );
        assert!(decoded.config.prune.layer_targets.is_empty());
        assert_eq!(decoded.config.train.seed, 5);
    }
}

#[test]
fn notices_read_as_before_in_english_and_come_in_chinese_too() {
    let expected = [
        (
            "target=x",
            "`target=x` is not valid; allowed: a number from 0 to below 1",
        ),
        ("zzz=1", "unknown option `zzz` ignored"),
        ("keep_output=2", "`keep_output=2` is not valid; allowed: 0, 1"),
        (
            "seed=-1",
            "`seed=-1` is not valid; allowed: a whole number from 0 to 18446744073709551615",
        ),
        (
            "lr=20",
            "`lr=20`: invalid setting `learning_rate`: 20 is out of range; allowed: greater than 0, at most 10",
        ),
        (
            "rate=1",
            "`rate=1`: invalid setting `prune_rate`: 1 is out of range; allowed: above 0, below 1",
        ),
        (
            "schedule=lottery&pretrain=0",
            "`pretrain=0`: invalid setting `pretrain_epochs`: the lottery schedule trains a round before each pruning step: give 1 or more",
        ),
    ];
    for (hash, notice) in expected {
        assert_eq!(decode(hash).notices, [notice], "{hash}");
    }
    assert_eq!(
        decode_in("rate=1&zzz=1", Lang::Zh).notices,
        [
            "`rate=1`：设置 `prune_rate` 无效：1 超出范围；允许：大于 0 且小于 1",
            "已忽略未知选项 `zzz`",
        ]
    );
}
