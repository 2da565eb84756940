//! Conversion between the network and PyTorch `state_dict`-style named tensors (for `.npz` files).
//! It lives in `io`, above `nn`: the network knows nothing about files or their names.
//!
//! Names: conv layers are `conv1`, `conv2`, … and dense layers `fc1`, `fc2`, … in order; each has
//! `<name>.weight` (`[out, in, kh, kw]` or `[out, in]`) and `<name>.bias` (`[out]`), and each weight has
//! `<name>.weight_mask` (float32 0/1, the name `torch.nn.utils.prune` uses). PyTorch stores a pruned
//! module's weight as `weight_orig` next to the mask; we accept that name too and apply the mask.

use super::NamedTensor;
use crate::nn::Network;
use crate::{Error, Result};

/// Every weight, bias and mask of the network, weights before their bias and mask.
pub fn to_named_tensors(network: &Network) -> Vec<NamedTensor> {
    let mut tensors = Vec::new();
    for param in network.params() {
        tensors.push(NamedTensor {
            name: param.name.clone(),
            shape: param.shape.clone(),
            data: param.value.clone(),
        });
        if let Some(mask) = param.mask() {
            tensors.push(NamedTensor {
                name: format!("{}_mask", param.name),
                shape: param.shape.clone(),
                data: mask
                    .iter()
                    .map(|&keep| if keep { 1.0 } else { 0.0 })
                    .collect(),
            });
        }
    }
    tensors
}

/// Loads weights (and masks when present) into `network`. Every weight and bias of the architecture
/// must be present with its exact shape; unknown names are refused. On error the network is unchanged.
pub fn load_named_tensors(network: &mut Network, tensors: &[NamedTensor]) -> Result<()> {
    let find = |name: &str| tensors.iter().find(|t| t.name == name);
    let expected: Vec<String> = network
        .params()
        .flat_map(|p| {
            let mut names = vec![p.name.clone()];
            if p.is_prunable() {
                names.push(format!("{}_mask", p.name));
                names.push(format!("{}_orig", p.name));
            }
            names
        })
        .collect();
    if let Some(unknown) = tensors.iter().find(|t| !expected.contains(&t.name)) {
        let known: Vec<String> = network.params().map(|p| p.name.clone()).collect();
        return Err(Error::Weights(format!(
            "tensor `{}` is not part of this architecture; expected tensors: {}",
            unknown.name,
            known.join(", ")
        )));
    }
    // Validate everything before changing anything.
    let mut updates = Vec::new();
    for param in network.params() {
        let orig = format!("{}_orig", param.name);
        let value = find(&param.name).or_else(|| find(&orig)).ok_or_else(|| {
            Error::Weights(format!(
                "tensor `{}` is missing; expected shape {:?}",
                param.name, param.shape
            ))
        })?;
        check_shape(value, &param.shape)?;
        let mask = match find(&format!("{}_mask", param.name)) {
            Some(mask) => {
                check_shape(mask, &param.shape)?;
                if let Some(bad) = mask.data.iter().find(|&&v| v != 0.0 && v != 1.0) {
                    return Err(Error::Weights(format!(
                        "tensor `{}` must hold only 0 and 1; found {bad}",
                        mask.name
                    )));
                }
                Some(mask.data.iter().map(|&v| v == 1.0).collect::<Vec<bool>>())
            }
            None => None,
        };
        updates.push((value.data.clone(), mask));
    }
    for (param, (value, mask)) in network.params_mut().zip(updates) {
        param.value = value;
        match mask {
            Some(mask) => param.set_mask(mask),
            None if param.is_prunable() => param.set_mask(vec![true; param.len()]),
            None => {}
        }
    }
    Ok(())
}

fn check_shape(tensor: &NamedTensor, expected: &[usize]) -> Result<()> {
    if tensor.shape != expected || tensor.data.len() != expected.iter().product::<usize>() {
        return Err(Error::Weights(format!(
            "tensor `{}` has shape {:?}; the architecture expects {:?}",
            tensor.name, tensor.shape, expected
        )));
    }
    Ok(())
}
