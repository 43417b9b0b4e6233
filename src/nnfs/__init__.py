"""nnfs: neural networks from scratch on NumPy.

Every layer, activation, loss and optimizer owns its forward pass and its
exact gradient; :class:`~nnfs.model.Sequential` chains them.

Modules
-------
layers, activations, losses, optimizers, model, metrics, utils, datasets,
gradcheck.
"""

from nnfs import activations, datasets, layers, losses, metrics, optimizers, utils
from nnfs.gradcheck import check_gradients
from nnfs.model import Sequential

__version__ = "0.1.0"

__all__ = [
    "Sequential",
    "activations",
    "check_gradients",
    "datasets",
    "layers",
    "losses",
    "metrics",
    "optimizers",
    "utils",
]
