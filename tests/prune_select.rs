//! Mask selection against hand-computed masks from torch.nn.utils.prune's documented rules:
//! `l1_unstructured(amount=a)` prunes `round(a·n)` (Python rounding, halves to even) of the entries
//! still unpruned with the smallest |w|; `global_unstructured` does the same over all tensors pooled.

// Native tests: the wasm32 build runs only the browser tests (tests/web_*.rs).
#![cfg(not(target_arch = "wasm32"))]

use prunelab::prune::select::{amount_for_target, amount_to_count, prune_by_amount, Scope};

fn abs(values: &[f32]) -> Vec<f32> {
    values.iter().map(|v| v.abs()).collect()
}

fn all_kept(lens: &[usize]) -> Vec<Vec<bool>> {
    lens.iter().map(|&n| vec![true; n]).collect()
}

#[test]
fn counts_round_like_python() {
    assert_eq!(amount_to_count(0.5, 5), 2); // round(2.5) == 2
    assert_eq!(amount_to_count(0.3, 5), 2); // round(1.5) == 2
    assert_eq!(amount_to_count(0.1, 5), 0); // round(0.5) == 0
    assert_eq!(amount_to_count(0.7, 5), 4); // round(3.5) == 4
    assert_eq!(amount_to_count(0.75, 8000), 6000);
}

#[test]
fn layer_scope_matches_l1_unstructured() {
    // w = [0.5, -0.1, 0.3, -0.7, 0.2], amount 0.4: round(2.0) = 2 smallest |w| go: indices 1 (0.1), 4 (0.2).
    let w = [0.5, -0.1, 0.3, -0.7, 0.2];
    let step1 = prune_by_amount(&all_kept(&[5]), &[abs(&w)], 0.4, Scope::Layer, &[], 0);
    assert_eq!(step1.masks[0], [true, false, true, true, false]);
    assert_eq!(step1.removed[0], [1, 4]);
    // Iterating with amount 0.5 applies to the 3 still kept: round(1.5) = 2 → 0.3 (2) and 0.5 (0).
    let step2 = prune_by_amount(&step1.masks, &[abs(&w)], 0.5, Scope::Layer, &[], 0);
    assert_eq!(step2.masks[0], [false, false, false, true, false]);
    assert_eq!(step2.removed[0], [0, 2]);
}

#[test]
fn ties_prune_the_lower_index_first() {
    let scores = vec![vec![0.2, 0.1, 0.1, 0.1]];
    let selection = prune_by_amount(&all_kept(&[4]), &scores, 0.5, Scope::Layer, &[], 0);
    assert_eq!(selection.masks[0], [true, false, false, true]);
}

#[test]
fn global_scope_matches_global_unstructured() {
    // Pooled |w|: t0 = [0.5, 0.1, 0.3], t1 = [0.05, 0.9]; amount 0.4 of 5 = 2: t1[0] (0.05), t0[1] (0.1).
    let scores = vec![abs(&[0.5, -0.1, 0.3]), abs(&[0.05, -0.9])];
    let selection = prune_by_amount(&all_kept(&[3, 2]), &scores, 0.4, Scope::Global, &[], 0);
    assert_eq!(
        selection.masks,
        vec![vec![true, false, true], vec![false, true]]
    );
    // The same amount layer-wise: round(1.2) = 1 from t0 (0.1), round(0.8) = 1 from t1 (0.05).
    let layer = prune_by_amount(&all_kept(&[3, 2]), &scores, 0.4, Scope::Layer, &[], 0);
    assert_eq!(
        layer.masks,
        vec![vec![true, false, true], vec![false, true]]
    );
}

#[test]
fn skipped_tensors_and_the_collapse_guard() {
    let scores = vec![vec![0.01, 0.02, 0.03, 0.04], vec![0.5, 0.6]];
    // Skip tensor 1 (e.g. the output layer): only tensor 0 is pruned.
    let selection = prune_by_amount(
        &all_kept(&[4, 2]),
        &scores,
        0.5,
        Scope::Global,
        &[false, true],
        0,
    );
    assert_eq!(selection.masks[1], [true, true]);
    assert_eq!(selection.masks[0].iter().filter(|&&k| !k).count(), 2);
    // Global 90% (round(5.4) = 5 of 6) would empty both tensors; a minimum of 1 kept entry per
    // tensor stops at 4 pruned and says where it bound.
    let guarded = prune_by_amount(&all_kept(&[4, 2]), &scores, 0.9, Scope::Global, &[], 1);
    assert_eq!(
        guarded.masks,
        vec![vec![false, false, false, true], vec![false, true]]
    );
    assert_eq!(guarded.guarded, vec![0, 1]);
}

#[test]
fn target_sparsity_becomes_the_amount_of_what_remains() {
    let mut masks = all_kept(&[10, 10]);
    assert!((amount_for_target(&masks, 0.5) - 0.5).abs() < 1e-12);
    masks[0][..5].iter_mut().for_each(|k| *k = false); // 5 of 20 pruned already
                                                       // To reach 75% (15 pruned) prune 10 of the 15 kept.
    assert!((amount_for_target(&masks, 0.75) - 10.0 / 15.0).abs() < 1e-12);
    assert_eq!(amount_for_target(&masks, 0.1), 0.0);
}
