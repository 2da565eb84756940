//! Weights, biases and masks survive a round trip through a PyTorch-style .npz, and files that do not
//! fit the architecture are refused with a message naming the tensor and the expected shape.

// Native tests: the wasm32 build runs only the browser tests (tests/web_*.rs).
#![cfg(not(target_arch = "wasm32"))]

use prunelab::io::state_dict::{load_named_tensors, to_named_tensors};
use prunelab::io::{read_npz, write_npz, NamedTensor};
use prunelab::nn::{ArchSpec, Network};
use prunelab::train::seeded_rng;
use rand::Rng;

fn pruned_network(seed: u64) -> Network {
    let mut rng = seeded_rng(seed, 1);
    let mut network = Network::seeded(&ArchSpec::default_cnn(), &mut rng).unwrap();
    for param in network.params_mut().filter(|p| p.is_prunable()) {
        let mask = (0..param.len()).map(|_| rng.gen_bool(0.7)).collect();
        param.set_mask(mask);
    }
    network
}

#[test]
fn names_and_layouts_follow_pytorch_state_dict() {
    let tensors = to_named_tensors(&pruned_network(1));
    let summary: Vec<(&str, Vec<usize>)> = tensors
        .iter()
        .map(|t| (t.name.as_str(), t.shape.clone()))
        .collect();
    assert_eq!(
        summary,
        vec![
            ("conv1.weight", vec![10, 1, 5, 5]),
            ("conv1.weight_mask", vec![10, 1, 5, 5]),
            ("conv1.bias", vec![10]),
            ("conv2.weight", vec![20, 10, 3, 3]),
            ("conv2.weight_mask", vec![20, 10, 3, 3]),
            ("conv2.bias", vec![20]),
            ("fc1.weight", vec![10, 500]),
            ("fc1.weight_mask", vec![10, 500]),
            ("fc1.bias", vec![10]),
        ]
    );
}

#[test]
fn an_npz_round_trip_restores_weights_and_masks_exactly() {
    let original = pruned_network(2);
    let bytes = write_npz(&to_named_tensors(&original)).unwrap();
    let mut restored = Network::new(&ArchSpec::default_cnn()).unwrap();
    load_named_tensors(&mut restored, &read_npz(&bytes).unwrap()).unwrap();
    for (a, b) in original.params().zip(restored.params()) {
        assert_eq!(a.value, b.value, "{}", a.name);
        assert_eq!(a.mask(), b.mask(), "{}", a.name);
    }
}

#[test]
fn torch_pruned_modules_with_weight_orig_are_accepted_and_masked() {
    let original = pruned_network(3);
    let mut tensors = to_named_tensors(&original);
    // torch.nn.utils.prune keeps the unpruned values as `weight_orig`; the mask zeroes them on load.
    for tensor in tensors.iter_mut().filter(|t| t.name.ends_with(".weight")) {
        tensor.name.push_str("_orig");
        tensor.data.iter_mut().for_each(|v| *v += 1.0);
    }
    let mut restored = Network::new(&ArchSpec::default_cnn()).unwrap();
    load_named_tensors(&mut restored, &tensors).unwrap();
    for param in restored.params().filter(|p| p.is_prunable()) {
        let mask = param.mask().unwrap();
        assert!(param
            .value
            .iter()
            .zip(mask)
            .all(|(&v, &kept)| kept || v == 0.0));
    }
}

#[test]
fn mismatched_files_are_refused_and_leave_the_network_unchanged() {
    let mut network = pruned_network(4);
    let before: Vec<Vec<f32>> = network.params().map(|p| p.value.clone()).collect();
    let good = to_named_tensors(&pruned_network(5));

    let mut wrong_shape = good.clone();
    wrong_shape[3] = NamedTensor {
        name: "conv2.weight".into(),
        shape: vec![16, 8, 5, 5],
        data: vec![0.0; 3200],
    };
    let message = load_named_tensors(&mut network, &wrong_shape)
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("conv2.weight") && message.contains("[20, 10, 3, 3]"),
        "{message}"
    );

    let missing: Vec<NamedTensor> = good
        .iter()
        .filter(|t| t.name != "fc1.bias")
        .cloned()
        .collect();
    let message = load_named_tensors(&mut network, &missing)
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("fc1.bias") && message.contains("missing"),
        "{message}"
    );

    let mut unknown = good.clone();
    unknown.push(NamedTensor {
        name: "fc2.weight".into(),
        shape: vec![10, 10],
        data: vec![0.0; 100],
    });
    let message = load_named_tensors(&mut network, &unknown)
        .unwrap_err()
        .to_string();
    assert!(message.contains("fc2.weight"), "{message}");

    let mut bad_mask = good.clone();
    bad_mask[1].data[0] = 0.5;
    let message = load_named_tensors(&mut network, &bad_mask)
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("conv1.weight_mask") && message.contains("0 and 1"),
        "{message}"
    );

    let after: Vec<Vec<f32>> = network.params().map(|p| p.value.clone()).collect();
    assert_eq!(before, after);
}
