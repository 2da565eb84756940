//! A parameter tensor with its gradient and (for prunable weights) its mask.
//!
//! Invariant: wherever the mask says "pruned", `value` is exactly `0.0` and `grad` is exactly `0.0`
//! after every backward pass. Only [`Param::set_mask`] changes the mask, and it zeroes what it prunes.
//! `mask_version` increases on every mask change so layers can rebuild their sparse index lists lazily.

/// One named tensor of the network, flattened row-major in its PyTorch layout.
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    /// PyTorch `state_dict` name, e.g. `conv1.weight`, `fc1.bias`.
    pub name: String,
    /// PyTorch layout: `[out, in, kh, kw]` for conv kernels, `[out, in]` for dense weights, `[out]` for biases.
    pub shape: Vec<usize>,
    pub value: Vec<f32>,
    pub grad: Vec<f32>,
    /// Weights (conv kernels, dense weights) as opposed to biases: only weights take L1/L2 penalties.
    pub is_weight: bool,
    mask: Option<Vec<bool>>,
    mask_version: u64,
}

impl Param {
    /// A parameter with zero values; weights (`is_weight`) get an all-keep mask, biases none.
    pub fn zeros(name: impl Into<String>, shape: Vec<usize>, is_weight: bool) -> Self {
        let len = shape.iter().product();
        Param {
            name: name.into(),
            shape,
            value: vec![0.0; len],
            grad: vec![0.0; len],
            is_weight,
            mask: is_weight.then(|| vec![true; len]),
            mask_version: 0,
        }
    }

    pub fn len(&self) -> usize {
        self.value.len()
    }

    pub fn is_empty(&self) -> bool {
        self.value.is_empty()
    }

    /// Whether this tensor carries a pruning mask (conv kernels and dense weights do).
    pub fn is_prunable(&self) -> bool {
        self.mask.is_some()
    }

    /// `true` = kept, `false` = pruned; `None` for tensors that are never pruned.
    pub fn mask(&self) -> Option<&[bool]> {
        self.mask.as_deref()
    }

    /// Increases on every mask change.
    pub fn mask_version(&self) -> u64 {
        self.mask_version
    }

    /// Replaces the mask: pruned entries get value and gradient exactly 0.0; regrown entries
    /// (pruned before, kept now) start at 0.0 as well, since their value was 0.0 already.
    ///
    /// Panics in debug builds if the length differs; callers validate user input before this.
    pub fn set_mask(&mut self, keep: Vec<bool>) {
        debug_assert_eq!(keep.len(), self.value.len(), "mask length of {}", self.name);
        for (i, &kept) in keep.iter().enumerate() {
            if !kept {
                self.value[i] = 0.0;
                self.grad[i] = 0.0;
            }
        }
        self.mask = Some(keep);
        self.mask_version += 1;
    }

    /// Removes the mask altogether (the tensor is no longer prunable). Values are left as they are.
    pub fn clear_mask(&mut self) {
        self.mask = None;
        self.mask_version += 1;
    }

    /// Number of kept entries (all entries for tensors without a mask).
    pub fn kept(&self) -> usize {
        match &self.mask {
            Some(mask) => mask.iter().filter(|&&k| k).count(),
            None => self.value.len(),
        }
    }

    /// Value (mutable), gradient and mask at once, for update loops that must not allocate.
    pub fn update_parts(&mut self) -> (&mut [f32], &[f32], Option<&[bool]>) {
        (&mut self.value, &self.grad, self.mask.as_deref())
    }

    /// Zeroes the gradient of pruned entries: pruned weights receive no gradient.
    pub fn mask_grad(&mut self) {
        if let Some(mask) = &self.mask {
            for (g, &kept) in self.grad.iter_mut().zip(mask) {
                if !kept {
                    *g = 0.0;
                }
            }
        }
    }

    /// Fraction of entries pruned by the mask (0 for tensors without a mask).
    pub fn sparsity(&self) -> f64 {
        if self.value.is_empty() {
            return 0.0;
        }
        1.0 - self.kept() as f64 / self.value.len() as f64
    }
}
