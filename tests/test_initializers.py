"""Tests for nnfs.initializers and their use in Dense(init=...).

Hand-worked draws (the scale applied to a known random stream), statistics
and bounds on large draws, reproducibility, fans, configs and bad input.
"""

import json
import math
import re

import numpy as np
import pytest

from nnfs import initializers
from nnfs.activations import ReLU, Tanh
from nnfs.initializers import (
    Constant,
    GlorotNormal,
    GlorotUniform,
    HeNormal,
    HeUniform,
    Initializer,
    SeedUniform,
    Zeros,
)
from nnfs.layers import Dense
from nnfs.losses import MSE
from nnfs.model import Sequential
from nnfs.optimizers import SGD

SCALED = [GlorotUniform, GlorotNormal, HeUniform, HeNormal]


@pytest.fixture
def global_rng_state():
    """Restore NumPy's global random state after a test that seeds it."""
    state = np.random.get_state()
    yield
    np.random.set_state(state)


# ---------------------------------------------------------------- hand-worked


def test_glorot_uniform_by_hand():
    # shape (4, 2): limit = sqrt(6 / (4 + 2)) = 1, so the draw is exactly
    # uniform(-1, 1) from the same generator.
    W = GlorotUniform()((4, 2), rng=np.random.default_rng(3), dtype=np.float64)
    expected = np.random.default_rng(3).uniform(-1.0, 1.0, size=(4, 2))
    np.testing.assert_allclose(W, expected, rtol=1e-15, atol=1e-16)


def test_he_uniform_by_hand():
    # shape (24, 5): limit = sqrt(6 / 24) = 0.5.
    W = HeUniform()((24, 5), rng=np.random.default_rng(4), dtype=np.float64)
    expected = np.random.default_rng(4).uniform(-0.5, 0.5, size=(24, 5))
    np.testing.assert_allclose(W, expected, rtol=1e-15, atol=1e-16)


def test_he_normal_by_hand():
    # shape (8, 3): std = sqrt(2 / 8) = 0.5.
    W = HeNormal()((8, 3), rng=np.random.default_rng(5), dtype=np.float64)
    expected = np.random.default_rng(5).normal(0.0, 0.5, size=(8, 3))
    np.testing.assert_array_equal(W, expected)


def test_glorot_normal_by_hand():
    # shape (5, 3): std = sqrt(2 / (5 + 3)) = 0.5.
    W = GlorotNormal()((5, 3), rng=np.random.default_rng(6), dtype=np.float64)
    expected = np.random.default_rng(6).normal(0.0, 0.5, size=(5, 3))
    np.testing.assert_array_equal(W, expected)


def test_zeros_and_constant():
    np.testing.assert_array_equal(Zeros()((2, 3)), np.zeros((2, 3)))
    W = Constant(-0.25)((3, 1), dtype=np.float64)
    np.testing.assert_array_equal(W, np.full((3, 1), -0.25))
    assert W.dtype == np.float64
    assert Constant()((2,)).tolist() == [0.0, 0.0]


@pytest.mark.usefixtures("global_rng_state")
def test_seed_uniform_draws_what_np_random_rand_draws():
    # The seed system's examples: np.random.seed(n) then np.random.rand(in, out).
    np.random.seed(42)
    W = SeedUniform()((5, 4), dtype=np.float64)
    np.random.seed(42)
    np.testing.assert_array_equal(W, np.random.rand(5, 4))
    # With a generator it is that generator's random().
    W = SeedUniform()((5, 4), rng=np.random.default_rng(1), dtype=np.float64)
    np.testing.assert_array_equal(W, np.random.default_rng(1).random((5, 4)))


# ---------------------------------------------------------------- statistics


@pytest.mark.parametrize(
    ("cls", "std", "uniform"),
    [
        (GlorotUniform, math.sqrt(2 / 1200), True),
        (GlorotNormal, math.sqrt(2 / 1200), False),
        (HeUniform, math.sqrt(2 / 800), True),
        (HeNormal, math.sqrt(2 / 800), False),
    ],
)
def test_scaled_statistics_and_bounds(cls, std, uniform):
    # 320,000 draws: the sample std is within ~0.2% of the true one (2% is
    # loose); the mean is within a few std / sqrt(n) of zero.
    W = cls()((800, 400), rng=np.random.default_rng(0), dtype=np.float64)
    np.testing.assert_allclose(W.std(), std, rtol=0.02)
    assert abs(W.mean()) < 5 * std / math.sqrt(W.size)
    limit = math.sqrt(3) * std
    if uniform:
        assert np.abs(W).max() <= limit
        assert np.abs(W).max() > 0.999 * limit
    else:
        assert np.abs(W).max() > limit  # a normal reaches beyond sqrt(3) std


def test_seed_uniform_statistics():
    W = SeedUniform()((400, 400), rng=np.random.default_rng(0), dtype=np.float64)
    assert W.min() >= 0.0 and W.max() < 1.0
    np.testing.assert_allclose(W.mean(), 0.5, atol=0.005)
    np.testing.assert_allclose(W.var(), 1 / 12, rtol=0.02)


# ---------------------------------------------------------------- fans, dtype


def test_explicit_fans_override_the_shape():
    # fan_in 50 instead of 1000: std sqrt(2 / 50) = 0.2.
    W = HeNormal()((1000, 10), fan_in=50, rng=np.random.default_rng(0))
    np.testing.assert_allclose(W.std(), 0.2, rtol=0.03)
    # Glorot with fans (1, 2) on any shape: limit sqrt(6 / 3) = sqrt(2).
    W = GlorotUniform()((3, 3), 1, 2, np.random.default_rng(2), np.float64)
    expected = np.random.default_rng(2).uniform(-math.sqrt(2), math.sqrt(2), (3, 3))
    np.testing.assert_allclose(W, expected, rtol=1e-15)


def test_default_fans_of_1d_and_kernel_shapes():
    # 1-D (9,): fans (9, 9), Glorot limit sqrt(6 / 18) = sqrt(1/3).
    W = GlorotUniform()(9, rng=np.random.default_rng(0), dtype=np.float64)
    limit = math.sqrt(1 / 3)
    np.testing.assert_allclose(
        W, np.random.default_rng(0).uniform(-limit, limit, 9), rtol=1e-15
    )
    # Kernel (3, 3, 16, 32): receptive field 9, fan_in 144, fan_out 288:
    # He limit sqrt(6 / 144), Glorot limit sqrt(6 / 432).
    shape = (3, 3, 16, 32)
    W = HeUniform()(shape, rng=np.random.default_rng(0), dtype=np.float64)
    np.testing.assert_allclose(
        W,
        np.random.default_rng(0).uniform(
            -math.sqrt(6 / 144), math.sqrt(6 / 144), shape
        ),
        rtol=1e-15,
        atol=1e-16,
    )
    W = GlorotUniform()(shape, rng=np.random.default_rng(0), dtype=np.float64)
    np.testing.assert_allclose(
        W,
        np.random.default_rng(0).uniform(
            -math.sqrt(6 / 432), math.sqrt(6 / 432), shape
        ),
        rtol=1e-15,
        atol=1e-16,
    )


@pytest.mark.parametrize(
    "cls", [*SCALED, Zeros, SeedUniform, lambda: Constant(1.5)], ids=repr
)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_shape_and_dtype(cls, dtype):
    W = cls()((3, 5), rng=np.random.default_rng(0), dtype=dtype)
    assert W.shape == (3, 5) and W.dtype == dtype
    assert W.flags.c_contiguous and W.flags.writeable
    assert cls()((3, 5)).dtype == np.float32  # the project default


# ---------------------------------------------------------------- reproducibility


@pytest.mark.parametrize("cls", [*SCALED, SeedUniform])
def test_same_seed_same_draw_and_different_seeds_differ(cls):
    first = cls()((6, 4), rng=np.random.default_rng(7))
    second = cls()((6, 4), rng=np.random.default_rng(7))
    np.testing.assert_array_equal(first, second)
    assert not np.array_equal(first, cls()((6, 4), rng=np.random.default_rng(8)))
    legacy = cls()((6, 4), rng=np.random.RandomState(7))
    np.testing.assert_array_equal(legacy, cls()((6, 4), rng=np.random.RandomState(7)))


@pytest.mark.usefixtures("global_rng_state")
@pytest.mark.parametrize("cls", [*SCALED, SeedUniform])
def test_global_seed_makes_draws_repeatable(cls):
    np.random.seed(3)
    first = cls()((6, 4))
    np.random.seed(3)
    np.testing.assert_array_equal(first, cls()((6, 4)))
    assert not np.array_equal(first, cls()((6, 4)))  # the state moved on


def test_a_shared_generator_is_consumed_not_restarted():
    rng = np.random.default_rng(0)
    assert not np.array_equal(HeNormal()((4, 4), rng=rng), HeNormal()((4, 4), rng=rng))


# ---------------------------------------------------------------- Dense(init=...)


@pytest.mark.parametrize(
    ("name", "cls"),
    [
        ("he", HeNormal),
        ("glorot", GlorotNormal),
        ("he_uniform", HeUniform),
        ("glorot_uniform", GlorotUniform),
    ],
)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dense_objects_draw_what_the_strings_draw(name, cls, dtype):
    by_name = Dense(30, 20, init=name, seed=5, dtype=dtype)
    by_object = Dense(30, 20, init=cls(), seed=5, dtype=dtype)
    np.testing.assert_array_equal(by_object.W, by_name.W)
    assert by_object.W.dtype == dtype
    np.testing.assert_array_equal(by_object.b, np.zeros((1, 20)))


def test_dense_with_constant_and_seed_uniform(global_rng_state):
    layer = Dense(3, 2, init=Constant(0.5), dtype=np.float64)
    np.testing.assert_array_equal(layer.W, np.full((3, 2), 0.5))
    np.random.seed(0)
    layer = Dense(3, 2, init=SeedUniform(), dtype=np.float64)
    np.random.seed(0)
    np.testing.assert_array_equal(layer.W, np.random.rand(3, 2))


def test_dense_object_init_is_not_rescaled_by_the_model():
    # "auto" is rescaled to He before a ReLU; an explicit object never is.
    layer = Dense(50, 40, init=GlorotNormal(), dtype=np.float64, seed=0)
    drawn = layer.W.copy()
    Sequential([layer, ReLU(), Dense(40, 1, dtype=np.float64)], MSE(), SGD())
    np.testing.assert_array_equal(layer.W, drawn)


def test_dense_get_config_with_an_object_is_json_and_rebuilds():
    layer = Dense(4, 3, init=Constant(0.25), dtype=np.float64)
    config = layer.get_config()
    assert config["init"] == {"name": "Constant", "value": 0.25}
    assert json.loads(json.dumps(config)) == config
    rebuilt = Dense(**config)
    assert rebuilt.init == Constant(0.25)
    np.testing.assert_array_equal(rebuilt.W, layer.W)
    seeded = Dense(4, 3, init=HeUniform(), seed=1)
    assert seeded.get_config()["init"] == {"name": "HeUniform"}
    np.testing.assert_array_equal(Dense(**seeded.get_config(), seed=1).W, seeded.W)
    assert Dense(4, 3).get_config()["init"] == "auto"  # strings stay strings


def test_dense_repr_with_an_object():
    assert repr(Dense(4, 3, init=HeNormal())) == (
        "Dense(4, 3, init=HeNormal(), dtype=float32)"
    )


def test_dense_with_an_object_trains():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((32, 3))
    y = np.tanh(X @ rng.standard_normal((3, 1)))
    model = Sequential(
        [
            Dense(3, 8, init=GlorotUniform(), dtype=np.float64, seed=0),
            Tanh(),
            Dense(8, 1, init=Zeros(), dtype=np.float64),
        ],
        MSE(),
        SGD(lr=0.1),
    )
    history = model.fit(X, y, 50, debug_flag=False, seed=0)
    assert history["loss"][-1].mean() < 0.5 * history["loss"][0].mean()


def test_dense_rejects_the_class_instead_of_an_instance():
    with pytest.raises(
        ValueError,
        match=r"Dense: init must be one of .*; got <class "
        r"'nnfs\.initializers\.HeNormal'>; .*\(an instance, HeNormal\(\)\)",
    ):
        Dense(3, 2, init=HeNormal)


@pytest.mark.parametrize("init", [3, 1.5, ["he"], np.array([1.0])])
def test_dense_rejects_other_init_types(init):
    with pytest.raises(
        ValueError, match=rf"Dense: init must be one of .*; got {re.escape(repr(init))}"
    ):
        Dense(3, 2, init=init)


def test_dense_rejects_a_bad_init_config():
    with pytest.raises(ValueError, match=r"unknown initializer 'Orthogonal'"):
        Dense(3, 2, init={"name": "Orthogonal"})


# ---------------------------------------------------------------- get, config


@pytest.mark.parametrize(
    "initializer",
    [
        GlorotUniform(),
        GlorotNormal(),
        HeUniform(),
        HeNormal(),
        Zeros(),
        SeedUniform(),
        Constant(-2.5),
    ],
    ids=repr,
)
def test_get_config_round_trips_through_get(initializer):
    config = initializer.get_config()
    assert json.loads(json.dumps(config)) == config
    assert config["name"] == type(initializer).__name__
    rebuilt = initializers.get(config)
    assert type(rebuilt) is type(initializer) and rebuilt == initializer
    assert initializers.get(initializer) is initializer
    assert initializers.get(type(initializer).__name__) == type(initializer)()


def test_equality_and_hash():
    assert Constant(1.0) == Constant(1.0) and Constant(1.0) != Constant(2.0)
    assert HeNormal() != HeUniform()
    assert len({Constant(1.0), Constant(1.0), HeNormal()}) == 2
    assert repr(Constant(2.0)) == "Constant(value=2.0)"


@pytest.mark.parametrize(
    ("identifier", "error", "message"),
    [
        ("Orthogonal", ValueError, r"unknown initializer 'Orthogonal'; known: \["),
        ({"value": 1.0}, ValueError, r"unknown initializer None"),
        ("os.system", ValueError, r"unknown initializer 'os\.system'"),
        ({"name": "Constant", "scale": 2.0}, ValueError, r"bad arguments \['scale'\]"),
        ({"name": "Constant", "value": "x"}, ValueError, r"bad arguments \['value'\]"),
        ({"name": "HeNormal", "value": 1.0}, ValueError, r"bad arguments"),
        ({"name": "Constant", "value": math.nan}, ValueError, r"value must be finite"),
        (3, TypeError, r"identifier must be a name, a config dict or an Initializer"),
        (HeNormal, TypeError, r"got ABCMeta"),
    ],
)
def test_get_rejects_unknown_or_bad_identifiers(identifier, error, message):
    with pytest.raises(error, match=r"initializers\.get: .*" + message):
        initializers.get(identifier)


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"shape": (0, 3)}, ValueError, r"each size in shape must be >= 1; got 0"),
        ({"shape": (-2, 3)}, ValueError, r"each size in shape must be >= 1; got -2"),
        ({"shape": (2.5, 3)}, TypeError, r"each size in shape must be an integer"),
        ({"shape": (True, 3)}, TypeError, r"each size in shape must be an integer"),
        ({"shape": "3"}, TypeError, r"shape must be a tuple of ints; got '3'"),
        ({"shape": True}, TypeError, r"shape must be a tuple of ints; got True"),
        ({"shape": ()}, ValueError, r"shape must have at least one dimension"),
        ({"shape": (2, 3), "fan_in": 0}, ValueError, r"fan_in must be >= 1; got 0"),
        ({"shape": (2, 3), "fan_out": 1.5}, TypeError, r"fan_out must be an integer"),
        ({"shape": (2, 3), "rng": 0}, TypeError, r"rng must be a numpy\.random\.Gen"),
        ({"shape": (2, 3), "dtype": np.int32}, ValueError, r"dtype must be float32 or"),
        (
            {"shape": (2, 3), "dtype": "no_such_dtype"},
            TypeError,
            r"dtype must be float32 or",
        ),
    ],
)
@pytest.mark.parametrize("cls", [*SCALED, Zeros, SeedUniform])
def test_call_rejects_bad_arguments(cls, kwargs, error, message):
    with pytest.raises(error, match=rf"{cls.__name__}: " + message):
        cls()(**kwargs)


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        ("0.5", TypeError, r"Constant: value must be a real number; got '0\.5'"),
        (True, TypeError, r"Constant: value must be a real number; got True"),
        (math.inf, ValueError, r"Constant: value must be finite; got inf"),
        (math.nan, ValueError, r"Constant: value must be finite; got nan"),
    ],
)
def test_constant_rejects_bad_values(value, error, message):
    with pytest.raises(error, match=message):
        Constant(value)


def test_initializer_is_abstract():
    with pytest.raises(TypeError):
        Initializer()
