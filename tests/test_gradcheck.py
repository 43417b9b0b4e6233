"""Tests for nnfs.gradcheck.check_gradients.

A gradient checker that cannot fail proves nothing, so every kind of target
(layer, activation, loss, model) is also checked in a deliberately broken
version, and the check must fail on exactly the broken array.
"""

import numpy as np
import pytest

from nnfs.activations import ReLU, Sigmoid, Softmax, Tanh
from nnfs.gradcheck import GradientCheckResult, ParameterCheck, check_gradients
from nnfs.layers import Dense
from nnfs.losses import BCE, CCE, MSE
from nnfs.model import Sequential
from nnfs.optimizers import SGD

# ---------------------------------------------------------------- broken targets


class BiasNotSummed(Dense):
    """Dense whose bias gradient keeps only the first sample (forgets the sum)."""

    def backward(self, grad_next):
        dX = super().backward(grad_next)
        self.db = grad_next[:1].copy()
        return dX


class DoubledInputGradient(Dense):
    """Dense whose backward returns twice dL/dX."""

    def backward(self, grad_next):
        return 2 * super().backward(grad_next)


class TransposedWeightGradient(Dense):
    """Dense (square) whose weight gradient is transposed."""

    def backward(self, grad_next):
        dX = super().backward(grad_next)
        self.dW = self.dW.T.copy()
        return dX


class SigmoidMissingFactor(Sigmoid):
    """Sigmoid whose derivative forgets the (1 - s) factor."""

    def _backward(self, grad, out):
        return grad * self.output


class SeedMSE(MSE):
    """MSE with the seed system's gradient: divided by n_samples only."""

    def _backward(self, y_pred, y_true):
        return 2 * (y_pred - y_true) / y_pred.shape[0]


def data(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


def by_name(result):
    return {check.name: check for check in result.checks}


# ---------------------------------------------------------------- correct targets


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_dense_passes(dtype):
    result = check_gradients(
        Dense(4, 3, seed=0, dtype=dtype), data((5, 4)), dtype=dtype, verbose=False
    )
    assert isinstance(result, GradientCheckResult)
    assert result.passed, str(result)
    assert [check.name for check in result.checks] == ["X", "dense.W", "dense.b"]
    assert result.dtype == np.dtype(dtype).name


@pytest.mark.parametrize("activation", [Tanh, Sigmoid, Softmax, ReLU])
def test_activations_pass(activation):
    X = data((6, 4), seed=1)
    X[np.abs(X) < 0.01] = 0.5  # keep ReLU away from its kink at 0
    result = check_gradients(activation(), X, verbose=False)
    assert result.passed, str(result)
    assert [check.name for check in result.checks] == ["X"]


@pytest.mark.parametrize(
    ("loss", "y_pred", "y_true"),
    [
        (MSE(), data((5, 3)), data((5, 3), seed=1)),
        (BCE(), np.linspace(0.1, 0.9, 12).reshape(4, 3), np.eye(4)[:, :3]),
        (CCE(), np.full((4, 3), 1 / 3) + [0.1, 0.0, -0.1], np.array([0, 1, 2, 1])),
    ],
)
def test_losses_pass(loss, y_pred, y_true):
    result = check_gradients(loss, y_pred, y_true, verbose=False)
    assert result.passed, str(result)
    assert [check.name for check in result.checks] == ["y_pred"]


def test_model_check_names_every_parameter():
    model = Sequential(
        [
            Dense(3, 4, seed=0, dtype=np.float64),
            Tanh(),
            Dense(4, 2, seed=1, dtype=np.float64),
        ],
        MSE(),
        SGD(),
    )
    result = check_gradients(model, data((5, 3)), data((5, 2), seed=2), verbose=False)
    assert result.passed, str(result)
    assert [check.name for check in result.checks] == [
        "dense_0.W",
        "dense_0.b",
        "dense_2.W",
        "dense_2.b",
    ]


def test_default_tolerances_follow_the_dtype():
    # RELIABILITY (c): float64 rtol 1e-5 / atol 1e-7; float32 rtol 1e-4 / atol 1e-6.
    layer = Dense(2, 2, seed=0, dtype=np.float64)
    r64 = check_gradients(layer, data((3, 2)), verbose=False)
    r32 = check_gradients(layer, data((3, 2)), dtype=np.float32, verbose=False)
    assert (r64.rtol, r64.atol, r64.h) == (1e-5, 1e-7, 1e-6)
    assert (r32.rtol, r32.atol) == (1e-4, 1e-6)


# ---------------------------------------------------------------- broken targets fail


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_bias_gradient_not_summed_fails_on_b_only(dtype):
    result = check_gradients(
        BiasNotSummed(4, 3, seed=0), data((5, 4)), dtype=dtype, verbose=False
    )
    checks = by_name(result)
    assert not result.passed
    assert not checks["dense.b"].passed
    assert checks["X"].passed and checks["dense.W"].passed
    assert checks["dense.b"].max_abs_error > 0.1


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_doubled_input_gradient_fails_on_x_only(dtype):
    result = check_gradients(
        DoubledInputGradient(4, 3, seed=0), data((5, 4)), dtype=dtype, verbose=False
    )
    checks = by_name(result)
    assert not result.passed
    assert not checks["X"].passed
    assert checks["dense.W"].passed and checks["dense.b"].passed
    # analytic = 2 n, so |a - n| / |n| = 1 for every entry.
    assert checks["X"].max_rel_error == pytest.approx(1.0, rel=1e-3)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_transposed_weight_gradient_fails_on_w(seed):
    # X is drawn from default_rng(seed) and the checker runs with the same
    # seed: its upstream gradient G must come from another stream, or
    # X.T @ G is symmetric and a transposed dW goes unseen (regression).
    result = check_gradients(
        TransposedWeightGradient(3, 3, seed=0, dtype=np.float64),
        data((4, 3), seed=seed),
        seed=seed,
        verbose=False,
    )
    checks = by_name(result)
    assert not checks["dense.W"].passed
    assert checks["X"].passed and checks["dense.b"].passed


def test_broken_activation_fails():
    result = check_gradients(SigmoidMissingFactor(), data((4, 3)), verbose=False)
    assert not result.passed
    assert not result.checks[0].passed


def test_seed_mse_gradient_fails_with_several_outputs():
    # The seed system's MSE gradient is n_outputs times too large.
    y_pred, y_true = data((5, 3)), data((5, 3), seed=1)
    assert not check_gradients(SeedMSE(), y_pred, y_true, verbose=False).passed
    # With one output the factor is 1 and the check passes: the checker is not
    # failing for an unrelated reason.
    assert check_gradients(
        SeedMSE(), y_pred[:, :1], y_true[:, :1], verbose=False
    ).passed


def test_broken_layer_inside_model_fails_on_that_layer():
    model = Sequential(
        [
            Dense(3, 4, seed=0, dtype=np.float64),
            Sigmoid(),
            BiasNotSummed(4, 1, seed=1, dtype=np.float64),
            Sigmoid(),
        ],
        BCE(),
        SGD(),
    )
    y = np.array([[0.0], [1.0], [1.0], [0.0], [1.0]])
    result = check_gradients(model, data((5, 3)), y, verbose=False)
    checks = by_name(result)
    assert not result.passed
    assert not checks["dense_2.b"].passed
    assert all(checks[name].passed for name in ("dense_0.W", "dense_0.b", "dense_2.W"))


def test_zero_tolerance_makes_a_correct_layer_fail():
    # Rounding noise alone exceeds rtol = atol = 0: the tolerances are used.
    result = check_gradients(
        Dense(4, 3, seed=0, dtype=np.float64),
        data((5, 4)),
        rtol=0.0,
        atol=0.0,
        verbose=False,
    )
    assert not result.passed
    assert (result.rtol, result.atol) == (0.0, 0.0)


# ---------------------------------------------------------------- the result table


def test_table_has_one_row_per_array():
    result = check_gradients(
        BiasNotSummed(4, 3, seed=0, dtype=np.float64), data((5, 4)), verbose=False
    )
    lines = str(result).splitlines()
    # title, column header, one row per array, verdict
    assert len(lines) == len(result.checks) + 3
    assert "float64 central differences" in lines[0]
    for word in ("array", "shape", "checked", "max abs err", "max rel err", "result"):
        assert word in lines[1]
    for line, check in zip(lines[2:-1], result.checks, strict=True):
        assert line.startswith(check.name)
        assert str(check.shape) in line
        assert f"{check.max_abs_error:.3e}" in line
        assert f"{check.max_rel_error:.3e}" in line
        assert line.rstrip().endswith("pass" if check.passed else "FAIL")
    assert lines[-1] == "SOME CHECKS FAILED"


def test_table_verdict_when_all_pass():
    result = check_gradients(Tanh(), data((3, 2)), verbose=False)
    assert str(result).splitlines()[-1] == "all passed"


def test_parameter_check_fields():
    result = check_gradients(Dense(4, 3, seed=0), data((5, 4)), verbose=False)
    check = by_name(result)["dense.W"]
    assert isinstance(check, ParameterCheck)
    assert check.shape == (4, 3)
    assert check.n_checked == 12
    assert 0 <= check.max_abs_error < 1e-5
    assert 0 <= check.max_rel_error < 1e-3


def test_verbose_prints_the_table(capsys):
    result = check_gradients(Dense(3, 2, seed=0), data((4, 3)), verbose=True)
    assert capsys.readouterr().out == str(result) + "\n"


def test_quiet_prints_nothing(capsys):
    check_gradients(Dense(3, 2, seed=0), data((4, 3)), verbose=False)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == ""


# ---------------------------------------------------------------- side effects


def test_original_layer_and_input_are_not_modified():
    layer = Dense(4, 3, seed=0)  # float32, checked in float64 and float32
    W, b = layer.W.copy(), layer.b.copy()
    X = data((5, 4))
    X_before = X.copy()
    for dtype in (np.float64, np.float32):
        check_gradients(layer, X, dtype=dtype, verbose=False)
    np.testing.assert_array_equal(layer.W, W)
    np.testing.assert_array_equal(layer.b, b)
    assert layer.W.dtype == np.float32 and layer.dtype == np.float32
    assert layer.dW is None and layer.db is None
    assert layer.X_input is None
    assert layer.index is None
    np.testing.assert_array_equal(X, X_before)


def test_original_model_is_not_modified():
    model = Sequential(
        [Dense(3, 4, seed=0), Tanh(), Dense(4, 2, seed=1), Softmax()],
        CCE(),
        SGD(lr=0.1, momentum=0.9),
    )
    weights = [layer.W.copy() for layer in model.layers[::2]]
    y = np.array([0, 1, 1, 0, 1])
    check_gradients(model, data((5, 3)), y, verbose=False)
    for layer, W in zip(model.layers[::2], weights, strict=True):
        np.testing.assert_array_equal(layer.W, W)
        assert layer.dW is None
        assert layer.W.dtype == np.float32
    assert model.loss.y_pred is None
    assert model.optimizer.state == {}


# ---------------------------------------------------------------- max_entries


def test_max_entries_limits_the_count():
    layer = Dense(10, 4, seed=0, dtype=np.float64)
    X = data((6, 10))
    result = check_gradients(layer, X, max_entries=5, verbose=False)
    counts = {check.name: check.n_checked for check in result.checks}
    assert counts == {"X": 5, "dense.W": 5, "dense.b": 4}  # b has only 4 entries
    assert result.passed, str(result)
    full = check_gradients(layer, X, verbose=False)
    assert [check.n_checked for check in full.checks] == [60, 40, 4]


def test_max_entries_still_catches_a_broken_bias():
    result = check_gradients(
        BiasNotSummed(10, 4, seed=0), data((6, 10)), max_entries=3, verbose=False
    )
    assert not by_name(result)["dense.b"].passed


def test_same_seed_gives_the_same_sample():
    layer = Dense(10, 4, seed=0, dtype=np.float64)
    X = data((6, 10))
    first = check_gradients(layer, X, max_entries=5, seed=3, verbose=False)
    second = check_gradients(layer, X, max_entries=5, seed=3, verbose=False)
    assert first.checks == second.checks


# ---------------------------------------------------------------- bad arguments


@pytest.mark.parametrize("loss", [MSE(), BCE(), CCE()])
def test_loss_without_y_raises(loss):
    name = type(loss).__name__
    with pytest.raises(
        ValueError, match=rf"check_gradients: y is required to check a {name}"
    ):
        check_gradients(loss, np.full((3, 2), 0.5), verbose=False)


def test_model_without_y_raises():
    model = Sequential([Dense(2, 1, seed=0)], MSE(), SGD())
    with pytest.raises(
        ValueError, match=r"check_gradients: y is required to check a Sequential"
    ):
        check_gradients(model, data((3, 2)), verbose=False)


@pytest.mark.parametrize(
    ("target", "kind"),
    [(np.ones(3), "ndarray"), ("dense", "str"), (lambda x: x, "function"), (None, "")],
)
def test_non_layer_target_raises(target, kind):
    with pytest.raises(
        TypeError,
        match=r"check_gradients: target must be a layer, a loss or a Sequential; "
        rf"got {kind}",
    ):
        check_gradients(target, data((3, 2)), verbose=False)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"h": 0.0}, ValueError, r"check_gradients: h must be in"),
        ({"h": -1e-6}, ValueError, r"check_gradients: h must be in"),
        ({"h": "1e-6"}, TypeError, r"check_gradients: h must be a real number"),
        ({"dtype": np.int32}, ValueError, r"dtype must be float32 or float64"),
        ({"max_entries": 0}, ValueError, r"max_entries must be >= 1; got 0"),
        ({"max_entries": 2.5}, TypeError, r"max_entries must be an integer"),
        ({"rtol": -1.0}, ValueError, r"check_gradients: rtol must be in"),
        ({"atol": float("nan")}, ValueError, r"check_gradients: atol must be finite"),
        ({"seed": -1}, ValueError, r"check_gradients: seed must be >= 0; got -1"),
        ({"seed": 1.5}, TypeError, r"check_gradients: seed must be an integer"),
    ],
)
def test_bad_settings_raise(kwargs, error, message):
    with pytest.raises(error, match=message):
        check_gradients(Dense(2, 2, seed=0), data((3, 2)), verbose=False, **kwargs)


def test_nan_input_raises():
    X = data((3, 2))
    X[1, 1] = np.nan
    with pytest.raises(ValueError, match=r"check_gradients: X contains NaN"):
        check_gradients(Dense(2, 2, seed=0), X, verbose=False)
