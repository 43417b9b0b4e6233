"""nnfs: neural networks from scratch on NumPy.

Every layer, activation, loss and optimizer owns its forward pass and its
exact gradient; :class:`~nnfs.model.Sequential` chains them.

Modules
-------
layers, conv (convolution and pooling), activations, initializers, losses,
optimizers, schedules, model, metrics, utils, datasets, gradcheck, io (saving
and loading models).
"""

from nnfs import (
    activations,
    conv,
    datasets,
    initializers,
    io,
    layers,
    losses,
    metrics,
    optimizers,
    schedules,
    utils,
)
from nnfs.exceptions import ModelFileError
from nnfs.gradcheck import check_gradients
from nnfs.io import load_model
from nnfs.model import Sequential

__version__ = "0.1.0"

__all__ = [
    "ModelFileError",
    "Sequential",
    "activations",
    "check_gradients",
    "conv",
    "datasets",
    "initializers",
    "io",
    "layers",
    "load_model",
    "losses",
    "metrics",
    "optimizers",
    "schedules",
    "utils",
]
