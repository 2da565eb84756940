#!/usr/bin/env python3
"""Writes the small .npz fixtures that tests/npz.rs reads, into tests/fixtures/npz/.

Run from the repository root:  python3 scripts/make-npz-fixtures.py   (needs numpy; tested with 2.4)

Every value is a simple formula so the Rust tests can recompute it exactly (all are exact in float32):
  conv1.weight [2,1,3,3]   = arange(18) / 8 - 1
  conv1.bias   [2]         = [0.5, -0.25]
  fc1.weight   [3,4]       = (arange(12) - 6) / 4
  fc1.weight_mask [3,4]    = 1.0 where arange(12) % 3 != 0, else 0.0
  bn1.num_batches_tracked  = int64 scalar 7, shape ()   (PyTorch stores this counter in BatchNorm state_dicts)
Regenerating changes only the zip timestamps, never the arrays.
"""

import io
import pathlib
import warnings
import zipfile

import numpy as np

OUT = pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "npz"


def state_dict():
    return {
        "conv1.weight": (np.arange(18, dtype=np.float32) / 8 - 1).reshape(2, 1, 3, 3),
        "conv1.bias": np.array([0.5, -0.25], dtype=np.float32),
        "fc1.weight": ((np.arange(12, dtype=np.float32) - 6) / 4).reshape(3, 4),
        "fc1.weight_mask": (np.arange(12) % 3 != 0).astype(np.float32).reshape(3, 4),
        "bn1.num_batches_tracked": np.array(7, dtype=np.int64),
    }


def mask_pattern():
    return (np.arange(12) % 3 != 0).reshape(3, 4)


def write_raw_npz(path, entries):
    """Writes (entry name, .npy bytes) pairs with zipfile, for cases np.savez cannot produce."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, payload in entries:
            archive.writestr(name, payload)


def npy_bytes(array, version):
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, array, version=version)
    return buffer.getvalue()


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    weights = state_dict()

    np.savez(OUT / "state_dict.npz", **weights)
    np.savez_compressed(OUT / "state_dict_compressed.npz", **weights)
    # 0.1 and 1/3 are not exact in float32: the reader must round them like numpy's astype(float32).
    np.savez(OUT / "float64.npz", **{"fc1.weight": np.array([[0.1, -2.5], [1.0 / 3.0, 1e-3]], dtype=np.float64)})
    np.savez(
        OUT / "masks.npz",
        **{
            "conv1.weight_mask": mask_pattern(),  # '|b1'
            "fc1.weight_mask": mask_pattern().astype(np.uint8),  # '|u1'
            "fc2.weight_mask": mask_pattern().astype(np.int32),  # '<i4'
            "fc3.weight_mask": mask_pattern().astype(np.int64),  # '<i8'
        },
    )
    write_raw_npz(
        OUT / "header_versions.npz",
        [
            ("v2.npy", npy_bytes(weights["fc1.weight"], (2, 0))),
            ("v3.npy", npy_bytes(weights["fc1.weight"], (3, 0))),
        ],
    )

    # Files the reader must reject.
    np.savez(OUT / "fortran_order.npz", **{"fc1.weight": np.asfortranarray(weights["fc1.weight"])})
    np.savez(OUT / "big_endian.npz", **{"fc1.weight": weights["fc1.weight"].astype(">f4")})
    nan_weights = weights["fc1.weight"].copy()
    nan_weights[1, 2] = np.nan  # flat index 6
    np.savez(OUT / "nan.npz", **{"conv1.bias": weights["conv1.bias"], "fc1.weight": nan_weights})
    bias = npy_bytes(weights["conv1.bias"], (1, 0))
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Duplicate name", UserWarning)
        write_raw_npz(OUT / "duplicate_names.npz", [("conv1.bias.npy", bias), ("conv1.bias.npy", bias)])

    for path in sorted(OUT.glob("*.npz")):
        print(f"{path.relative_to(OUT.parent.parent.parent)}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
