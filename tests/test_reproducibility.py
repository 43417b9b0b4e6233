"""Fixed-seed training reproduces the loss histories recorded before the
speed work (buffer reuse, in-place updates, skipped input gradients).

``data/reference_histories.json`` holds the per-batch losses of three small
runs, recorded with the straightforward implementation: each optimisation
since must leave them unchanged up to rounding (float32: rtol 1e-4, float64:
rtol 1e-10). The runs cover the fused Softmax + CCE and Sigmoid + BCE paths,
the plain chain rule (MSE), momentum, Nesterov momentum and plain SGD.
"""

import json
from pathlib import Path

import numpy as np
import pytest

from nnfs.activations import ReLU, Sigmoid, Softmax, Tanh
from nnfs.layers import Dense
from nnfs.losses import BCE, CCE, MSE
from nnfs.model import Sequential
from nnfs.optimizers import SGD

REFERENCE = json.loads(
    (Path(__file__).parent / "data" / "reference_histories.json").read_text()
)
TOLERANCE = {"float32": 1e-4, "float64": 1e-10}


def _data():
    rng = np.random.default_rng(7)
    X = rng.standard_normal((300, 20))
    y_cls = rng.integers(0, 5, 300)
    y_bin = (X[:, :1] * X[:, 1:2] > 0).astype(float)
    y_reg = np.sin(X[:, :2]).sum(axis=1, keepdims=True)
    return X, y_cls, y_bin, y_reg


def _run(name: str, dtype) -> np.ndarray:
    X, y_cls, y_bin, y_reg = _data()
    if name == "relu_softmax_cce":
        layers = [
            Dense(20, 32, seed=1, dtype=dtype),
            ReLU(),
            Dense(32, 16, seed=2, dtype=dtype),
            ReLU(),
            Dense(16, 5, seed=3, dtype=dtype),
            Softmax(),
        ]
        model = Sequential(layers, CCE(), SGD(0.05, momentum=0.9))
        return model.fit(X, y_cls, 3, batch_size=32, seed=0, debug_flag=False)
    if name == "tanh_sigmoid_bce":
        layers = [
            Dense(20, 16, seed=4, dtype=dtype),
            Tanh(),
            Dense(16, 1, seed=5, dtype=dtype),
            Sigmoid(),
        ]
        model = Sequential(layers, BCE(), SGD(0.1, momentum=0.8, nesterov=True))
        return model.fit(X, y_bin, 3, batch_size=50, seed=1, debug_flag=False)
    layers = [
        Dense(20, 16, seed=6, dtype=dtype),
        Sigmoid(),
        Dense(16, 1, seed=7, dtype=dtype),
    ]
    model = Sequential(layers, MSE(), SGD(0.05))
    return model.fit(
        X, y_reg, 3, batch_size=64, seed=2, debug_flag=False, shuffle=False
    )


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize(
    "name", ["relu_softmax_cce", "tanh_sigmoid_bce", "sigmoid_mse"]
)
def test_loss_history_matches_the_recording(name, dtype):
    expected = np.array(REFERENCE[dtype][name])
    history = _run(name, np.dtype(dtype))
    np.testing.assert_allclose(
        history["loss"],
        expected,
        rtol=TOLERANCE[dtype],
        err_msg=f"{name} in {dtype}: ours vs recorded",
    )
