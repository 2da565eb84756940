//! The facts the page shows about the weight under the pointer, on a hand-written history
//! (tests/views_common): index arithmetic, value, kept / pruned-at, and when a score exists.

mod views_common;

use prunelab::charts::{heatmap_layout, hit_test, pruned_at_layout};
use prunelab::prune::Strategy;
use prunelab::run::views::{
    self, weight_hover, ViewError, WeightCell, WeightView, NOT_WEIGHT_ALONE_NOTE, PRUNED_NOTE,
};
use views_common::{history, CONV1_AT_0, CONV1_AT_4};

fn cell(tile: usize, row: usize, col: usize) -> WeightCell {
    WeightCell { tile, row, col }
}

#[test]
fn a_kept_weight_under_magnitude_scores_its_absolute_value() {
    let h = history();
    // Filter 2, row 2, column 2 of conv1: index 4 + 1·2 + 1 = 7, -0.75 at step 4.
    let info = weight_hover(&h, Strategy::Magnitude, 0, 4, cell(1, 1, 1))
        .unwrap()
        .unwrap();
    assert_eq!(info.tensor, "conv1.weight");
    assert_eq!(info.tile, "filter 2");
    assert_eq!((info.index, info.row, info.col), (7, 1, 1));
    assert_eq!(info.value, CONV1_AT_4[7]);
    assert!(info.kept);
    assert_eq!(info.pruned_at, None);
    assert!(!info.regrown);
    assert_eq!(info.score, Some(0.75));
    assert_eq!(info.score_note, None);
    assert_eq!(info.criterion, "magnitude");
    assert_eq!(info.criterion_label, "Weight magnitude");
}

#[test]
fn a_pruned_weight_has_no_score_because_it_is_pruned_under_every_criterion() {
    let h = history();
    for strategy in [Strategy::Magnitude, Strategy::L1, Strategy::Taylor] {
        // Filter 2, row 1, column 1: index 4, removed at step 3.
        let info = weight_hover(&h, strategy, 0, 4, cell(1, 0, 0))
            .unwrap()
            .unwrap();
        assert_eq!(info.index, 4);
        assert!(!info.kept);
        assert_eq!(info.value, 0.0);
        assert_eq!(info.pruned_at, Some(3));
        assert_eq!(info.score, None);
        assert_eq!(
            info.score_note.as_deref(),
            Some(PRUNED_NOTE),
            "{strategy:?}"
        );
    }
}

#[test]
fn a_score_that_needs_more_than_the_weight_is_not_shown() {
    let h = history();
    for strategy in [Strategy::Taylor, Strategy::Random, Strategy::Snip] {
        let info = weight_hover(&h, strategy, 0, 4, cell(0, 0, 0))
            .unwrap()
            .unwrap();
        assert!(info.kept);
        assert_eq!(info.value, 0.55);
        assert_eq!(info.score, None);
        assert_eq!(
            info.score_note.as_deref(),
            Some(NOT_WEIGHT_ALONE_NOTE),
            "{strategy:?}"
        );
    }
    assert!(views::scores_from_weight_alone(Strategy::L2));
    assert!(!views::scores_from_weight_alone(Strategy::Movement));
}

#[test]
fn before_pruning_the_weight_is_kept_with_its_earlier_value() {
    let h = history();
    // Step 2 reads the step-0 snapshot; index 1 is pruned only at step 3.
    let info = weight_hover(&h, Strategy::L1, 0, 2, cell(0, 0, 1))
        .unwrap()
        .unwrap();
    assert_eq!(info.index, 1);
    assert!(info.kept);
    assert_eq!(info.value, CONV1_AT_0[1]);
    assert_eq!(info.score, Some(0.1));
}

#[test]
fn a_flat_dense_layer_is_one_matrix_tile() {
    let h = history();
    // fc1 [2, 3] reads a flat vector: row 2, column 3 is index 1·3 + 2 = 5, pruned at step 3.
    let info = weight_hover(&h, Strategy::Magnitude, 1, 4, cell(0, 1, 2))
        .unwrap()
        .unwrap();
    assert_eq!(
        (info.tensor.as_str(), info.tile.as_str()),
        ("fc1.weight", "2×3")
    );
    assert_eq!(info.index, 5);
    assert_eq!(info.pruned_at, Some(3));
    let kept = weight_hover(&h, Strategy::Magnitude, 1, 4, cell(0, 1, 1))
        .unwrap()
        .unwrap();
    assert_eq!((kept.index, kept.value, kept.score), (4, -0.5, Some(0.5)));
}

#[test]
fn cells_outside_the_tiles_are_nothing_and_a_missing_tensor_is_an_error() {
    let h = history();
    assert_eq!(
        weight_hover(&h, Strategy::Magnitude, 0, 4, cell(2, 0, 0)),
        Ok(None)
    );
    assert_eq!(
        weight_hover(&h, Strategy::Magnitude, 0, 4, cell(0, 2, 0)),
        Ok(None)
    );
    assert_eq!(
        weight_hover(&h, Strategy::Magnitude, 0, 4, cell(0, 0, 2)),
        Ok(None)
    );
    let error = weight_hover(&h, Strategy::Magnitude, 5, 4, cell(0, 0, 0)).unwrap_err();
    assert_eq!(
        error,
        ViewError::NoTensor {
            tensor: 5,
            count: 2
        }
    );
    assert_eq!(error.to_string(), "no tensor 5; this run has 2");
}

#[test]
fn view_names_parse_and_unknown_ones_say_what_is_allowed() {
    assert_eq!(WeightView::parse("heatmap"), Ok(WeightView::Heatmap));
    assert_eq!(WeightView::parse("pruned_at"), Ok(WeightView::PrunedAt));
    assert_eq!(
        WeightView::parse("bogus").unwrap_err().to_string(),
        "unknown view `bogus`; allowed: heatmap, pruned_at"
    );
}

/// The page's path end to end: a pixel of the drawn view → the cell → the weight's facts.
#[test]
fn the_centre_of_a_drawn_cell_hovers_that_weight_in_both_views() {
    let h = history();
    let (width, height) = (480, 300);
    let heat = heatmap_layout(&views::heatmap(&h, 0, 4).unwrap(), width, height);
    let pruned = pruned_at_layout(&views::pruned_at_grid(&h, 0, 4).unwrap(), width, height);
    for layout in [heat, pruned] {
        let tile = &layout[1];
        let x = tile.x + (1.5 * tile.cell_width) as i32;
        let y = tile.y + (0.5 * tile.cell_height) as i32;
        let (tile, row, col) = hit_test(&layout, x, y).expect("a cell");
        assert_eq!((tile, row, col), (1, 0, 1));
        let info = weight_hover(&h, Strategy::Magnitude, 0, 4, cell(tile, row, col))
            .unwrap()
            .unwrap();
        assert_eq!((info.index, info.value), (5, 0.45));
    }
}

#[test]
fn the_facts_words_follow_the_language() {
    let h = history();
    let chinese = |strategy, c| {
        views::weight_hover_in(&h, strategy, 0, 4, c, prunelab::i18n::Lang::Zh)
            .unwrap()
            .unwrap()
    };
    let cjk = |text: &str| text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    let pruned = chinese(Strategy::Magnitude, cell(1, 0, 0));
    let english = weight_hover(&h, Strategy::Magnitude, 0, 4, cell(1, 0, 0))
        .unwrap()
        .unwrap();
    assert_eq!(english.tile, "filter 2");
    assert_eq!(
        (pruned.index, pruned.kept, pruned.pruned_at),
        (english.index, english.kept, english.pruned_at)
    );
    assert!(cjk(&pruned.tile) && !pruned.tile.contains("filter"));
    assert_eq!(pruned.criterion_label, "权重大小剪枝");
    let note = pruned.score_note.unwrap();
    assert!(cjk(&note) && note != PRUNED_NOTE, "{note}");
    let note = chinese(Strategy::Taylor, cell(0, 0, 0)).score_note.unwrap();
    assert!(cjk(&note) && note != NOT_WEIGHT_ALONE_NOTE, "{note}");
}
