"""Tests for nnfs.datasets: the synthetic data generators."""

import numpy as np
import pytest

from nnfs.datasets import (
    generate_concentric_circles,
    generate_linear_data,
    generate_spirals,
    generate_two_moons,
    generate_XOR_gate,
)


@pytest.fixture
def global_rng_state():
    """Restore NumPy's global random state after a test that seeds it."""
    state = np.random.get_state()
    yield
    np.random.set_state(state)


# Every random generator, called with n_samples and the keyword arguments below;
# the expected number of features of X.
RANDOM_GENERATORS = {
    "linear": (lambda n, **kw: generate_linear_data(2.0, -1.0, n, **kw), 1),
    "two_moons": (lambda n, **kw: generate_two_moons(n, **kw), 2),
    "circles": (lambda n, **kw: generate_concentric_circles(n, 3, **kw), 2),
    "circles_binary": (
        lambda n, **kw: generate_concentric_circles(n, 4, binary=True, **kw),
        2,
    ),
    "spirals": (lambda n, **kw: generate_spirals(n, **kw), 2),
}
GENERATOR_NAMES = sorted(RANDOM_GENERATORS)


@pytest.mark.parametrize("name", GENERATOR_NAMES)
@pytest.mark.parametrize("n_samples", [1, 2, 7, 100])
def test_shapes_and_dtypes(name, n_samples):
    generate, n_features = RANDOM_GENERATORS[name]
    X, Y = generate(n_samples, seed=0)
    assert X.shape == (n_samples, n_features)
    assert Y.shape == (n_samples, 1)
    assert X.dtype == np.float64
    assert Y.dtype == np.float64
    assert np.isfinite(X).all() and np.isfinite(Y).all()


@pytest.mark.parametrize("name", GENERATOR_NAMES)
def test_same_seed_gives_identical_arrays(name):
    generate, _ = RANDOM_GENERATORS[name]
    X1, Y1 = generate(50, seed=3)
    X2, Y2 = generate(50, seed=3)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(Y1, Y2)


@pytest.mark.parametrize("name", GENERATOR_NAMES)
def test_different_seed_gives_different_arrays(name):
    generate, _ = RANDOM_GENERATORS[name]
    X1, _ = generate(50, seed=3)
    X2, _ = generate(50, seed=4)
    assert not np.array_equal(X1, X2)


@pytest.mark.parametrize("name", GENERATOR_NAMES)
def test_rng_argument_matches_seed(name):
    generate, _ = RANDOM_GENERATORS[name]
    X1, Y1 = generate(30, seed=9)
    X2, Y2 = generate(30, rng=np.random.default_rng(9))
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(Y1, Y2)


@pytest.mark.parametrize("name", GENERATOR_NAMES)
def test_global_seed_makes_runs_repeatable(name, global_rng_state):
    generate, _ = RANDOM_GENERATORS[name]
    np.random.seed(21)
    X1, Y1 = generate(30)
    np.random.seed(21)
    X2, Y2 = generate(30)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(Y1, Y2)


@pytest.mark.parametrize("name", GENERATOR_NAMES)
@pytest.mark.parametrize("n_samples", [0, -5])
def test_rejects_non_positive_n_samples(name, n_samples):
    generate, _ = RANDOM_GENERATORS[name]
    with pytest.raises(ValueError, match=rf": n_samples must be >= 1; got {n_samples}"):
        generate(n_samples, seed=0)


@pytest.mark.parametrize("name", GENERATOR_NAMES)
@pytest.mark.parametrize("n_samples", [2.5, True, "10", 10.0])
def test_rejects_non_integer_n_samples(name, n_samples):
    generate, _ = RANDOM_GENERATORS[name]
    with pytest.raises(
        TypeError,
        match=rf": n_samples must be an integer; got {n_samples!r} "
        rf"of type {type(n_samples).__name__}",
    ):
        generate(n_samples, seed=0)


@pytest.mark.parametrize("name", sorted(set(GENERATOR_NAMES) - {"linear"}))
@pytest.mark.parametrize(
    ("noise", "error", "message"),
    [
        (-0.1, ValueError, r"noise must be in \[0, inf\); got -0.1"),
        (float("nan"), ValueError, r"noise must be finite; got nan"),
        ("0.1", TypeError, r"noise must be a real number; got '0.1'"),
    ],
)
def test_rejects_bad_noise(name, noise, error, message):
    generate, _ = RANDOM_GENERATORS[name]
    with pytest.raises(error, match=message):
        generate(10, noise=noise, seed=0)


def test_rejects_seed_and_rng_together():
    with pytest.raises(ValueError, match=r"generate_spirals: pass seed or rng"):
        generate_spirals(10, seed=0, rng=np.random.default_rng(0))


# ---------------------------------------------------------------- linear data


def test_linear_data_hand_worked_example():
    # Y = m X + b + noise_scale z, with X then z drawn from the same generator:
    # for m = 2, b = -1, noise_scale = 0.5, X = 3 gives 2*3 - 1 + 0.5 z = 5 + 0.5 z.
    X, Y = generate_linear_data(2.0, -1.0, 4, noise_scale=0.5, seed=0)
    rng = np.random.default_rng(0)
    X_ref = rng.uniform(0, 10, size=(4, 1))
    z = rng.standard_normal((4, 1))
    np.testing.assert_array_equal(X, X_ref)
    np.testing.assert_allclose(Y, 2.0 * X_ref - 1.0 + 0.5 * z, rtol=1e-15)


def test_linear_data_without_noise_lies_on_the_line_inside_the_range():
    X, Y = generate_linear_data(-3.0, 4.0, 200, xmin=-2, xmax=5, noise_scale=0, seed=1)
    np.testing.assert_allclose(Y, -3.0 * X + 4.0, rtol=0, atol=1e-12)
    assert X.min() >= -2 and X.max() < 5


def test_linear_data_noise_has_the_requested_scale():
    X, Y = generate_linear_data(1.0, 0.0, 20000, noise_scale=2, seed=2)
    residual = Y - X
    # Standard error of a sample std over 20000 normals is about 2 / sqrt(40000).
    assert abs(residual.std() - 2.0) < 0.05
    assert abs(residual.mean()) < 0.05


@pytest.mark.parametrize(("xmin", "xmax"), [(5, 5), (10, 0)])
def test_linear_data_rejects_empty_range(xmin, xmax):
    with pytest.raises(
        ValueError,
        match=rf"generate_linear_data: xmin must be smaller than xmax; "
        rf"got xmin={float(xmin)}, xmax={float(xmax)}",
    ):
        generate_linear_data(1, 0, 10, xmin=xmin, xmax=xmax, seed=0)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"noise_scale": -1}, ValueError, r"noise_scale must be in \[0, inf\); got"),
        ({"xmax": float("inf")}, ValueError, r"xmax must be finite; got inf"),
        ({"m": "2"}, TypeError, r"m must be a real number; got '2'"),
        ({"b": None}, TypeError, r"b must be a real number; got None"),
    ],
)
def test_linear_data_rejects_bad_numbers(kwargs, error, message):
    arguments = {"m": 1.0, "b": 0.0, "n_samples": 10, "seed": 0, **kwargs}
    with pytest.raises(error, match=rf"generate_linear_data: {message}"):
        generate_linear_data(**arguments)


# ---------------------------------------------------------------- XOR


def test_xor_gate_hand_worked_example():
    # 0 xor 0 = 0, 0 xor 1 = 1, 1 xor 0 = 1, 1 xor 1 = 0.
    X, Y = generate_XOR_gate()
    np.testing.assert_array_equal(X, [[0, 0], [0, 1], [1, 0], [1, 1]])
    np.testing.assert_array_equal(Y, [[0], [1], [1], [0]])
    assert X.dtype == np.float64 and Y.dtype == np.float64
    assert X.shape == (4, 2) and Y.shape == (4, 1)


# ---------------------------------------------------------------- two moons


def test_two_moons_hand_worked_example():
    # n = 4 -> 2 points per moon at t = 0 and t = pi.
    # Upper: (cos t, sin t) = (1, 0), (-1, 0).
    # Lower: (1 - cos t, 0.5 - sin t) = (0, 0.5), (2, 0.5).
    X, Y = generate_two_moons(4, noise=0, seed=0)
    np.testing.assert_allclose(
        X, [[1, 0], [-1, 0], [0, 0.5], [2, 0.5]], rtol=0, atol=1e-15
    )
    np.testing.assert_array_equal(Y, [[0], [0], [1], [1]])


@pytest.mark.parametrize(
    ("n_samples", "counts"), [(7, [4, 3]), (10, [5, 5]), (1, [1, 0])]
)
def test_two_moons_label_counts(n_samples, counts):
    _, Y = generate_two_moons(n_samples, seed=0)
    np.testing.assert_array_equal(
        np.bincount(Y.ravel().astype(int), minlength=2), counts
    )


def test_two_moons_without_noise_lie_on_their_half_circles():
    X, Y = generate_two_moons(101, noise=0, seed=0)
    upper = X[Y.ravel() == 0]
    lower = X[Y.ravel() == 1]
    np.testing.assert_allclose(np.hypot(*upper.T), 1.0, rtol=1e-12)
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1.0)
    assert (upper[:, 1] >= -1e-12).all() and (lower[:, 1] <= 0.5 + 1e-12).all()


def test_two_moons_noise_has_the_requested_scale():
    clean, _ = generate_two_moons(20000, noise=0, seed=0)
    noisy, _ = generate_two_moons(20000, noise=0.3, seed=0)
    assert abs((noisy - clean).std() - 0.3) < 0.01


# ---------------------------------------------------------------- circles


def test_concentric_circles_hand_worked_example():
    # n = 5 over 2 circles -> 3 + 2 points; circle k has radius k + 1, so
    # without noise the distances from the origin are [1, 1, 1, 2, 2].
    X, Y = generate_concentric_circles(5, 2, noise=0, seed=0)
    np.testing.assert_allclose(np.hypot(*X.T), [1, 1, 1, 2, 2], rtol=1e-12)
    np.testing.assert_array_equal(Y.ravel(), [0, 0, 0, 1, 1])


@pytest.mark.parametrize(
    ("n_circles", "binary", "counts"),
    [
        (3, False, [4, 3, 3]),  # 10 = 4 + 3 + 3
        (4, False, [3, 3, 2, 2]),  # 10 = 3 + 3 + 2 + 2
        (4, True, [5, 5]),  # circles 0 and 2 -> 0: 3 + 2; circles 1 and 3 -> 1: 3 + 2
        (3, True, [7, 3]),  # circles 0 and 2 -> 0: 4 + 3; circle 1 -> 1: 3
        (1, False, [10]),
    ],
)
def test_concentric_circles_label_counts(n_circles, binary, counts):
    _, Y = generate_concentric_circles(10, n_circles, binary=binary, seed=0)
    np.testing.assert_array_equal(np.bincount(Y.ravel().astype(int)), counts)


def test_concentric_circles_binary_labels_are_circle_index_mod_2():
    X_full, Y_full = generate_concentric_circles(40, 5, noise=0, seed=1)
    X_binary, Y_binary = generate_concentric_circles(
        40, 5, binary=True, noise=0, seed=1
    )
    np.testing.assert_array_equal(X_full, X_binary)
    np.testing.assert_array_equal(Y_binary, Y_full % 2)
    # Without noise each point sits on the circle of its label.
    np.testing.assert_allclose(np.hypot(*X_full.T), Y_full.ravel() + 1, rtol=1e-12)


@pytest.mark.parametrize(
    ("n_circles", "error", "message"),
    [
        (0, ValueError, r"n_circles must be >= 1; got 0"),
        (-1, ValueError, r"n_circles must be >= 1; got -1"),
        (2.0, TypeError, r"n_circles must be an integer; got 2.0 of type float"),
        (True, TypeError, r"n_circles must be an integer; got True of type bool"),
    ],
)
def test_concentric_circles_rejects_bad_n_circles(n_circles, error, message):
    with pytest.raises(error, match=rf"generate_concentric_circles: {message}"):
        generate_concentric_circles(10, n_circles, seed=0)


def test_concentric_circles_rejects_non_bool_binary():
    with pytest.raises(
        TypeError,
        match=r"generate_concentric_circles: binary must be a bool; got 1 of type int",
    ):
        generate_concentric_circles(10, 2, binary=1, seed=0)


# ---------------------------------------------------------------- spirals


def test_spirals_hand_worked_example():
    # n = 4, 2 arms -> 2 points each at radius 0 and 1; the angle is 4 r + pi k.
    # Arm 0: r = 1 -> angle 4 -> (cos 4, sin 4); arm 1: angle 4 + pi -> the
    # opposite point (-cos 4, -sin 4). Radius 0 is the origin on both arms.
    X, Y = generate_spirals(4, n_classes=2, noise=0, seed=0)
    c, s = np.cos(4.0), np.sin(4.0)
    np.testing.assert_allclose(X, [[0, 0], [c, s], [0, 0], [-c, -s]], atol=1e-15)
    np.testing.assert_array_equal(Y.ravel(), [0, 0, 1, 1])


@pytest.mark.parametrize(
    ("n_samples", "n_classes", "counts"),
    [(10, 3, [4, 3, 3]), (9, 3, [3, 3, 3]), (11, 4, [3, 3, 3, 2]), (2, 1, [2])],
)
def test_spirals_label_counts(n_samples, n_classes, counts):
    _, Y = generate_spirals(n_samples, n_classes=n_classes, seed=0)
    np.testing.assert_array_equal(np.bincount(Y.ravel().astype(int)), counts)


def test_spirals_stay_in_the_unit_disc():
    X, _ = generate_spirals(300, n_classes=5, noise=0.5, seed=0)
    assert (np.hypot(*X.T) <= 1 + 1e-12).all()


@pytest.mark.parametrize(
    ("n_classes", "error", "message"),
    [
        (0, ValueError, r"n_classes must be >= 1; got 0"),
        (-3, ValueError, r"n_classes must be >= 1; got -3"),
        (2.5, TypeError, r"n_classes must be an integer; got 2.5 of type float"),
        (False, TypeError, r"n_classes must be an integer; got False of type bool"),
    ],
)
def test_spirals_rejects_bad_n_classes(n_classes, error, message):
    with pytest.raises(error, match=rf"generate_spirals: {message}"):
        generate_spirals(10, n_classes=n_classes, seed=0)
