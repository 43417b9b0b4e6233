"""Data sets: small synthetic generators (and, later, loaders for real data).

Examples
--------
>>> from nnfs.datasets import generate_XOR_gate
>>> X, Y = generate_XOR_gate()
>>> X.shape, Y.shape
((4, 2), (4, 1))
"""

from nnfs.datasets.data_generators import (
    generate_concentric_circles,
    generate_linear_data,
    generate_spirals,
    generate_two_moons,
    generate_XOR_gate,
)

__all__ = [
    "generate_XOR_gate",
    "generate_concentric_circles",
    "generate_linear_data",
    "generate_spirals",
    "generate_two_moons",
]
