"""Produce ``src/nnfs/datasets/data/digits.npz`` from scikit-learn's copy.

Run once by a maintainer (the tests never run it); nnfs itself does not depend
on scikit-learn. The file holds the 1,797 8x8 images of the UCI "Optical
Recognition of Handwritten Digits" data set (the test part, ``optdigits.tes``,
which is the copy scikit-learn ships), licensed CC BY 4.0:

- ``images``: uint8 of shape (1797, 64), pixel counts 0..16, row-major 8x8;
- ``labels``: uint8 of shape (1797,), the digit 0..9.

Usage::

    .venv/bin/pip install scikit-learn
    .venv/bin/python scripts/make_digits.py

The script refuses to write anything unless the data has exactly the shapes
and value ranges above, and prints the SHA-256 of the file it wrote.
"""

import hashlib
import sys
from pathlib import Path

import numpy as np

TARGET = (
    Path(__file__).resolve().parents[1]
    / "src"
    / "nnfs"
    / "datasets"
    / "data"
    / "digits.npz"
)


def main() -> int:
    try:
        from sklearn.datasets import load_digits
    except ImportError:
        print("scikit-learn is needed: pip install scikit-learn", file=sys.stderr)
        return 1

    bunch = load_digits()
    data, target = bunch.data, bunch.target
    if data.shape != (1797, 64) or target.shape != (1797,):
        print(f"unexpected shapes {data.shape} and {target.shape}", file=sys.stderr)
        return 1
    if not (np.array_equal(data, np.round(data)) and 0 <= data.min()):
        print("pixels are not whole numbers >= 0", file=sys.stderr)
        return 1
    if data.max() > 16 or not set(np.unique(target)) <= set(range(10)):
        print("pixels above 16 or labels outside 0..9", file=sys.stderr)
        return 1

    images = np.ascontiguousarray(data, dtype=np.uint8)
    labels = np.ascontiguousarray(target, dtype=np.uint8)
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(TARGET, images=images, labels=labels)
    digest = hashlib.sha256(TARGET.read_bytes()).hexdigest()
    print(f"wrote {TARGET} ({TARGET.stat().st_size} bytes, sha256 {digest})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
