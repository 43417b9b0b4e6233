"""Tests for nnfs.utils: BatchGenerator, shuffle and class_to_onehot."""

import re

import numpy as np
import pytest

from nnfs.utils import BatchGenerator, class_to_onehot, shuffle


@pytest.fixture
def global_rng_state():
    """Restore NumPy's global random state after a test that seeds it."""
    state = np.random.get_state()
    yield
    np.random.set_state(state)


def make_data(n_samples=10, n_features=3, seed=0):
    """X whose first column is the sample index, and y = that index as a column."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_samples, n_features))
    X[:, 0] = np.arange(n_samples)
    y = np.arange(n_samples, dtype=np.float64).reshape(-1, 1)
    return X, y


def epoch_batches(batches):
    """The batches of one epoch drawn with next()."""
    return [batches.next() for _ in range(batches.num_batches)]


# ---------------------------------------------------------------- BatchGenerator


def test_batch_generator_hand_worked_example():
    # n = 10, batch_size = 4: ceil(10 / 4) = 3 batches of 4, 4 and 10 - 8 = 2.
    X, y = make_data(10)
    batches = BatchGenerator(X, y, batch_size=4)
    assert batches.num_batches == 3
    assert len(batches) == 3
    sizes = [len(X_batch) for X_batch, _ in epoch_batches(batches)]
    assert sizes == [4, 4, 2]


@pytest.mark.parametrize("batch_size", [2.5, True, False, "4", None, np.float64(4)])
def test_batch_generator_rejects_non_integer_batch_size(batch_size):
    X, y = make_data(10)
    with pytest.raises(
        TypeError,
        match=r"BatchGenerator: batch_size must be an integer; got "
        + re.escape(repr(batch_size)),
    ):
        BatchGenerator(X, y, batch_size=batch_size)


@pytest.mark.parametrize("batch_size", [0, -2, -3, -100])
def test_batch_generator_rejects_zero_or_negative_batch_size(batch_size):
    X, y = make_data(10)
    with pytest.raises(
        ValueError,
        match=(
            rf"BatchGenerator: batch_size must be >= 1, or -1 for the whole set; "
            rf"got {batch_size}$"
        ),
    ):
        BatchGenerator(X, y, batch_size=batch_size)


def test_batch_generator_accepts_numpy_integer_batch_size():
    X, y = make_data(10)
    assert BatchGenerator(X, y, batch_size=np.int64(4)).num_batches == 3


def test_batch_generator_rejects_length_mismatch():
    X, y = make_data(10)
    with pytest.raises(
        ValueError,
        match=r"BatchGenerator: X_data has 10 samples but y_data has 9; lengths must",
    ):
        BatchGenerator(X, y[:9], batch_size=4)


@pytest.mark.parametrize("name", ["X_data", "y_data"])
def test_batch_generator_rejects_0d_data(name):
    X, y = make_data(10)
    data = {"X_data": X, "y_data": y, name: np.float64(3.0)}
    with pytest.raises(
        ValueError, match=rf"BatchGenerator: {name} must be at least 1-D.*0-D"
    ):
        BatchGenerator(**data)


def test_batch_generator_rejects_empty_data():
    with pytest.raises(ValueError, match=r"BatchGenerator: X_data .*0 samples"):
        BatchGenerator(np.zeros((0, 3)), np.zeros((0, 1)))


def test_batch_generator_rejects_ragged_data():
    with pytest.raises(TypeError, match=r"BatchGenerator: X_data must be an array"):
        BatchGenerator([[1.0], [1.0, 2.0]], [0.0, 1.0])


def test_batch_generator_rejects_non_bool_shuffle():
    X, y = make_data(10)
    with pytest.raises(
        TypeError,
        match=r"BatchGenerator: shuffle must be a bool; got 'yes' of type str",
    ):
        BatchGenerator(X, y, shuffle="yes")


def test_batch_generator_rejects_seed_and_rng_together():
    X, y = make_data(10)
    with pytest.raises(ValueError, match=r"BatchGenerator: pass seed or rng, not both"):
        BatchGenerator(X, y, shuffle=True, seed=1, rng=np.random.default_rng(1))


@pytest.mark.parametrize("batch_size", [-1, 10, 11, 128])
def test_batch_generator_whole_set_in_one_batch(batch_size):
    # -1, n and anything above n (the default 128 on 10 samples) give one batch.
    X, y = make_data(10)
    batches = BatchGenerator(X, y, batch_size=batch_size)
    assert batches.num_batches == 1
    assert batches.batch_size == 10
    X_batch, y_batch = batches.next()
    np.testing.assert_array_equal(X_batch, X)
    np.testing.assert_array_equal(y_batch, y)


@pytest.mark.parametrize("shuffle_flag", [False, True])
@pytest.mark.parametrize(
    ("n_samples", "batch_size"), [(10, 3), (7, 2), (5, 1), (13, 5)]
)
def test_batch_generator_every_sample_once_per_epoch(
    n_samples, batch_size, shuffle_flag
):
    X, y = make_data(n_samples)
    batches = BatchGenerator(X, y, batch_size, shuffle=shuffle_flag, seed=4)
    expected_sizes = [batch_size] * (n_samples // batch_size)
    if n_samples % batch_size:
        expected_sizes.append(n_samples % batch_size)

    for _ in range(3):
        epoch = epoch_batches(batches)
        assert [len(X_batch) for X_batch, _ in epoch] == expected_sizes
        seen = np.concatenate([y_batch.ravel() for _, y_batch in epoch])
        np.testing.assert_array_equal(np.sort(seen), np.arange(n_samples))


def test_batch_generator_next_wraps_to_a_new_epoch():
    X, y = make_data(5)
    batches = BatchGenerator(X, y, batch_size=2)
    firsts = [batches.next()[1].ravel().tolist() for _ in range(4)]
    assert firsts == [[0.0, 1.0], [2.0, 3.0], [4.0], [0.0, 1.0]]


def test_batch_generator_without_shuffle_serves_views():
    # Without shuffling a batch is a slice: nothing is copied.
    X, y = make_data(10)
    X_batch, y_batch = BatchGenerator(X, y, batch_size=4).next()
    assert np.shares_memory(X_batch, X)
    assert np.shares_memory(y_batch, y)


def test_batch_generator_shuffle_keeps_rows_aligned_and_inputs_untouched():
    X, y = make_data(11)
    X_before, y_before = X.copy(), y.copy()
    batches = BatchGenerator(X, y, batch_size=3, shuffle=True, seed=0)
    for _ in range(2 * batches.num_batches):
        X_batch, y_batch = batches.next()
        # Column 0 of X holds the sample index, y holds it too.
        np.testing.assert_array_equal(X_batch[:, 0], y_batch.ravel())
        np.testing.assert_array_equal(X_batch, X[y_batch.ravel().astype(int)])
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(y, y_before)


def test_batch_generator_shuffle_actually_reorders_each_epoch():
    X, y = make_data(50)
    batches = BatchGenerator(X, y, batch_size=-1, shuffle=True, seed=0)
    first = batches.next()[1].ravel()
    second = batches.next()[1].ravel()
    assert not np.array_equal(first, np.arange(50))
    assert not np.array_equal(first, second)


def epoch_orders(batches, n_epochs=3):
    """Sample order of several epochs, as one array per epoch."""
    return [
        np.concatenate([y_batch.ravel() for _, y_batch in epoch_batches(batches)])
        for _ in range(n_epochs)
    ]


def test_batch_generator_same_seed_gives_same_order():
    X, y = make_data(20)
    first = epoch_orders(BatchGenerator(X, y, 6, shuffle=True, seed=7))
    second = epoch_orders(BatchGenerator(X, y, 6, shuffle=True, seed=7))
    np.testing.assert_array_equal(first, second)


def test_batch_generator_different_seed_gives_different_order():
    X, y = make_data(20)
    first = epoch_orders(BatchGenerator(X, y, 6, shuffle=True, seed=7))
    second = epoch_orders(BatchGenerator(X, y, 6, shuffle=True, seed=8))
    assert not np.array_equal(first, second)


def test_batch_generator_rng_matches_seed():
    X, y = make_data(20)
    from_seed = epoch_orders(BatchGenerator(X, y, 6, shuffle=True, seed=3))
    rng = np.random.default_rng(3)
    from_rng = epoch_orders(BatchGenerator(X, y, 6, shuffle=True, rng=rng))
    np.testing.assert_array_equal(from_seed, from_rng)


def test_batch_generator_global_seed_makes_order_repeatable(global_rng_state):
    X, y = make_data(20)
    np.random.seed(11)
    first = epoch_orders(BatchGenerator(X, y, 6, shuffle=True))
    np.random.seed(11)
    second = epoch_orders(BatchGenerator(X, y, 6, shuffle=True))
    np.testing.assert_array_equal(first, second)


def test_batch_generator_iterates_one_epoch():
    X, y = make_data(10)
    batches = BatchGenerator(X, y, batch_size=4, shuffle=True, seed=0)
    for _ in range(2):
        epoch = list(batches)
        assert len(epoch) == 3
        seen = np.concatenate([y_batch.ravel() for _, y_batch in epoch])
        np.testing.assert_array_equal(np.sort(seen), np.arange(10))


def test_batch_generator_iteration_starts_a_fresh_epoch():
    X, y = make_data(10)
    batches = BatchGenerator(X, y, batch_size=4)
    batches.next()  # leave the epoch half done
    epoch = list(batches)
    np.testing.assert_array_equal(epoch[0][1], y[:4])


def test_batch_generator_keeps_dtypes_and_accepts_1d_data():
    X = np.arange(7, dtype=np.float32)
    y = np.arange(7, dtype=np.int64)
    X_batch, y_batch = BatchGenerator(X, y, batch_size=3, shuffle=True, seed=0).next()
    assert X_batch.dtype == np.float32
    assert y_batch.dtype == np.int64
    assert X_batch.shape == (3,)
    np.testing.assert_array_equal(X_batch, y_batch)


def test_batch_generator_accepts_lists():
    batches = BatchGenerator([[0.0], [1.0], [2.0]], [0, 1, 2], batch_size=2)
    X_batch, y_batch = batches.next()
    assert X_batch.shape == (2, 1)
    assert y_batch.tolist() == [0, 1]


# ---------------------------------------------------------------- shuffle


def test_shuffle_hand_worked_example():
    # shuffle draws one permutation from the generator and indexes each array:
    # the result equals X[order], y[order] for the order the same seed draws.
    X, y = make_data(6)
    order = np.random.default_rng(5).permutation(6)
    X_new, y_new = shuffle([X, y], seed=5)
    np.testing.assert_array_equal(X_new, X[order])
    np.testing.assert_array_equal(y_new, y[order])


def test_shuffle_keeps_arrays_aligned_and_is_a_permutation():
    X, y = make_data(30)
    labels = np.arange(30)
    X_new, y_new, labels_new = shuffle([X, y, labels], rng=np.random.default_rng(0))
    np.testing.assert_array_equal(X_new[:, 0], y_new.ravel())
    np.testing.assert_array_equal(labels_new, y_new.ravel())
    np.testing.assert_array_equal(np.sort(labels_new), labels)
    assert not np.array_equal(labels_new, labels)


def test_shuffle_returns_new_arrays_and_leaves_inputs_untouched():
    X, y = make_data(10)
    X_before, y_before = X.copy(), y.copy()
    X_new, y_new = shuffle((X, y), seed=0)
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(y, y_before)
    assert not np.shares_memory(X_new, X)
    assert not np.shares_memory(y_new, y)
    assert X_new.dtype == X.dtype and y_new.shape == y.shape


def test_shuffle_same_seed_same_result_different_seed_different_result():
    X, y = make_data(20)
    first = shuffle([X, y], seed=1)
    again = shuffle([X, y], seed=1)
    other = shuffle([X, y], seed=2)
    np.testing.assert_array_equal(first[0], again[0])
    np.testing.assert_array_equal(first[1], again[1])
    assert not np.array_equal(first[1], other[1])


def test_shuffle_global_seed_makes_it_repeatable(global_rng_state):
    X, y = make_data(20)
    np.random.seed(3)
    first = shuffle([X, y])
    np.random.seed(3)
    second = shuffle([X, y])
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])


def test_shuffle_never_prints(capsys):
    X, y = make_data(5)
    shuffle([X, y], seed=0)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_shuffle_rejects_length_mismatch():
    X, y = make_data(5)
    with pytest.raises(
        ValueError,
        match=r"shuffle: every array in list_arrays must have the same length; "
        r"got lengths \[5, 4\]",
    ):
        shuffle([X, y[:4]], seed=0)


def test_shuffle_rejects_a_bare_array():
    X, _ = make_data(5)
    with pytest.raises(
        TypeError,
        match=r"shuffle: list_arrays must be a list or tuple of arrays; got ndarray",
    ):
        shuffle(X, seed=0)


def test_shuffle_rejects_an_empty_list():
    with pytest.raises(ValueError, match=r"shuffle: list_arrays must hold at least"):
        shuffle([], seed=0)


def test_shuffle_rejects_0d_array():
    X, _ = make_data(5)
    with pytest.raises(
        ValueError, match=r"shuffle: list_arrays\[1\] must be at least 1-D"
    ):
        shuffle([X, np.float64(1.0)], seed=0)


@pytest.mark.parametrize(
    ("seed", "error", "message"),
    [
        (-1, ValueError, r"shuffle: seed must be >= 0; got -1"),
        (1.5, TypeError, r"shuffle: seed must be an integer; got 1.5"),
    ],
)
def test_shuffle_rejects_bad_seed(seed, error, message):
    X, y = make_data(5)
    with pytest.raises(error, match=message):
        shuffle([X, y], seed=seed)


# ---------------------------------------------------------------- class_to_onehot


def test_class_to_onehot_hand_worked_example():
    # Label 2 of 3 classes -> [0, 0, 1]; label 0 -> [1, 0, 0].
    onehot = class_to_onehot(np.array([2, 0]), 3)
    np.testing.assert_array_equal(onehot, [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]])
    assert onehot.dtype == np.float32
    assert onehot.shape == (2, 3)


def test_class_to_onehot_infers_num_classes_as_max_plus_one():
    # max label 3 -> 4 columns, even though class 2 never occurs.
    onehot = class_to_onehot([0, 3, 1])
    assert onehot.shape == (3, 4)
    np.testing.assert_array_equal(onehot.argmax(axis=1), [0, 3, 1])
    np.testing.assert_array_equal(onehot.sum(axis=1), [1.0, 1.0, 1.0])


def test_class_to_onehot_accepts_column_and_integer_valued_floats():
    labels = np.random.default_rng(0).integers(0, 5, size=20)
    expected = class_to_onehot(labels, 5)
    column = labels.astype(np.float64).reshape(-1, 1)
    np.testing.assert_array_equal(class_to_onehot(column, 5), expected)


def test_class_to_onehot_dtype_and_input_untouched():
    labels = np.array([[1.0], [0.0]])
    before = labels.copy()
    onehot = class_to_onehot(labels, 2, dtype=np.float64)
    assert onehot.dtype == np.float64
    np.testing.assert_array_equal(labels, before)


@pytest.mark.parametrize(
    ("labels", "num_classes", "message"),
    [
        ([0, 3], 3, r"y holds the label 3; labels must be integers in \[0, 3\) "
         r"with num_classes=3"),
        ([-1, 1], 3, r"y holds the label -1; labels must be integers in \[0, 3\)"),
        ([-1, 1], None, r"y holds the label -1; .*\[0, 2\) with num_classes=2 "
         r"inferred"),
        ([0.0, 1.5], 3, r"y holds the non-integer label 1.5; labels must be "
         r"integers in \[0, num_classes\) with num_classes=3"),
        ([0.5], None, r"y holds the non-integer label 0.5; .*inferred as max"),
    ],
)  # fmt: skip
def test_class_to_onehot_rejects_bad_labels(labels, num_classes, message):
    with pytest.raises(ValueError, match=rf"class_to_onehot: {message}"):
        class_to_onehot(np.array(labels), num_classes)


@pytest.mark.parametrize(
    ("num_classes", "error", "message"),
    [
        (0, ValueError, r"num_classes must be >= 1; got 0"),
        (-2, ValueError, r"num_classes must be >= 1; got -2"),
        (2.5, TypeError, r"num_classes must be an integer; got 2.5"),
        (True, TypeError, r"num_classes must be an integer; got True"),
    ],
)
def test_class_to_onehot_rejects_bad_num_classes(num_classes, error, message):
    with pytest.raises(error, match=rf"class_to_onehot: {message}"):
        class_to_onehot(np.array([0, 1]), num_classes)


@pytest.mark.parametrize(
    ("labels", "error", "message"),
    [
        (np.zeros((3, 2)), ValueError, r"y must have shape \(n_samples,\) or "
         r"\(n_samples, 1\); got shape \(3, 2\)"),
        (np.array(["a", "b"]), TypeError, r"y must hold numbers"),
        (np.array([0.0, np.nan]), ValueError, r"y contains NaN"),
        (np.zeros(0), ValueError, r"y has shape \(0,\) with 0 samples"),
    ],
)  # fmt: skip
def test_class_to_onehot_rejects_bad_y(labels, error, message):
    with pytest.raises(error, match=rf"class_to_onehot: {message}"):
        class_to_onehot(labels, 2)


def test_class_to_onehot_rejects_integer_dtype():
    with pytest.raises(
        ValueError, match=r"class_to_onehot: dtype must be float32 or float64"
    ):
        class_to_onehot([0, 1], 2, dtype=np.int64)
