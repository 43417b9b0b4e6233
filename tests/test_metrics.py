"""Tests for nnfs.metrics: to_labels and accuracy on hand-worked examples."""

import numpy as np
import pytest

from nnfs.metrics import accuracy, to_labels

# ---------------------------------------------------------------- to_labels


@pytest.mark.parametrize(
    ("y", "expected"),
    [
        # integer labels, 1-D: returned as they are
        (np.array([2, 0, 1, 1]), [2, 0, 1, 1]),
        (np.array([2.0, 0.0, 1.0]), [2, 0, 1]),
        (np.array([0, 1, 1, 0]), [0, 1, 1, 0]),
        # integer labels as a column with more than two classes
        (np.array([[2.0], [0.0], [1.0]]), [2, 0, 1]),
        # one-hot rows: argmax
        (np.array([[0, 1, 0], [1, 0, 0], [0, 0, 1]]), [1, 0, 2]),
        # class probabilities: argmax (row 1 has a tie, argmax takes the first)
        (np.array([[0.2, 0.5, 0.3], [0.4, 0.4, 0.2], [0.1, 0.0, 0.9]]), [1, 0, 2]),
        # a column of 0/1 labels
        (np.array([[1.0], [0.0], [1.0]]), [1, 0, 1]),
        # a column of probabilities: p >= 0.5
        (np.array([[0.3], [0.7], [0.5], [0.49]]), [0, 1, 1, 0]),
        # 1-D probabilities
        (np.array([0.2, 0.8]), [0, 1]),
    ],
)
def test_to_labels_hand_worked(y, expected):
    labels = to_labels(y)
    np.testing.assert_array_equal(labels, expected)
    assert labels.shape == (len(expected),)
    assert labels.dtype.kind == "i"


def test_to_labels_threshold_for_logits():
    # Logits: class 1 where z >= 0.
    scores = np.array([[-1.2], [0.3], [0.0], [-0.01]])
    np.testing.assert_array_equal(to_labels(scores, threshold=0.0), [0, 1, 1, 0])
    # The default threshold 0.5 reads the same column differently.
    np.testing.assert_array_equal(to_labels(scores), [0, 0, 0, 0])


def test_to_labels_custom_threshold():
    scores = np.array([[0.2], [0.6], [0.75], [0.9]])
    np.testing.assert_array_equal(to_labels(scores, threshold=0.7), [0, 0, 1, 1])


def test_to_labels_accepts_lists():
    np.testing.assert_array_equal(to_labels([[0.1, 0.9], [0.8, 0.2]]), [1, 0])


def test_to_labels_does_not_modify_input():
    y = np.array([[0.2, 0.8], [0.6, 0.4]])
    before = y.copy()
    to_labels(y)
    np.testing.assert_array_equal(y, before)


# ---------------------------------------------------------------- accuracy


def test_accuracy_labels_against_probabilities():
    # predicted classes: argmax -> [0, 0, 2, 1]; true [0, 1, 2, 1]
    # correct: yes, no, yes, yes -> 3 / 4
    y_true = np.array([0, 1, 2, 1])
    y_pred = np.array(
        [[0.8, 0.1, 0.1], [0.6, 0.3, 0.1], [0.0, 0.0, 1.0], [0.2, 0.7, 0.1]]
    )
    assert accuracy(y_true, y_pred) == 0.75


def test_accuracy_one_hot_against_probabilities():
    # true argmax [1, 0, 2]; predicted argmax [1, 2, 2] -> 2 / 3
    y_true = np.array([[0, 1, 0], [1, 0, 0], [0, 0, 1]])
    y_pred = np.array([[0.1, 0.8, 0.1], [0.3, 0.3, 0.4], [0.2, 0.2, 0.6]])
    assert accuracy(y_true, y_pred) == pytest.approx(2 / 3, abs=1e-15)


def test_accuracy_binary_column_with_threshold():
    # y_true [1, 0, 1, 1]; p = [0.9, 0.4, 0.3, 0.5]
    # threshold 0.5 -> [1, 0, 0, 1] -> correct 1, 1, 0, 1 -> 0.75
    # threshold 0.6 -> [1, 0, 0, 0] -> correct 1, 1, 0, 0 -> 0.5
    y_true = np.array([[1.0], [0.0], [1.0], [1.0]])
    y_pred = np.array([[0.9], [0.4], [0.3], [0.5]])
    assert accuracy(y_true, y_pred) == 0.75
    assert accuracy(y_true, y_pred, threshold=0.6) == 0.5


def test_accuracy_integer_labels_as_column_against_probabilities():
    # (n, 1) float labels with three classes, as the data generators give.
    y_true = np.array([[2.0], [0.0], [1.0]])
    y_pred = np.array([[0.1, 0.2, 0.7], [0.5, 0.4, 0.1], [0.5, 0.4, 0.1]])
    assert accuracy(y_true, y_pred) == pytest.approx(2 / 3, abs=1e-15)


def test_accuracy_labels_against_labels():
    assert accuracy([0, 1, 2, 2, 1], [0, 1, 1, 2, 0]) == 0.6


def test_accuracy_extremes_and_type():
    y = np.array([0, 1, 1])
    perfect = accuracy(y, np.eye(2)[y])
    assert perfect == 1.0 and type(perfect) is float
    assert accuracy(y, np.eye(2)[1 - y]) == 0.0


def test_accuracy_length_mismatch_raises():
    with pytest.raises(
        ValueError, match=r"accuracy: y_true has 3 samples but y_pred has 2"
    ):
        accuracy(np.array([0, 1, 1]), np.array([[0.2, 0.8], [0.9, 0.1]]))


@pytest.mark.parametrize(("argument", "bad"), [("y_true", np.nan), ("y_pred", np.inf)])
def test_accuracy_rejects_non_finite_values(argument, bad):
    y_true = np.array([[1.0], [0.0]])
    y_pred = np.array([[0.9], [0.2]])
    if argument == "y_true":
        y_true[0, 0] = bad
    else:
        y_pred[1, 0] = bad
    with pytest.raises(ValueError, match=rf"accuracy: {argument} contains"):
        accuracy(y_true, y_pred)


def test_accuracy_rejects_strings():
    with pytest.raises(TypeError, match=r"accuracy: y_pred must hold numbers"):
        accuracy([0, 1], np.array(["a", "b"]))


def test_accuracy_rejects_empty_input():
    with pytest.raises(ValueError, match=r"accuracy: y_true .* 0 samples"):
        accuracy(np.array([]), np.array([]))
