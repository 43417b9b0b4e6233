"""Data sets: small synthetic generators and loaders for real data.

Real data: :func:`load_digits` (1,797 8x8 digits shipped with nnfs, works
offline), :func:`load_mnist` and :func:`load_fashion_mnist` (IDX files from a
cache folder, downloaded on request) and the IDX parser :func:`read_idx`.

Examples
--------
>>> from nnfs.datasets import generate_XOR_gate
>>> X, Y = generate_XOR_gate()
>>> X.shape, Y.shape
((4, 2), (4, 1))
"""

from nnfs.datasets.augmentation import shifted_copies
from nnfs.datasets.data_generators import (
    generate_concentric_circles,
    generate_linear_data,
    generate_spirals,
    generate_two_moons,
    generate_XOR_gate,
)
from nnfs.datasets.data_loaders import (
    load_digits,
    load_fashion_mnist,
    load_mnist,
    read_idx,
)

__all__ = [
    "shifted_copies",
    "generate_XOR_gate",
    "generate_concentric_circles",
    "generate_linear_data",
    "generate_spirals",
    "generate_two_moons",
    "load_digits",
    "load_fashion_mnist",
    "load_mnist",
    "read_idx",
]
