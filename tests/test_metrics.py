"""Tests for nnfs.metrics: to_labels and accuracy on hand-worked examples."""

import numpy as np
import pytest

from nnfs.metrics import (
    accuracy,
    classification_report,
    confusion_matrix,
    f1_score,
    precision,
    recall,
    to_labels,
)

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


# ---------------------------------------------------------------- confusion matrix,
# precision, recall, F1, report

# One three-class example used below, worked by hand:
#   true  0 0 0 1 1 2 2 2 2 1
#   pred  0 1 0 1 1 2 0 2 2 2
# confusion (rows true, columns predicted):
#   class 0: predicted 0, 1, 0           -> [2, 1, 0]
#   class 1: predicted 1, 1, 2           -> [0, 2, 1]
#   class 2: predicted 2, 0, 2, 2        -> [1, 0, 3]
# column sums (predicted counts) [3, 3, 4]; row sums (support) [3, 3, 4]
# precision = diagonal / column sums = [2/3, 2/3, 3/4]
# recall    = diagonal / row sums    = [2/3, 2/3, 3/4]
# F1 = 2pr / (p + r) = p here        = [2/3, 2/3, 3/4]
# accuracy = 7 / 10; macro precision = (2/3 + 2/3 + 3/4) / 3 = 25/36
Y_TRUE = np.array([0, 0, 0, 1, 1, 2, 2, 2, 2, 1])
Y_PRED = np.array([0, 1, 0, 1, 1, 2, 0, 2, 2, 2])
MATRIX = np.array([[2, 1, 0], [0, 2, 1], [1, 0, 3]])


def test_confusion_matrix_hand_worked():
    matrix = confusion_matrix(Y_TRUE, Y_PRED)
    np.testing.assert_array_equal(matrix, MATRIX)
    assert matrix.dtype == np.int64


def test_confusion_matrix_from_probabilities_and_one_hot():
    probabilities = np.eye(3)[Y_PRED] * 0.7 + 0.1  # argmax is Y_PRED
    onehot = np.eye(3)[Y_TRUE]
    np.testing.assert_array_equal(confusion_matrix(onehot, probabilities), MATRIX)
    np.testing.assert_array_equal(
        confusion_matrix(Y_TRUE.reshape(-1, 1).astype(float), probabilities), MATRIX
    )


def test_confusion_matrix_binary_scores_with_threshold():
    # scores 0.2 0.6 0.9 0.4 -> at 0.5: 0 1 1 0; at 0.7: 0 0 1 0
    y_true = np.array([[0.0], [1.0], [1.0], [1.0]])
    scores = np.array([[0.2], [0.6], [0.9], [0.4]])
    np.testing.assert_array_equal(confusion_matrix(y_true, scores), [[1, 0], [1, 2]])
    np.testing.assert_array_equal(
        confusion_matrix(y_true, scores, threshold=0.7), [[1, 0], [2, 1]]
    )


def test_confusion_matrix_counts_unused_classes():
    # Labels only 0 and 1, but four score columns, or n_classes=4.
    probabilities = np.array([[0.9, 0.1, 0, 0], [0.2, 0.7, 0.1, 0]])
    assert confusion_matrix([0, 1], probabilities).shape == (4, 4)
    matrix = confusion_matrix([0, 1], [0, 0], n_classes=4)
    np.testing.assert_array_equal(matrix[:2, :2], [[1, 0], [1, 0]])
    assert matrix.shape == (4, 4) and matrix.sum() == 2


def test_precision_recall_f1_hand_worked():
    np.testing.assert_allclose(precision(Y_TRUE, Y_PRED), [2 / 3, 2 / 3, 3 / 4])
    np.testing.assert_allclose(recall(Y_TRUE, Y_PRED), [2 / 3, 2 / 3, 3 / 4])
    np.testing.assert_allclose(f1_score(Y_TRUE, Y_PRED), [2 / 3, 2 / 3, 3 / 4])
    assert precision(Y_TRUE, Y_PRED, average="macro") == pytest.approx(25 / 36)


def test_precision_and_recall_differ_on_an_unbalanced_example():
    # true 0 1 1 1, pred 0 0 1 1:
    # class 0: p = 1/2 (2 predicted, 1 right), r = 1/1, F1 = 2(1/2)(1)/(3/2) = 2/3
    # class 1: p = 2/2, r = 2/3, F1 = 2(1)(2/3)/(5/3) = 4/5
    y_true, y_pred = [0, 1, 1, 1], [0, 0, 1, 1]
    np.testing.assert_allclose(precision(y_true, y_pred), [1 / 2, 1])
    np.testing.assert_allclose(recall(y_true, y_pred), [1, 2 / 3])
    np.testing.assert_allclose(f1_score(y_true, y_pred), [2 / 3, 4 / 5])
    # Macro F1 is the mean of the F1 values: (2/3 + 4/5) / 2 = 11/15
    assert f1_score(y_true, y_pred, average="macro") == pytest.approx(11 / 15)


def test_classes_never_predicted_or_absent_score_zero():
    # class 2 is never predicted (precision 0/0 -> 0) and absent from y_true
    # (recall 0/0 -> 0); no RuntimeWarning (warnings are errors here).
    y_true, y_pred = [0, 1, 1], [0, 1, 0]
    probabilities = np.eye(3)[y_pred]
    np.testing.assert_allclose(precision(y_true, probabilities), [0.5, 1, 0])
    np.testing.assert_allclose(recall(y_true, probabilities), [1, 0.5, 0])
    np.testing.assert_allclose(f1_score(y_true, probabilities), [2 / 3, 2 / 3, 0])


def test_classification_report_hand_worked():
    report = classification_report(Y_TRUE, Y_PRED, class_names=["a", "b", "c"])
    assert list(report) == ["a", "b", "c", "accuracy", "macro avg"]
    assert report["c"] == pytest.approx(
        {"precision": 0.75, "recall": 0.75, "f1": 0.75, "support": 4}
    )
    assert type(report["c"]["support"]) is int
    assert report["accuracy"] == pytest.approx(0.7)
    assert report["macro avg"]["precision"] == pytest.approx(25 / 36)
    assert report["macro avg"]["support"] == 10
    assert list(classification_report(Y_TRUE, Y_PRED))[:3] == ["0", "1", "2"]


def test_metrics_agree_with_scikit_learn():
    sklearn_metrics = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(0)
    y_true = rng.integers(0, 5, 200)
    y_pred = np.where(rng.random(200) < 0.7, y_true, rng.integers(0, 5, 200))
    np.testing.assert_array_equal(
        confusion_matrix(y_true, y_pred),
        sklearn_metrics.confusion_matrix(y_true, y_pred),
    )
    p, r, f, support = sklearn_metrics.precision_recall_fscore_support(y_true, y_pred)
    np.testing.assert_allclose(precision(y_true, y_pred), p, rtol=1e-12)
    np.testing.assert_allclose(recall(y_true, y_pred), r, rtol=1e-12)
    np.testing.assert_allclose(f1_score(y_true, y_pred), f, rtol=1e-12)
    report = classification_report(y_true, y_pred)
    assert [report[str(k)]["support"] for k in range(5)] == support.tolist()


@pytest.mark.parametrize(
    ("call", "error", "pattern"),
    [
        (
            lambda: confusion_matrix([0, 1], [0]),
            ValueError,
            r"confusion_matrix: y_true has 2 samples but y_pred has 1",
        ),
        (
            lambda: confusion_matrix([0, -1], [0, 1]),
            ValueError,
            r"confusion_matrix: y_true holds the negative class label -1",
        ),
        (
            lambda: confusion_matrix([0, 3], [0, 1], n_classes=3),
            ValueError,
            r"the data holds class label 3 but n_classes=3",
        ),
        (
            lambda: confusion_matrix([0, 1], np.eye(4)[:2], n_classes=3),
            ValueError,
            r"n_classes=3 but the data has 4 score columns",
        ),
        (
            lambda: confusion_matrix([0, 1], [0, 1], n_classes=2.0),
            TypeError,
            r"confusion_matrix: n_classes must be an integer",
        ),
        (
            lambda: confusion_matrix([0, np.nan], [0, 1]),
            ValueError,
            r"confusion_matrix: y_true contains NaN",
        ),
        (lambda: confusion_matrix([], []), ValueError, r"0 samples"),
        (
            lambda: precision([0, 1], ["a", "b"]),
            TypeError,
            r"confusion_matrix: y_pred must hold numbers",
        ),
        (
            lambda: recall([0, 1], [0, 1], average="micro"),
            ValueError,
            r"recall: average must be None or 'macro'; got 'micro'",
        ),
        (
            lambda: classification_report([0, 1], [0, 1], class_names=["a"]),
            ValueError,
            r"class_names must hold 2 distinct names",
        ),
        (
            lambda: classification_report([0, 1], [0, 1], class_names=["a", "a"]),
            ValueError,
            r"class_names must hold 2 distinct names",
        ),
        (
            lambda: classification_report(
                [0, 1], [0, 1], class_names=["accuracy", "b"]
            ),
            ValueError,
            r"may not use the reserved key 'accuracy'",
        ),
    ],
)
def test_metric_errors(call, error, pattern):
    with pytest.raises(error, match=pattern):
        call()
