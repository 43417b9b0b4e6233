"""Tests for nnfs.io: save_model, load_model and the rules of RELIABILITY.md (d).

Round trips run over the registry of types a model file may name, so a new
layer or optimizer is covered by one entry in ``LAYER_FACTORIES`` or
``OPTIMIZER_FACTORIES`` (the coverage tests fail until it is added). The
hostile files S1-S11 of RELIABILITY.md (b) are built inside the tests; the
test names carry their numbers.
"""

import ast
import importlib
import importlib.util
import io as std_io
import json
import os
import pickle
import re
import struct
import sys
import tracemalloc
import zipfile
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nnfs
from nnfs import ModelFileError, load_model
from nnfs import io as nnfs_io
from nnfs.losses import MSE
from nnfs.model import Sequential
from nnfs.optimizers import SGD, BaseOptimizer

LAYERS = nnfs_io._LAYER_TYPES
LOSSES = nnfs_io._LOSS_TYPES
OPTIMIZERS = nnfs_io._OPTIMIZER_TYPES
FLOAT_DTYPES = [np.float32, np.float64]
SRC = Path(nnfs.__file__).parent


# ------------------------------------------------------------------ factories
# Each entry builds a small model that contains the named layer type:
# make(dtype) -> (list of layers, n_features). Every model maps its inputs to
# two outputs, so one MSE target fits all. Entries name the classes through
# the registry, like a model file does.


def _around(layer_name, dtype, **kwargs):
    """Dense(3, 4) -> the layer -> Dense(4, 2)."""
    return [
        LAYERS["Dense"](3, 4, dtype=dtype, seed=0),
        LAYERS[layer_name](**kwargs),
        LAYERS["Dense"](4, 2, dtype=dtype, seed=1),
    ], 3


def _conv2d_then(pool_name, dtype):
    """(n, 25) -> (1, 5, 5) -> Conv2D 2x2 -> (2, 4, 4) -> pool 2 -> Dense."""
    return [
        LAYERS["Reshape"]((1, 5, 5)),
        LAYERS["Conv2D"](1, 2, 2, dtype=dtype, seed=0),
        LAYERS[pool_name](2),
        LAYERS["Flatten"](),
        LAYERS["Dense"](8, 2, dtype=dtype, seed=1),
    ], 25


LAYER_FACTORIES = {
    "Dense": lambda dtype: (
        [
            LAYERS["Dense"](3, 4, init="glorot_uniform", dtype=dtype, seed=0),
            LAYERS["Dense"](4, 2, dtype=dtype, seed=1),
        ],
        3,
    ),
    "ELU": lambda dtype: _around("ELU", dtype, alpha=0.5),
    "GELU": lambda dtype: _around("GELU", dtype),
    "LeakyReLU": lambda dtype: _around("LeakyReLU", dtype, alpha=0.2),
    "Linear": lambda dtype: _around("Linear", dtype),
    "ReLU": lambda dtype: _around("ReLU", dtype),
    "Sigmoid": lambda dtype: _around("Sigmoid", dtype),
    "Softmax": lambda dtype: _around("Softmax", dtype),
    "Softplus": lambda dtype: _around("Softplus", dtype),
    "Tanh": lambda dtype: _around("Tanh", dtype),
    "Dropout": lambda dtype: _around("Dropout", dtype, rate=0.25, seed=3),
    "BatchNorm": lambda dtype: (
        [
            LAYERS["Dense"](3, 4, dtype=dtype, seed=0),
            LAYERS["BatchNorm"](4, momentum=0.2, dtype=dtype),
            LAYERS["Dense"](4, 2, dtype=dtype, seed=1),
        ],
        3,
    ),
    "Flatten": lambda dtype: (
        [
            LAYERS["Dense"](3, 4, dtype=dtype, seed=0),
            LAYERS["Reshape"]((2, 2)),
            LAYERS["Flatten"](input_shape=(2, 2)),
            LAYERS["Dense"](4, 2, dtype=dtype, seed=1),
        ],
        3,
    ),
    "Reshape": lambda dtype: (
        [
            LAYERS["Dense"](3, 6, dtype=dtype, seed=0),
            LAYERS["Reshape"]((2, 3)),
            LAYERS["Flatten"](),
            LAYERS["Dense"](6, 2, dtype=dtype, seed=1),
        ],
        3,
    ),
    # (n, 8) -> (1, 8) -> Conv1D k=3 -> (2, 6) -> [pool 2 -> (2, 3)] -> Dense
    "Conv1D": lambda dtype: (
        [
            LAYERS["Reshape"]((1, 8)),
            LAYERS["Conv1D"](1, 2, 3, dtype=dtype, seed=0),
            LAYERS["Flatten"](),
            LAYERS["Dense"](12, 2, dtype=dtype, seed=1),
        ],
        8,
    ),
    "MaxPool1D": lambda dtype: (
        [
            LAYERS["Reshape"]((1, 8)),
            LAYERS["Conv1D"](1, 2, 3, dtype=dtype, seed=0),
            LAYERS["MaxPool1D"](2),
            LAYERS["Flatten"](),
            LAYERS["Dense"](6, 2, dtype=dtype, seed=1),
        ],
        8,
    ),
    # (n, 16) -> (1, 4, 4) -> Conv2D k=3 with padding 1 and stride 2 -> (3, 2, 2)
    "Conv2D": lambda dtype: (
        [
            LAYERS["Reshape"]((1, 4, 4)),
            LAYERS["Conv2D"](1, 3, 3, stride=2, padding=1, dtype=dtype, seed=0),
            LAYERS["Flatten"](),
            LAYERS["Dense"](12, 2, dtype=dtype, seed=1),
        ],
        16,
    ),
    "MaxPool2D": lambda dtype: _conv2d_then("MaxPool2D", dtype),
    "AvgPool2D": lambda dtype: _conv2d_then("AvgPool2D", dtype),
    # (n, 16) -> (1, 4, 4) -> Conv2D k=3 -> (3, 2, 2) -> average -> (3,)
    "GlobalAveragePooling": lambda dtype: (
        [
            LAYERS["Reshape"]((1, 4, 4)),
            LAYERS["Conv2D"](1, 3, 3, dtype=dtype, seed=0),
            LAYERS["GlobalAveragePooling"](),
            LAYERS["Dense"](3, 2, dtype=dtype, seed=1),
        ],
        16,
    ),
}

# Each entry builds a fresh optimizer with settings that keep state, so that
# resuming has something to get right. Entries for types the package does not
# (yet) have are ignored.
OPTIMIZER_FACTORIES = {
    "SGD": lambda cls: cls(lr=0.05, momentum=0.9),
    "Adam": lambda cls: cls(lr=0.01),
    "AdamW": lambda cls: cls(lr=0.01, weight_decay=0.01),
    "RMSprop": lambda cls: cls(lr=0.01, momentum=0.5),
    "Adagrad": lambda cls: cls(lr=0.05),
}


def make_model(layer_type, dtype=np.float64, optimizer=None):
    if layer_type not in LAYER_FACTORIES:
        pytest.fail(
            f"layer type {layer_type} is in the model-file registry but has no "
            "entry in LAYER_FACTORIES in tests/test_io.py; add one that builds "
            "a small model containing it"
        )
    model_layers, n_features = LAYER_FACTORIES[layer_type](dtype)
    optimizer = SGD(lr=0.05, momentum=0.9) if optimizer is None else optimizer
    return Sequential(model_layers, MSE(), optimizer), n_features


def regression_data(n_features, n_samples=12, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_samples, n_features))
    y = rng.standard_normal((n_samples, 2))
    return X, y


def small_model(dtype=np.float64):
    """Dense(3, 4) -> Tanh -> Dense(4, 2), MSE, SGD with momentum."""
    return Sequential(
        [
            LAYERS["Dense"](3, 4, dtype=dtype, seed=0),
            LAYERS["Tanh"](),
            LAYERS["Dense"](4, 2, dtype=dtype, seed=1),
        ],
        MSE(),
        SGD(lr=0.1, momentum=0.9),
    )


def trained_small_model(dtype=np.float64):
    model = small_model(dtype)
    X, y = regression_data(3)
    model.fit(X, y, 2, batch_size=4, shuffle=False, debug_flag=False)
    return model


def model_arrays(model):
    """Every saved array of a model, by member-like name."""
    arrays = {}
    for layer in model.layers:
        for name in [*layer.param_names, *layer.state_names]:
            arrays[f"{layer.name}/{name}"] = getattr(layer, name)
    if model.optimizer is not None:
        for param_id, state in model.optimizer.state.items():
            for name, value in state.items():
                arrays[f"optimizer/{param_id}/{name}"] = value
    return arrays


def assert_bit_identical(a, b, what=""):
    assert isinstance(b, np.ndarray), what
    assert a.dtype == b.dtype, f"{what}: dtype {a.dtype} vs {b.dtype}"
    assert a.shape == b.shape, f"{what}: shape {a.shape} vs {b.shape}"
    assert a.tobytes() == b.tobytes(), f"{what}: the bits differ"


def assert_same_model(original, loaded):
    assert [type(layer) for layer in loaded.layers] == [
        type(layer) for layer in original.layers
    ]
    assert [layer.name for layer in loaded.layers] == [
        layer.name for layer in original.layers
    ]
    for a, b in zip(original.layers, loaded.layers, strict=True):
        assert a.get_config() == b.get_config()
    for a, b in [(original.loss, loaded.loss), (original.optimizer, loaded.optimizer)]:
        assert type(b) is type(a)
        assert a is None or b.get_config() == a.get_config()
    original_arrays, loaded_arrays = model_arrays(original), model_arrays(loaded)
    assert sorted(loaded_arrays) == sorted(original_arrays)
    for name, array in original_arrays.items():
        assert_bit_identical(array, loaded_arrays[name], name)
    assert sorted(loaded.history) == sorted(original.history)
    for key, values in original.history.items():
        assert_bit_identical(values, loaded.history[key], f"history {key}")
    assert loaded.metrics == original.metrics
    assert loaded.dtype == original.dtype


# ------------------------------------------------------------ archive helpers


def read_members(path):
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def write_archive(path, members, compression=zipfile.ZIP_STORED):
    """Write ``members`` (a dict, or a list of (name, bytes) pairs) as a ZIP."""
    items = members.items() if isinstance(members, dict) else members
    with zipfile.ZipFile(path, "w", compression=compression) as archive:
        for name, data in items:
            archive.writestr(name, data)
    return path


def npy_bytes(array, allow_pickle=False):
    buffer = std_io.BytesIO()
    np.lib.format.write_array(
        buffer, np.asarray(array), version=(1, 0), allow_pickle=allow_pickle
    )
    return buffer.getvalue()


def npy_header_only(shape, descr="<f8", fortran_order=False):
    """A .npy header declaring ``shape`` with no data after it."""
    buffer = std_io.BytesIO()
    np.lib.format.write_array_header_1_0(
        buffer, {"descr": descr, "fortran_order": fortran_order, "shape": shape}
    )
    return buffer.getvalue()


def config_of(members):
    return json.loads(members["config.json"])


def with_config(members, config):
    return {**members, "config.json": json.dumps(config).encode()}


@pytest.fixture
def saved(tmp_path):
    """A trained float64 model saved to tmp_path; returns (model, path, members)."""
    model = trained_small_model()
    path = tmp_path / "model.nnfs"
    model.save(path)
    return model, path, read_members(path)


def assert_refused(path, match):
    """load_model raises ModelFileError naming the file and matching ``match``."""
    with pytest.raises(ModelFileError, match=match) as info:
        load_model(path)
    assert info.value.path == str(path)
    assert str(path) in str(info.value)
    assert isinstance(info.value, ValueError)
    return info.value


# ------------------------------------------------------------ registry


def test_registry_holds_nnfs_classes_only():
    for registry, base in [
        (LAYERS, nnfs.layers.BaseLayer),
        (LOSSES, nnfs.losses.Loss),
        (OPTIMIZERS, BaseOptimizer),
    ]:
        assert isinstance(registry, MappingProxyType)
        for name, cls in registry.items():
            assert cls.__name__ == name
            assert issubclass(cls, base)
            assert cls.__module__.startswith("nnfs.")
            assert not name.startswith("Base")
    assert {"Dense", "ReLU", "Softmax"} <= set(LAYERS)
    assert {"MSE", "CCE"} <= set(LOSSES)
    assert "SGD" in OPTIMIZERS
    assert "BaseActivation" not in LAYERS and "Loss" not in LOSSES


# Modules built on an optional package (and defining no saveable types).
_OPTIONAL_MODULES = {"nnfs.sklearn": "sklearn", "nnfs.plotting": "matplotlib"}


def _installed(package: str) -> bool:
    return importlib.util.find_spec(package) is not None


def _public_classes(base):
    """Concrete public subclasses of ``base`` in every module of the package."""
    found = {}
    for path in sorted(SRC.rglob("*.py")):
        if path.name.startswith("_") or path.name == "__init__.py":
            continue
        module_name = ".".join(("nnfs", *path.relative_to(SRC).with_suffix("").parts))
        if module_name in _OPTIONAL_MODULES and not _installed(
            _OPTIONAL_MODULES[module_name]
        ):
            continue  # it defines no layers; without its dependency it cannot load
        module = importlib.import_module(module_name)
        for attribute in getattr(module, "__all__", ()):
            cls = getattr(module, attribute)
            if (
                isinstance(cls, type)
                and issubclass(cls, base)
                and not cls.__name__.startswith("Base")
                and not getattr(cls, "__abstractmethods__", None)
            ):
                found[cls.__name__] = module_name
    return found


@pytest.mark.parametrize(
    "registry, base",
    [
        (LAYERS, nnfs.layers.BaseLayer),
        (LOSSES, nnfs.losses.Loss),
        (OPTIMIZERS, BaseOptimizer),
    ],
    ids=["layers", "losses", "optimizers"],
)
def test_registry_covers_every_module_of_the_package(registry, base):
    missing = {
        name: module
        for name, module in _public_classes(base).items()
        if name not in registry
    }
    assert not missing, (
        f"{missing} cannot be saved: add their module to _TYPE_MODULES in "
        "src/nnfs/io.py"
    )


def test_every_registered_layer_has_a_factory():
    missing = sorted(set(LAYERS) - set(LAYER_FACTORIES))
    assert not missing, (
        f"add entries for {missing} to LAYER_FACTORIES in tests/test_io.py"
    )


def test_every_registered_optimizer_has_a_factory():
    missing = sorted(set(OPTIMIZERS) - set(OPTIMIZER_FACTORIES))
    assert not missing, (
        f"add entries for {missing} to OPTIMIZER_FACTORIES in tests/test_io.py"
    )


@pytest.mark.parametrize("layer_type", sorted(LAYERS))
def test_factory_builds_the_layer_it_is_named_after(layer_type):
    model, _ = make_model(layer_type)
    assert layer_type in [type(layer).__name__ for layer in model.layers]


# ------------------------------------------------------------ S11 round trip


@pytest.mark.parametrize("dtype", FLOAT_DTYPES, ids=["float32", "float64"])
@pytest.mark.parametrize("layer_type", sorted(LAYERS))
def test_round_trip_is_bit_exact_s11(tmp_path, layer_type, dtype):
    model, n_features = make_model(layer_type, dtype)
    X, y = regression_data(n_features)
    model.fit(X, y, 2, batch_size=4, shuffle=False, debug_flag=False)
    assert model.optimizer.state  # momentum buffers exist and must survive

    path = tmp_path / "model.nnfs"
    model.save(path)
    loaded = load_model(path)

    assert_same_model(model, loaded)
    assert loaded.dtype == np.dtype(dtype)
    assert_bit_identical(model.predict(X), loaded.predict(X), "predictions")


@pytest.mark.parametrize("loss_type", sorted(LOSSES))
def test_round_trip_keeps_every_loss(tmp_path, loss_type):
    loss = LOSSES[loss_type]()
    model = Sequential(
        [LAYERS["Dense"](3, 2, seed=0), LAYERS["Sigmoid"]()], loss, SGD(lr=0.1)
    )
    path = tmp_path / "model.nnfs"
    model.save(path)
    loaded = load_model(path)
    assert type(loaded.loss) is type(loss)
    assert loaded.loss.get_config() == loss.get_config()


def test_round_trip_keeps_non_default_settings(tmp_path):
    model = Sequential(
        [
            LAYERS["Dense"](2, 3, init="he_uniform", seed=0),
            LAYERS["LeakyReLU"](alpha=0.3),
            LAYERS["Dense"](3, 1, seed=1),
        ],
        LOSSES["Huber"](delta=0.5),
        SGD(lr=0.2, momentum=0.5, nesterov=True),
    )
    model.save(tmp_path / "model.nnfs")
    loaded = load_model(tmp_path / "model.nnfs")
    assert loaded.layers[0].init == "he_uniform"
    assert loaded.layers[1].alpha == 0.3
    assert loaded.loss.delta == 0.5
    assert (loaded.optimizer.lr, loaded.optimizer.momentum) == (0.2, 0.5)
    assert loaded.optimizer.nesterov is True


def test_round_trip_without_loss_or_optimizer(tmp_path):
    model = Sequential([LAYERS["Dense"](2, 2, seed=0), LAYERS["Softmax"]()])
    model.save(tmp_path / "model.nnfs")
    loaded = load_model(tmp_path / "model.nnfs")
    assert loaded.loss is None and loaded.optimizer is None
    X = np.ones((3, 2), dtype=np.float32)
    assert_bit_identical(model.predict(X), loaded.predict(X))


def test_round_trip_keeps_history_with_nan_and_metrics(tmp_path):
    # history marks steps never reached with NaN; that is not a bad weight.
    model = trained_small_model()
    model.history = {
        "loss": np.array([[0.5, np.nan], [0.25, np.nan]]),
        "accuracy": np.array([0.5, np.nan]),
    }
    model.metrics = ("accuracy",)
    model.save(tmp_path / "model.nnfs")
    loaded = load_model(tmp_path / "model.nnfs")
    assert_same_model(model, loaded)


def test_round_trip_keeps_any_history_key(tmp_path):
    # nnfs.doctor records keys such as "doctor:dense_0.W:grad_norm"; member
    # names come from positions, so a key can be any string.
    model = trained_small_model()
    model.history["doctor:dense_0.W:grad_norm"] = np.array([0.1, 0.2])
    model.history["../../évil key"] = np.array([1.0, 2.0])
    model.save(tmp_path / "model.nnfs")
    with zipfile.ZipFile(tmp_path / "model.nnfs") as archive:
        assert [n for n in archive.namelist() if n.startswith("history/")] == [
            "history/0.npy",
            "history/1.npy",
            "history/2.npy",
        ]
    assert_same_model(model, load_model(tmp_path / "model.nnfs"))


def test_round_trip_keeps_an_initializer_object(tmp_path):
    init = nnfs.initializers.get({"name": "Constant", "value": 0.25})
    model = Sequential([LAYERS["Dense"](2, 3, init=init, seed=0)])
    model.save(tmp_path / "model.nnfs")
    loaded = load_model(tmp_path / "model.nnfs")
    assert loaded.layers[0].init == init
    assert_same_model(model, loaded)


def test_file_layout_hand_worked(tmp_path):
    # Dense(2, 1) in float64 with W = [[1], [2]], b = [[0.5]], no optimizer.
    # NumPy's format 1.0 pads magic (6) + version (2) + length (2) + header
    # dict to a multiple of 64 bytes: 128 bytes here. So the members are
    #   W.npy: 128 + 2 values * 8 bytes = 144 bytes
    #   b.npy: 128 + 1 value  * 8 bytes = 136 bytes
    layer = LAYERS["Dense"](2, 1, dtype=np.float64, seed=0)
    layer.W[...] = [[1.0], [2.0]]
    layer.b[...] = 0.5
    model = Sequential([layer])
    path = tmp_path / "model.nnfs"
    model.save(path)

    with zipfile.ZipFile(path) as archive:
        infos = {info.filename: info for info in archive.infolist()}
        assert list(infos) == [
            "config.json",
            "layers/dense_0/W.npy",
            "layers/dense_0/b.npy",
        ]
        assert infos["layers/dense_0/W.npy"].file_size == 144
        assert infos["layers/dense_0/b.npy"].file_size == 136
        assert all(i.compress_type == zipfile.ZIP_STORED for i in infos.values())
        config = json.loads(archive.read("config.json"))
        # Read with NumPy and the standard library alone.
        stream = std_io.BytesIO(archive.read("layers/dense_0/W.npy"))
        W = np.lib.format.read_array(stream, allow_pickle=False)
    assert W.tolist() == [[1.0], [2.0]] and W.dtype == np.dtype("<f8")
    assert config == {
        "format": "nnfs-model",
        "format_version": 1,
        "nnfs_version": nnfs.__version__,
        "dtype": "float64",
        "layers": [
            {
                "type": "Dense",
                "config": layer.get_config(),
                "arrays": ["W", "b"],
            }
        ],
        "loss": None,
        "optimizer": None,
        "history": [],
        "metrics": [],
    }


def test_saving_twice_gives_the_same_bytes(tmp_path):
    model = trained_small_model()
    model.save(tmp_path / "a.nnfs")
    model.save(tmp_path / "b.nnfs")
    assert (tmp_path / "a.nnfs").read_bytes() == (tmp_path / "b.nnfs").read_bytes()


def test_loading_leaves_the_global_random_state_alone(tmp_path):
    # Dense without a seed draws from NumPy's global state when built.
    model = Sequential([LAYERS["Dense"](3, 4), LAYERS["Dense"](4, 2)])
    model.save(tmp_path / "model.nnfs")
    np.random.seed(5)
    expected = np.random.random(3)
    np.random.seed(5)
    load_model(tmp_path / "model.nnfs")
    assert np.array_equal(np.random.random(3), expected)


# ------------------------------------------------------------ resume


def _resume_model(dtype, optimizer):
    return Sequential(
        [
            LAYERS["Dense"](3, 6, dtype=dtype, seed=0),
            LAYERS["BatchNorm"](6, dtype=dtype),
            LAYERS["Tanh"](),
            LAYERS["Dense"](6, 2, dtype=dtype, seed=1),
        ],
        MSE(),
        optimizer,
    )


def _assert_resume_is_exact(tmp_path, make_optimizer, dtype=np.float32):
    X, y = regression_data(3, n_samples=20)
    kwargs = dict(batch_size=6, shuffle=False, debug_flag=False)

    straight = _resume_model(dtype, make_optimizer())
    straight.fit(X, y, 4, **kwargs)

    first_half = _resume_model(dtype, make_optimizer())
    first_half.fit(X, y, 2, **kwargs)
    first_half.save(tmp_path / "half.nnfs")
    resumed = load_model(tmp_path / "half.nnfs")
    resumed.fit(X, y, 2, **kwargs)

    straight_arrays, resumed_arrays = model_arrays(straight), model_arrays(resumed)
    assert sorted(resumed_arrays) == sorted(straight_arrays)
    for name, array in straight_arrays.items():
        assert_bit_identical(array, resumed_arrays[name], name)
    assert_bit_identical(straight.history["loss"][2:], resumed.history["loss"])


@pytest.mark.parametrize("optimizer_type", sorted(OPTIMIZERS))
def test_resume_two_plus_two_epochs_equals_four(tmp_path, optimizer_type):
    if optimizer_type not in OPTIMIZER_FACTORIES:
        pytest.fail(f"add {optimizer_type} to OPTIMIZER_FACTORIES in tests/test_io.py")
    cls = OPTIMIZERS[optimizer_type]
    _assert_resume_is_exact(tmp_path, lambda: OPTIMIZER_FACTORIES[optimizer_type](cls))


def test_resume_sgd_momentum_float64(tmp_path):
    _assert_resume_is_exact(
        tmp_path, lambda: SGD(lr=0.05, momentum=0.9), dtype=np.float64
    )


class CountingSGD(BaseOptimizer):
    """Stand-in for an optimizer added later: scalar state of two dtypes.

    w -= lr * g / (1 + 0.1 * step), with step a 0-d int64 and the running sum
    of |g| a 0-d float64.
    """

    def __init__(self, lr: float = 0.1) -> None:
        super().__init__()
        self.lr = lr

    def _update(self, param_id, parameters, gradients):
        state = self.state.setdefault(
            param_id,
            {"step": np.zeros((), np.int64), "total": np.zeros((), np.float64)},
        )
        state["step"] += 1
        state["total"] += np.abs(gradients).sum()
        parameters -= (self.lr / (1 + 0.1 * int(state["step"]))) * gradients

    def get_config(self):
        return {"lr": self.lr}


def test_an_optimizer_added_later_resumes_without_changes_to_io(tmp_path, monkeypatch):
    monkeypatch.setattr(
        nnfs_io,
        "_OPTIMIZER_TYPES",
        MappingProxyType({**OPTIMIZERS, "CountingSGD": CountingSGD}),
    )
    _assert_resume_is_exact(tmp_path, CountingSGD)


# ------------------------------------------------------------ save: atomic, errors


def test_save_replaces_the_file_and_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "model.nnfs"
    path.write_bytes(b"an older file")
    small_model().save(path)
    assert load_model(path).layers[0].W.shape == (3, 4)
    assert os.listdir(tmp_path) == ["model.nnfs"]


def test_a_crash_while_saving_keeps_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "model.nnfs"
    small_model().save(path)
    old = path.read_bytes()
    calls = []

    def failing_write(archive, name, content):
        calls.append(name)
        if len(calls) == 2:
            raise KeyboardInterrupt("power cut")
        original_write(archive, name, content)

    original_write = nnfs_io._write_member
    monkeypatch.setattr(nnfs_io, "_write_member", failing_write)
    with pytest.raises(KeyboardInterrupt, match="power cut"):
        trained_small_model().save(path)
    assert path.read_bytes() == old
    assert os.listdir(tmp_path) == ["model.nnfs"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_saved_file_permissions_follow_the_umask(tmp_path):
    umask = os.umask(0o022)
    try:
        small_model().save(tmp_path / "model.nnfs")
    finally:
        os.umask(umask)
    assert (tmp_path / "model.nnfs").stat().st_mode & 0o777 == 0o644


def test_save_accepts_str_and_pathlike(tmp_path):
    small_model().save(str(tmp_path / "a.nnfs"))
    nnfs_io.save_model(small_model(), tmp_path / "b.nnfs")
    assert load_model(str(tmp_path / "b.nnfs")).layers[2].W.shape == (4, 2)


class MyDense(nnfs.layers.Dense):
    """A user's subclass: not in the registry, so it cannot be saved."""


def test_save_refuses_a_class_outside_the_registry(tmp_path):
    model = Sequential([MyDense(2, 2, seed=0)])
    with pytest.raises(ValueError, match="not one of nnfs's layer classes"):
        model.save(tmp_path / "model.nnfs")
    assert not (tmp_path / "model.nnfs").exists()


def test_save_refuses_a_custom_optimizer(tmp_path):
    model = Sequential([LAYERS["Dense"](2, 2, seed=0)], MSE(), CountingSGD())
    with pytest.raises(ValueError, match="not one of nnfs's optimizer classes"):
        model.save(tmp_path / "model.nnfs")


@pytest.mark.parametrize(
    "model, path, error, match",
    [
        ("not a model", "m.nnfs", TypeError, "model must be a Sequential"),
        (None, 42, TypeError, "path must be a str or os.PathLike"),
        (Sequential(), "m.nnfs", RuntimeError, "the model has no layers"),
    ],
    ids=["not-a-model", "bad-path", "no-layers"],
)
def test_save_bad_arguments(tmp_path, model, path, error, match):
    model = small_model() if model is None else model
    path = tmp_path / path if isinstance(path, str) else path
    with pytest.raises(error, match=match):
        nnfs_io.save_model(model, path)


def test_save_refuses_a_config_that_is_not_json(tmp_path, monkeypatch):
    model = small_model()
    monkeypatch.setattr(
        model.layers[0], "get_config", lambda: {"input_size": np.int64(3)}
    )
    with pytest.raises(ValueError, match="cannot be written as JSON"):
        model.save(tmp_path / "model.nnfs")


def test_save_refuses_a_missing_array(tmp_path):
    model = _resume_model(np.float32, SGD())
    model.layers[1].running_mean = None
    with pytest.raises(ValueError, match="'running_mean' of layer batch_norm_1 is"):
        model.save(tmp_path / "model.nnfs")


def test_save_refuses_an_array_of_another_dtype(tmp_path):
    model = small_model()
    model.history = {"loss": np.array([1, 2])}  # int64: not a float history
    with pytest.raises(ValueError, match="history entry 'loss' has dtype int64"):
        model.save(tmp_path / "model.nnfs")


def test_save_refuses_state_of_parameters_the_model_lacks(tmp_path):
    model = small_model()
    model.optimizer.state["dense_9.W"] = {"velocity": np.zeros((3, 4))}
    with pytest.raises(ValueError, match="state for 'dense_9.W', which is not"):
        model.save(tmp_path / "model.nnfs")


# ------------------------------------------------------------ S1, S2: pickle


class Canary:
    """Unpickling this creates ``marker``: proof that code ran."""

    def __init__(self, marker):
        self.marker = Path(marker)

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def canary_pickle(marker):
    payload = pickle.dumps(Canary(marker))
    return payload


def test_the_canary_is_live(tmp_path):
    # Guard for the tests below: a plain unpickle does create the marker.
    marker = tmp_path / "proof"
    pickle.loads(canary_pickle(marker))
    assert marker.exists()


def test_pickle_canary_renamed_to_the_model_extension_s1(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "model.nnfs"
    path.write_bytes(canary_pickle(marker))
    assert_refused(path, "not a valid ZIP archive")
    assert not marker.exists()


def test_pickle_canary_inside_the_archive_s1(tmp_path, saved):
    _, path, members = saved
    marker = tmp_path / "pwned"
    for member in ["config.json", "layers/dense_0/W.npy"]:
        write_archive(path, {**members, member: canary_pickle(marker)})
        with pytest.raises(ModelFileError):
            load_model(path)
        assert not marker.exists()


def test_object_array_holding_the_canary_s2(tmp_path, saved):
    _, path, members = saved
    marker = tmp_path / "pwned"
    evil = npy_bytes(np.array([Canary(marker)], dtype=object), allow_pickle=True)
    for member in ["layers/dense_0/W.npy", "history/0.npy"]:
        write_archive(path, {**members, member: evil})
        assert_refused(path, "has dtype \\|O")
        assert not marker.exists()


def test_npz_with_an_object_array_s2(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "model.nnfs"
    with path.open("wb") as handle:
        np.savez(handle, W=np.array([Canary(marker)], dtype=object))
    assert_refused(path, "no config.json")
    assert not marker.exists()


# ------------------------------------------------------------ S3: size bombs


def _peak_bytes_of_load(path):
    tracemalloc.start()
    try:
        with pytest.raises(ModelFileError) as info:
            load_model(path)
        return tracemalloc.get_traced_memory()[1], info.value
    finally:
        tracemalloc.stop()


def test_tiny_npz_declaring_2_pow_33_values_s3(tmp_path):
    path = write_archive(tmp_path / "bomb.nnfs", {"x.npy": npy_header_only((2**33,))})
    assert path.stat().st_size < 300
    peak, error = _peak_bytes_of_load(path)
    assert "no config.json" in error.reason
    assert peak < 10 * 2**20


@pytest.mark.parametrize(
    "member, match",
    [
        ("layers/dense_0/W.npy", "declares shape \\(8589934592,\\)"),
        ("history/0.npy", "declares shape \\(8589934592,\\)"),
        ("optimizer/dense_0.W/velocity.npy", "declares shape \\(8589934592,\\)"),
    ],
)
def test_member_declaring_2_pow_33_values_fails_before_allocating_s3(
    tmp_path, saved, member, match
):
    _, path, members = saved
    write_archive(path, {**members, member: npy_header_only((2**33,))})
    peak, error = _peak_bytes_of_load(path)
    assert re.search(match, error.reason)
    assert peak < 10 * 2**20  # 2**33 float64 values would be 64 GiB


def test_config_asking_for_a_huge_layer_fails_before_building_it_s3(saved):
    _, path, members = saved
    config = config_of(members)
    config["layers"][0]["config"].update(input_size=10**6, output_size=10**6)
    write_archive(path, with_config(members, config))
    peak, error = _peak_bytes_of_load(path)
    assert "describes arrays far larger than the 16 values" in error.reason
    assert peak < 10 * 2**20


def test_decompression_bomb_member_s3(tmp_path, saved):
    _, path, members = saved
    bomb = npy_header_only((2**20,)) + bytes(8 * 2**20)  # 8 MiB of zeros
    items = {**members, "layers/dense_0/W.npy": bomb}
    write_archive(path, items, compression=zipfile.ZIP_DEFLATED)
    assert path.stat().st_size < 100_000
    assert_refused(path, "would expand from .* more than 100 times")


def test_many_members_expanding_together_s3(tmp_path):
    # Each member stays under the 1 MiB floor; together they are a bomb.
    members = {f"m{i}.npy": bytes(2**20) for i in range(12)}
    path = write_archive(tmp_path / "m.nnfs", members, zipfile.ZIP_DEFLATED)
    assert_refused(path, "members would expand to 12582912 bytes")


def test_too_many_members(tmp_path):
    members = {f"m{i}": b"" for i in range(10_001)}
    path = write_archive(tmp_path / "m.nnfs", members)
    assert_refused(path, "10001 members; a model file has at most 10000")


def test_config_larger_than_one_mib(saved):
    _, path, members = saved
    padded = members["config.json"] + b" " * 2**20
    write_archive(path, {**members, "config.json": padded})
    assert_refused(path, "config.json declares \\d+ bytes; the limit is 1048576")


# ------------------------------------------------------------ S4: not a model


@pytest.mark.parametrize(
    "content, match",
    [
        (b"", "not a valid ZIP archive"),
        (np.random.default_rng(0).bytes(1000), "not a valid ZIP archive"),
        (b"PK\x05\x06" + bytes(18), "no config.json"),  # an empty ZIP
        (b"\x93NUMPY", "not a valid ZIP archive"),
    ],
    ids=["empty", "random-bytes", "empty-zip", "npy-magic"],
)
def test_empty_random_or_foreign_file_s4(tmp_path, content, match):
    path = tmp_path / "model.nnfs"
    path.write_bytes(content)
    assert_refused(path, match)


def test_truncated_archive_s4(tmp_path, saved):
    _, path, _ = saved
    whole = path.read_bytes()
    for cut in np.linspace(1, len(whole) - 1, 25).astype(int):
        path.write_bytes(whole[:cut])
        assert_refused(path, ".")


def test_missing_file_and_folder_s4(tmp_path):
    error = assert_refused(tmp_path / "nothing.nnfs", "cannot read the file")
    assert isinstance(error.__cause__, FileNotFoundError)
    assert_refused(tmp_path, "cannot read the file")


def test_load_bad_arguments(tmp_path):
    with pytest.raises(TypeError, match="path must be a str or os.PathLike"):
        load_model(3)
    with pytest.raises(TypeError, match="check_finite must be a bool"):
        load_model(tmp_path / "m.nnfs", check_finite="yes")


# ------------------------------------------------------------ S5: version


@pytest.mark.parametrize(
    "version, match",
    [
        (
            2,
            "format version 2 is not supported \\(written by a newer nnfs\\?\\); "
            "this nnfs reads versions 1",
        ),
        (0, "format version 0 is not supported; this nnfs reads versions 1"),
        ("1", "format version '1' is not supported"),
        (1.0, "format version 1.0 is not supported"),
        (True, "format version True is not supported"),
        (None, "format version None is not supported"),
    ],
)
def test_unknown_format_version_s5(saved, version, match):
    _, path, members = saved
    config = config_of(members)
    config["format_version"] = version
    write_archive(path, with_config(members, config))
    assert_refused(path, match)


@pytest.mark.parametrize("name", ["keras", "", None, ["nnfs-model"]])
def test_wrong_format_name_s5(saved, name):
    _, path, members = saved
    config = config_of(members)
    config["format"] = name
    write_archive(path, with_config(members, config))
    assert_refused(path, "not 'nnfs-model': not an nnfs model file")


# ------------------------------------------------------------ S6: registry


@pytest.mark.parametrize(
    "slot, type_name",
    [
        ("layer", "os.system"),
        ("layer", "nnfs.layers.Dense"),
        ("layer", "Sequential"),
        ("layer", "BaseLayer"),
        ("layer", "BaseActivation"),
        ("layer", "__import__"),
        ("layer", "SGD"),
        ("loss", "Loss"),
        ("loss", "Dense"),
        ("optimizer", "BaseOptimizer"),
        ("optimizer", "MSE"),
    ],
)
def test_type_outside_the_registry_s6(saved, slot, type_name):
    _, path, members = saved
    config = config_of(members)
    entry = config["layers"][0] if slot == "layer" else config[slot]
    entry["type"] = type_name
    write_archive(path, with_config(members, config))
    assert_refused(path, f"is not an nnfs {slot} type")


def test_a_file_naming_a_module_imports_nothing_s6(tmp_path, saved, monkeypatch):
    _, path, members = saved
    marker = tmp_path / "imported"
    module_folder = tmp_path / "modules"
    module_folder.mkdir()
    (module_folder / "nnfs_evil_module.py").write_text(
        f"from pathlib import Path\nPath({str(marker)!r}).touch()\n"
        "class Evil:\n    pass\n"
    )
    monkeypatch.syspath_prepend(str(module_folder))

    attacks = []
    config = config_of(members)
    config["layers"][0]["type"] = "nnfs_evil_module.Evil"
    attacks.append(config)
    config = config_of(members)
    config["layers"][0]["config"]["init"] = "nnfs_evil_module"
    attacks.append(config)
    config = config_of(members)
    config["loss"]["config"]["module"] = "nnfs_evil_module"
    attacks.append(config)
    for attack in attacks:
        write_archive(path, with_config(members, attack))
        with pytest.raises(ModelFileError):
            load_model(path)
    assert not marker.exists()
    assert "nnfs_evil_module" not in sys.modules

    # The module is live: importing it does create the marker.
    try:
        importlib.import_module("nnfs_evil_module")
        assert marker.exists()
    finally:
        sys.modules.pop("nnfs_evil_module", None)


# ------------------------------------------------------------ S7: arrays


def test_weight_shape_not_implied_by_the_architecture_s7(saved):
    _, path, members = saved
    write_archive(path, {**members, "layers/dense_0/W.npy": npy_bytes(np.ones((4, 3)))})
    assert_refused(
        path,
        "array 'W' of layer 0 \\(Dense\\) must have shape \\(3, 4\\) and dtype "
        "float64 .* the file stores shape \\(4, 3\\)",
    )


def test_weight_of_another_dtype_s7(saved):
    _, path, members = saved
    W = np.ones((3, 4), dtype=np.float32)
    write_archive(path, {**members, "layers/dense_0/W.npy": npy_bytes(W)})
    assert_refused(path, "dtype float64 .* stores shape \\(3, 4\\), dtype float32")


def test_missing_array_s7(saved):
    _, path, members = saved
    del members["layers/dense_2/b.npy"]
    write_archive(path, members)
    assert_refused(path, "missing arrays: 'layers/dense_2/b.npy'")


def test_extra_array_s7(saved):
    _, path, members = saved
    members["layers/dense_0/extra.npy"] = npy_bytes(np.zeros(3))
    write_archive(path, members)
    assert_refused(
        path, "members config.json does not list: 'layers/dense_0/extra.npy'"
    )


def test_config_listing_arrays_the_layer_does_not_have_s7(saved):
    _, path, members = saved
    config = config_of(members)
    config["layers"][1]["arrays"] = ["gamma"]
    members["layers/tanh_1/gamma.npy"] = npy_bytes(np.zeros(4))
    write_archive(path, with_config(members, config))
    assert_refused(
        path, "layer 1 \\(Tanh\\) has the arrays \\[\\] but .* \\['gamma'\\]"
    )


def test_optimizer_state_of_unknown_parameters_s7(saved):
    _, path, members = saved
    config = config_of(members)
    config["optimizer"]["state"]["dense_9.W"] = ["velocity"]
    members["optimizer/dense_9.W/velocity.npy"] = npy_bytes(np.zeros((3, 4)))
    write_archive(path, with_config(members, config))
    assert_refused(path, "parameters the model does not have: 'dense_9.W'")


def test_optimizer_state_of_the_wrong_shape_s7(saved):
    _, path, members = saved
    members["optimizer/dense_0.W/velocity.npy"] = npy_bytes(np.zeros((4, 3)))
    write_archive(path, members)
    assert_refused(
        path, "state 'velocity' of 'dense_0.W' must have the parameter's shape"
    )


def test_layers_that_do_not_fit_together_s7(saved):
    _, path, members = saved
    config = config_of(members)
    config["layers"][2]["config"]["input_size"] = 5
    members["layers/dense_2/W.npy"] = npy_bytes(np.zeros((5, 2)))
    write_archive(path, with_config(members, config))
    assert_refused(path, "the model cannot be rebuilt: .*dense_2")


# ------------------------------------------------------------ S8: duplicate keys


@pytest.mark.parametrize(
    "original, duplicated",
    [
        ('"format": "nnfs-model"', '"format": "nnfs-model", "format": "nnfs-model"'),
        ('"input_size": 3', '"input_size": 3, "input_size": 3'),
    ],
    ids=["top-level", "nested"],
)
def test_duplicate_json_keys_s8(saved, original, duplicated):
    _, path, members = saved
    text = json.dumps(config_of(members))
    assert text.count(original) == 1
    members["config.json"] = text.replace(original, duplicated).encode()
    write_archive(path, members)
    assert_refused(path, "config.json repeats the key")


# ------------------------------------------------------------ S9: non-finite


@pytest.mark.parametrize(
    "member, value",
    [
        ("layers/dense_0/W.npy", np.nan),
        ("layers/dense_2/b.npy", np.inf),
        ("optimizer/dense_0.W/velocity.npy", -np.inf),
    ],
)
def test_non_finite_weights_are_refused_by_default_s9(saved, member, value):
    _, path, members = saved
    with zipfile.ZipFile(path) as archive:
        array = np.lib.format.read_array(
            std_io.BytesIO(archive.read(member)), allow_pickle=False
        )
    array.flat[1] = value
    write_archive(path, {**members, member: npy_bytes(array)})
    assert_refused(path, "contains NaN or infinity; pass check_finite=False")

    loaded = load_model(path, check_finite=False)
    arrays = model_arrays(loaded)
    key = member.removeprefix("layers/").removesuffix(".npy")
    assert_bit_identical(arrays[key], array, member)


# ------------------------------------------------------------ S10: member names


@pytest.mark.parametrize(
    "name",
    [
        "../evil.npy",
        "layers/../../evil.npy",
        "/tmp/evil.npy",
        "layers\\dense_0\\W.npy",
        "C:/evil.npy",
        "layers//W.npy",
        "layers/dense_0/W.npy ",
    ],
)
def test_unsafe_member_names_s10(tmp_path, saved, name):
    _, path, members = saved
    before = sorted(os.listdir(tmp_path)), sorted(os.listdir(tmp_path.parent))
    write_archive(path, {**members, name: npy_bytes(np.zeros(2))})
    assert_refused(path, "holds a member named .*nothing is ever extracted")
    after = sorted(os.listdir(tmp_path)), sorted(os.listdir(tmp_path.parent))
    assert after == before
    assert not Path("/tmp/evil.npy").exists()


def test_duplicate_member_names(saved):
    _, path, members = saved
    items = [*members.items(), ("history/0.npy", members["history/0.npy"])]
    with pytest.warns(UserWarning, match="Duplicate name"):
        write_archive(path, items)
    assert_refused(path, "two members named 'history/0.npy'")


# ------------------------------------------------------------ ZIP structure


def _central_entries(data):
    """Offsets of the central-directory entries of a ZIP, in order."""
    end = data.rfind(b"PK\x05\x06")
    (count,) = struct.unpack("<H", data[end + 10 : end + 12])
    (offset,) = struct.unpack("<I", data[end + 16 : end + 20])
    offsets = []
    for _ in range(count):
        offsets.append(offset)
        name, extra, comment = struct.unpack("<3H", data[offset + 28 : offset + 34])
        offset += 46 + name + extra + comment
    return offsets


def _patch(path, entry_index, field_offset, value, fmt="<I"):
    """Overwrite a field of one central-directory entry."""
    data = bytearray(path.read_bytes())
    entry = _central_entries(bytes(data))[entry_index] + field_offset
    data[entry : entry + struct.calcsize(fmt)] = struct.pack(fmt, value)
    path.write_bytes(bytes(data))


def test_member_extending_past_the_end(saved):
    _, path, _ = saved
    _patch(path, 1, 20, 2**31)  # compressed size of the second member
    assert_refused(path, "extends past the end of the file")


def test_stored_member_with_two_sizes(saved):
    _, path, _ = saved
    _patch(path, 1, 24, 5)  # uncompressed size
    assert_refused(path, "stored uncompressed but declares 5 bytes in")


def test_overlapping_members(saved):
    _, path, _ = saved
    _patch(path, 2, 42, 0)  # the third member's local header at offset 0
    assert_refused(path, "overlap")


def test_encrypted_member(saved):
    _, path, _ = saved
    _patch(path, 0, 8, 0x1, fmt="<H")  # general-purpose flags of config.json
    assert_refused(path, "member 'config.json' is encrypted")


def test_unsupported_compression_method(saved):
    _, path, members = saved
    write_archive(path, members, compression=zipfile.ZIP_BZIP2)
    assert_refused(path, "compression method 12; only stored and deflated")


def test_deflated_archive_is_read(saved):
    # A user may recompress a model file with any ZIP tool.
    model, path, members = saved
    write_archive(path, members, compression=zipfile.ZIP_DEFLATED)
    assert_same_model(model, load_model(path))


# ------------------------------------------------------------ .npy members


@pytest.mark.parametrize(
    "content, match",
    [
        (npy_bytes(np.ones((3, 4), dtype=">f8")), "has dtype >f8"),
        (npy_bytes(np.ones((3, 4), dtype=np.float16)), "has dtype <f2"),
        (npy_bytes(np.ones((3, 4), dtype=bool)), "has dtype \\|b1"),
        (npy_bytes(np.ones((3, 4), dtype=np.complex128)), "has dtype <c16"),
        (npy_bytes(np.ones((3, 4), dtype="i8")), "array 'W' of layer 0"),
        (npy_header_only((3, 4), fortran_order=True) + bytes(96), "Fortran order"),
        (npy_bytes(np.ones((3, 4))) + b"tail", "declares shape \\(3, 4\\)"),
        (npy_bytes(np.ones((3, 4)))[:-8], "declares shape \\(3, 4\\)"),
        (npy_header_only((-3, 4)), "invalid shape \\(-3, 4\\)"),
        (b"\x93NUMPY\x03\x00" + bytes(60), "not a valid .npy array"),
        (b"\x93NUMPY\x01\x00\x10\x00{'shape': (3,)}", "not a valid .npy array"),
        (b"not an array at all", "not a valid .npy array"),
        (b"", "not a valid .npy array"),
    ],
    ids=[
        "big-endian",
        "float16",
        "bool",
        "complex",
        "int64-weights",
        "fortran",
        "trailing-bytes",
        "truncated-data",
        "negative-shape",
        "npy-version-3",
        "header-missing-keys",
        "garbage",
        "empty",
    ],
)
def test_invalid_npy_member(saved, content, match):
    _, path, members = saved
    write_archive(path, {**members, "layers/dense_0/W.npy": content})
    assert_refused(path, match)


# ------------------------------------------------------------ config.json


def _edit_config(saved, edit):
    _, path, members = saved
    config = config_of(members)
    edit(config)
    write_archive(path, with_config(members, config))
    return path


@pytest.mark.parametrize(
    "edit, match",
    [
        (lambda c: c.pop("metrics"), "missing keys: 'metrics'"),
        (lambda c: c.update(allow_code=True), "unknown keys: 'allow_code'"),
        (lambda c: c.update(dtype="float16"), "dtype must be one of"),
        (lambda c: c.update(layers=[]), "layers must be a non-empty list"),
        (lambda c: c.update(layers={"0": 1}), "layers must be a non-empty list"),
        (lambda c: c.update(metrics=["auc"]), "unknown metric 'auc'"),
        (lambda c: c.update(metrics="accuracy"), "metrics must be a list"),
        (lambda c: c.update(history=["loss", "loss"]), "history must be a list"),
        (lambda c: c.update(history=[""]), "distinct keys of 1 to 256 characters"),
        (lambda c: c.update(history="loss"), "history must be a list"),
        (lambda c: c.update(nnfs_version=["0.1"]), "nnfs_version must be a short"),
        (lambda c: c["layers"][0].pop("arrays"), "layer 0: missing keys: 'arrays'"),
        (lambda c: c["layers"][0].update(config=[3, 4]), "config must be a JSON"),
        (lambda c: c["layers"][0].update(type=["Dense"]), "is not an nnfs layer"),
        (lambda c: c["layers"][0].update(arrays=["W", "W"]), "lists a name twice"),
        (lambda c: c["layers"][0].update(arrays=["W", "b/../c"]), "identifiers"),
        (
            lambda c: c["layers"][0]["config"].update({"a-b": 1}),
            "'a-b' is not an argument name",
        ),
        (
            lambda c: c["layers"][0]["config"].update(init=[[[[[[[[[["he"]]]]]]]]]]),
            "nested too deeply",
        ),
        (
            lambda c: c["optimizer"].update(state={"dense_0/W": []}),
            "invalid parameter key",
        ),
        (lambda c: c["optimizer"].update(state=[]), "state must be an object"),
        (lambda c: c.update(dtype="float32"), "layers compute in float64"),
    ],
)
def test_invalid_config_structure(saved, edit, match):
    assert_refused(_edit_config(saved, edit), match)


@pytest.mark.parametrize(
    "edit, match",
    [
        # A negative size, a string size, a bool size: the constructor's
        # own checks run and their errors come out as ModelFileError.
        (
            lambda c: c["layers"][0]["config"].update(input_size=-3),
            "layer 0 \\(Dense\\): the config .* is refused: .*input_size must be >= 1",
        ),
        (
            lambda c: c["layers"][0]["config"].update(input_size="3"),
            "is refused: Dense: input_size must be an integer",
        ),
        (
            lambda c: c["layers"][0]["config"].update(output_size=True),
            "is refused: Dense: output_size must be an integer",
        ),
        (lambda c: c["layers"][0]["config"].update(init="os.system"), "is refused"),
        (lambda c: c["optimizer"]["config"].update(lr=-1.0), "the optimizer: the"),
        (lambda c: c["loss"]["config"].update(reduction="x"), "the loss: the conf"),
        (lambda c: c["layers"][1]["config"].update(rng=1), "unexpected keyword"),
        # Accepted by the constructor but not what the layer would report:
        (
            lambda c: c["layers"][0]["config"].update(seed=3),
            "does not describe a Dense exactly",
        ),
    ],
)
def test_bad_config_values_s6(saved, edit, match):
    assert_refused(_edit_config(saved, edit), match)


@pytest.mark.parametrize(
    "text, match",
    [
        (b"\xff\xfe not utf-8", "not UTF-8 text"),
        (b"{'format': 1}", "not valid JSON"),
        (b"[1, 2]", "does not hold a JSON object"),
        (b'{"format": NaN}', "contains NaN, which JSON does not allow"),
        (b'{"format": -Infinity}', "contains -Infinity"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b"", "not valid JSON"),
    ],
    ids=["utf16", "python-dict", "list", "nan", "infinity", "deep", "empty"],
)
def test_invalid_config_text(saved, text, match):
    _, path, members = saved
    write_archive(path, {**members, "config.json": text})
    assert_refused(path, match)


def test_the_error_chains_its_cause(tmp_path):
    path = tmp_path / "model.nnfs"
    path.write_bytes(b"garbage")
    error = assert_refused(path, "not a valid ZIP archive")
    assert isinstance(error.__cause__, zipfile.BadZipFile)
    assert error.reason.startswith("not a valid ZIP archive")


# ------------------------------------------------------------ fuzzing


@pytest.fixture(scope="module")
def fuzz_target(tmp_path_factory):
    """The bytes of a valid file with every kind of member, and a scratch path."""
    folder = tmp_path_factory.mktemp("fuzz")
    model = _resume_model(np.float32, OPTIMIZERS["SGD"](lr=0.1, momentum=0.9))
    X, y = regression_data(3)
    model.fit(X, y, 1, batch_size=6, shuffle=False, debug_flag=False)
    model.save(folder / "valid.nnfs")
    return (folder / "valid.nnfs").read_bytes(), folder / "mutant.nnfs"


def _load_or_model_file_error(path):
    """Loading a mutant gives a model or a ModelFileError, nothing else."""
    try:
        model = load_model(path)
    except ModelFileError:
        return
    assert isinstance(model, Sequential)


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_fuzz_file_bytes_only_model_file_error_escapes(fuzz_target, data):
    valid, path = fuzz_target
    mutant = bytearray(valid)
    edits = data.draw(
        st.lists(
            st.tuples(st.integers(0, len(valid) - 1), st.integers(0, 255)),
            min_size=1,
            max_size=8,
        )
    )
    for position, value in edits:
        mutant[position] = value
    cut = data.draw(st.none() | st.integers(0, len(valid)))
    path.write_bytes(bytes(mutant[:cut]))
    _load_or_model_file_error(path)


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_fuzz_member_contents_only_model_file_error_escapes(fuzz_target, data):
    # Mutations inside members, rezipped with correct checksums, so that they
    # reach the JSON and .npy checks instead of stopping at the ZIP CRC.
    valid, path = fuzz_target
    members = read_members(std_io.BytesIO(valid))
    name = data.draw(st.sampled_from(sorted(members)))
    content = bytearray(members[name])
    limit = len(content) - 1 if name == "config.json" else min(len(content), 140)
    edits = data.draw(
        st.lists(
            st.tuples(st.integers(0, max(limit, 0)), st.integers(0, 255)),
            min_size=1,
            max_size=6,
        )
    )
    for position, value in edits:
        if position < len(content):
            content[position] = value
    write_archive(path, {**members, name: bytes(content)})
    _load_or_model_file_error(path)


# ------------------------------------------------------------ static guard

BANNED_MODULES = {"pickle", "cPickle", "_pickle", "marshal", "shelve", "dill"}
BANNED_MODULES |= {"joblib", "cloudpickle", "yaml", "torch"}
# importlib.resources and importlib.metadata read package data; they import
# nothing. Every other part of importlib can import code.
SAFE_IMPORTLIB = {"importlib.resources", "importlib.metadata"}
BANNED_CALLS = {"eval", "exec", "compile", "__import__"}
BANNED_TEXT = [
    r"allow_pickle\s*=\s*True",
    r"(?<![\w.])(eval|exec)\s*\(",
    r"__import__",
    r"import_module|spec_from_file_location|exec_module|SourceFileLoader",
    r"yaml\s*\.\s*(unsafe_|full_)?load",
    r"torch\s*\.\s*load",
    r"\bpickle\s*\.\s*loads?\b",
    r"[\"'](eval|exec|__import__)[\"']",
]


def _violations(source, filename="<string>"):
    """Unsafe loaders and code execution in one module's source."""
    found = []
    tree = ast.parse(source, filename)
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Import):
            for alias in node.names:
                root = alias.name.split(".")[0]
                if root in BANNED_MODULES or (
                    root == "importlib"
                    and not any(
                        alias.name == safe or alias.name.startswith(safe + ".")
                        for safe in SAFE_IMPORTLIB
                    )
                ):
                    found.append(f"{filename}:{line}: import {alias.name}")
        elif isinstance(node, ast.ImportFrom) and node.module:
            root = node.module.split(".")[0]
            names = {f"{node.module}.{alias.name}" for alias in node.names}
            if root in BANNED_MODULES or (
                root == "importlib"
                and not all(
                    any(
                        n == safe or n.startswith(safe + ".") for safe in SAFE_IMPORTLIB
                    )
                    for n in names | {node.module}
                    if n != "importlib"
                )
            ):
                found.append(f"{filename}:{line}: from {node.module} import ...")
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in BANNED_CALLS:
                found.append(f"{filename}:{line}: call to {func.id}")
            is_np_load = isinstance(func, ast.Attribute) and (
                func.attr == "read_array"
                or (
                    func.attr == "load"
                    and isinstance(func.value, ast.Name)
                    and func.value.id in ("np", "numpy")
                )
            )
            pickle_arguments = [k for k in node.keywords if k.arg == "allow_pickle"]
            for keyword in pickle_arguments:
                if not (
                    isinstance(keyword.value, ast.Constant)
                    and keyword.value.value is False
                ):
                    found.append(f"{filename}:{line}: allow_pickle not False")
            if is_np_load and not pickle_arguments:
                found.append(f"{filename}:{line}: load without allow_pickle=False")
    for pattern in BANNED_TEXT:
        for match in re.finditer(pattern, source):
            line = source.count("\n", 0, match.start()) + 1
            found.append(f"{filename}:{line}: {match.group(0)!r}")
    return found


@pytest.mark.parametrize(
    "source",
    [
        "import pickle",
        "import pickle as p",
        "from pickle import loads",
        "import marshal",
        "import shelve",
        "import dill",
        "import joblib",
        "from yaml import load",
        "import torch",
        "import importlib",
        "from importlib import import_module",
        "import importlib.util",
        "from importlib.machinery import SourceFileLoader",
        "x = eval('1')",
        "exec('x = 1')",
        "m = __import__('os')",
        "c = compile('1', 'f', 'eval')",
        "np.load(f)",
        "np.load(f, allow_pickle=True)",
        "numpy.load(f, allow_pickle=flag)",
        "npy_format.read_array(f)",
        "yaml.load(text)",
        "torch.load(f)",
        "getattr(builtins, 'eval')('1')",
    ],
)
def test_static_guard_catches_unsafe_code(source):
    assert _violations(source)


@pytest.mark.parametrize(
    "source",
    [
        "from importlib import resources",
        "import importlib.resources",
        "np.load(f, allow_pickle=False)",
        "ast.literal_eval('1')",
        "re.compile('x')",
        "model.evaluate(X, y)",
    ],
)
def test_static_guard_accepts_safe_code(source):
    assert not _violations(source)


def test_no_unsafe_loader_anywhere_in_the_package():
    sources = sorted(SRC.rglob("*.py"))
    assert len(sources) > 10
    found = []
    for path in sources:
        found += _violations(path.read_text(encoding="utf-8"), str(path))
    assert not found, "unsafe code in nnfs:\n" + "\n".join(found)
