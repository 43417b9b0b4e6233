"""Classification metrics computed from labels or from predicted scores.

Every function takes ``y_true`` and ``y_pred`` as integer labels (n,) or
(n, 1), one-hot rows, probabilities or scores (n, n_classes), or a single
column of binary scores; :func:`to_labels` turns each into class indices.
The confusion matrix has the true classes as rows and the predicted classes
as columns (the convention of scikit-learn).
"""

import numpy as np

from nnfs._validation import as_float_array, check_int

__all__ = [
    "accuracy",
    "classification_report",
    "confusion_matrix",
    "f1_score",
    "precision",
    "recall",
    "to_labels",
]


def to_labels(y: np.ndarray, threshold: float = 0.5) -> np.ndarray:
    """Turn targets or predictions into integer class labels of shape (n,).

    Parameters
    ----------
    y : ndarray of shape (n,), (n, 1) or (n, n_classes)
        Labels, a single column of binary scores, or one score per class.
    threshold : float, default=0.5
        Decision threshold for a single column of scores (0.5 for
        probabilities, 0 for logits).

    Returns
    -------
    ndarray of int of shape (n,)
        The argmax of each row for several columns; ``y >= threshold`` for one
        column of non-integer scores; the values themselves for integer labels.

    Examples
    --------
    >>> import numpy as np
    >>> to_labels(np.array([[0.1, 0.9], [0.8, 0.2]]))
    array([1, 0])
    >>> to_labels(np.array([[0.3], [0.7]]))
    array([0, 1])
    """
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] > 1:
        return y.argmax(axis=1)
    column = y.reshape(-1)
    if np.all(column == np.round(column)) and (
        column.max(initial=0) > 1 or y.ndim == 1
    ):
        return column.astype(np.intp)
    return (column >= threshold).astype(np.intp)


def accuracy(y_true, y_pred, threshold: float = 0.5) -> float:
    """Share of samples whose predicted class equals the true class.

    Parameters
    ----------
    y_true : array-like of shape (n,), (n, 1) or (n, n_classes)
        Integer labels or one-hot rows.
    y_pred : array-like of shape (n,), (n, 1) or (n, n_classes)
        Predicted labels, probabilities or scores (see :func:`to_labels`).
    threshold : float, default=0.5
        Threshold for a single column of scores.

    Returns
    -------
    float
        Accuracy in [0, 1].

    Examples
    --------
    >>> import numpy as np
    >>> # rows 0 and 2 are right, row 1 is wrong: 2 / 3
    >>> round(accuracy([0, 1, 2], np.array([[.8, .1, .1], [.6, .3, .1], [0, 0, 1]])), 4)
    0.6667
    """
    where = "accuracy"
    y_true = as_float_array(y_true, "y_true", where, ndim=None)
    y_pred = as_float_array(y_pred, "y_pred", where, ndim=None)
    if y_true.shape[0] != y_pred.shape[0]:
        raise ValueError(
            f"{where}: y_true has {y_true.shape[0]} samples but y_pred has "
            f"{y_pred.shape[0]}"
        )
    return float(np.mean(to_labels(y_true) == to_labels(y_pred, threshold)))


def _class_labels(y_true, y_pred, threshold, n_classes, where):
    """Checked integer labels of both arrays and the number of classes."""
    y_true = as_float_array(y_true, "y_true", where, ndim=None)
    y_pred = as_float_array(y_pred, "y_pred", where, ndim=None)
    if y_true.shape[0] != y_pred.shape[0]:
        raise ValueError(
            f"{where}: y_true has {y_true.shape[0]} samples but y_pred has "
            f"{y_pred.shape[0]}"
        )
    labels_true = to_labels(y_true)
    labels_pred = to_labels(y_pred, threshold)
    for name, labels in (("y_true", labels_true), ("y_pred", labels_pred)):
        if labels.min() < 0:
            raise ValueError(
                f"{where}: {name} holds the negative class label {labels.min()}; "
                "labels must be 0, 1, 2, ..."
            )
    # Columns of scores or one-hot rows count as classes even when unused.
    widths = [y.shape[1] for y in (y_true, y_pred) if y.ndim == 2 and y.shape[1] > 1]
    largest = int(max(labels_true.max(), labels_pred.max()))
    if n_classes is None:
        return labels_true, labels_pred, max(largest + 1, *widths, 2)
    n_classes = check_int(n_classes, "n_classes", where)
    if largest >= n_classes:
        raise ValueError(
            f"{where}: the data holds class label {largest} but "
            f"n_classes={n_classes}; labels must be below n_classes"
        )
    if any(width != n_classes for width in widths):
        raise ValueError(
            f"{where}: n_classes={n_classes} but the data has "
            f"{max(widths)} score columns; they must agree"
        )
    return labels_true, labels_pred, n_classes


def confusion_matrix(
    y_true, y_pred, *, n_classes: int | None = None, threshold: float = 0.5
) -> np.ndarray:
    """Count of samples of each true class predicted as each class.

    Parameters
    ----------
    y_true : array-like of shape (n,), (n, 1) or (n, n_classes)
        Integer labels or one-hot rows.
    y_pred : array-like of shape (n,), (n, 1) or (n, n_classes)
        Predicted labels, probabilities or scores (see :func:`to_labels`).
    n_classes : int, optional
        Number of classes; by default the largest label + 1, or the number of
        score columns (at least 2).
    threshold : float, default=0.5
        Threshold for a single column of scores.

    Returns
    -------
    ndarray of int64 of shape (n_classes, n_classes)
        Entry ``[i, j]`` counts the samples of true class ``i`` predicted as
        class ``j``; the diagonal holds the correct predictions.

    Raises
    ------
    ValueError
        If the lengths differ, a label is negative or not below
        ``n_classes``, or the data is empty or not finite.
    TypeError
        If an array does not hold numbers.

    Examples
    --------
    >>> confusion_matrix([0, 1, 2, 2], [0, 2, 2, 1])
    array([[1, 0, 0],
           [0, 0, 1],
           [0, 1, 1]])
    """
    where = "confusion_matrix"
    labels_true, labels_pred, n_classes = _class_labels(
        y_true, y_pred, threshold, n_classes, where
    )
    flat = np.bincount(labels_true * n_classes + labels_pred, minlength=n_classes**2)
    return flat.reshape(n_classes, n_classes).astype(np.int64)


def _scores_from_matrix(matrix: np.ndarray) -> dict[str, np.ndarray]:
    """Per-class precision, recall, F1 and support; 0 where undefined."""
    correct = np.diag(matrix).astype(np.float64)
    predicted = matrix.sum(axis=0)
    support = matrix.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(predicted > 0, correct / predicted, 0.0)
        recall = np.where(support > 0, correct / support, 0.0)
        total = precision + recall
        f1 = np.where(total > 0, 2 * precision * recall / total, 0.0)
    return {"precision": precision, "recall": recall, "f1": f1, "support": support}


def _averaged(values: np.ndarray, average, where: str):
    if average is None:
        return values
    if average == "macro":
        return float(values.mean())
    raise ValueError(f"{where}: average must be None or 'macro'; got {average!r}")


def precision(
    y_true,
    y_pred,
    *,
    average: str | None = None,
    n_classes: int | None = None,
    threshold: float = 0.5,
):
    """Precision of each class: correct predictions of it / all predictions of it.

    Parameters
    ----------
    y_true, y_pred, n_classes, threshold
        As in :func:`confusion_matrix`.
    average : {None, "macro"}, default=None
        None gives one value per class; "macro" their unweighted mean.

    Returns
    -------
    ndarray of float64 of shape (n_classes,), or float
        A class that is never predicted has precision 0 (the quotient 0/0
        is defined as 0, as scikit-learn does by default, without a warning).

    Examples
    --------
    >>> # predicted 0 twice (1 right), 1 twice (both right)
    >>> precision([0, 0, 1, 1], [0, 1, 1, 0])
    array([0.5, 0.5])
    >>> precision([0, 1, 1, 1], [0, 0, 1, 1], average="macro")
    0.75
    """
    where = "precision"
    matrix = confusion_matrix(y_true, y_pred, n_classes=n_classes, threshold=threshold)
    return _averaged(_scores_from_matrix(matrix)["precision"], average, where)


def recall(
    y_true,
    y_pred,
    *,
    average: str | None = None,
    n_classes: int | None = None,
    threshold: float = 0.5,
):
    """Recall of each class: its samples predicted right / all its samples.

    Parameters
    ----------
    y_true, y_pred, n_classes, threshold
        As in :func:`confusion_matrix`.
    average : {None, "macro"}, default=None
        None gives one value per class; "macro" their unweighted mean.

    Returns
    -------
    ndarray of float64 of shape (n_classes,), or float
        A class absent from ``y_true`` has recall 0.

    Examples
    --------
    >>> # class 0: 1 of 1 found; class 1: 2 of 3 found
    >>> recall([0, 1, 1, 1], [0, 0, 1, 1])
    array([1.        , 0.66666667])
    """
    where = "recall"
    matrix = confusion_matrix(y_true, y_pred, n_classes=n_classes, threshold=threshold)
    return _averaged(_scores_from_matrix(matrix)["recall"], average, where)


def f1_score(
    y_true,
    y_pred,
    *,
    average: str | None = None,
    n_classes: int | None = None,
    threshold: float = 0.5,
):
    """F1 of each class: the harmonic mean 2 p r / (p + r) of precision and recall.

    Parameters
    ----------
    y_true, y_pred, n_classes, threshold
        As in :func:`confusion_matrix`.
    average : {None, "macro"}, default=None
        None gives one value per class; "macro" their unweighted mean (the
        mean of the per-class F1 values, not the F1 of the mean precision
        and recall).

    Returns
    -------
    ndarray of float64 of shape (n_classes,), or float
        0 for a class whose precision and recall are both 0.

    Examples
    --------
    >>> # class 0: p = 1/2, r = 1 -> 2/3; class 1: p = 1, r = 2/3 -> 4/5
    >>> f1_score([0, 1, 1, 1], [0, 0, 1, 1])
    array([0.66666667, 0.8       ])
    """
    where = "f1_score"
    matrix = confusion_matrix(y_true, y_pred, n_classes=n_classes, threshold=threshold)
    return _averaged(_scores_from_matrix(matrix)["f1"], average, where)


def classification_report(
    y_true,
    y_pred,
    *,
    class_names=None,
    n_classes: int | None = None,
    threshold: float = 0.5,
) -> dict:
    """Precision, recall, F1 and support of every class, with averages.

    Parameters
    ----------
    y_true, y_pred, n_classes, threshold
        As in :func:`confusion_matrix`.
    class_names : sequence of str, optional
        A name for each class, used as its key; by default ``"0"``, ``"1"``...

    Returns
    -------
    dict
        One entry per class name, each a dict with keys ``"precision"``,
        ``"recall"``, ``"f1"`` (floats) and ``"support"`` (int, the number of
        true samples); then ``"accuracy"`` (float) and ``"macro avg"`` (the
        unweighted means over classes, and the total support). The same
        layout as scikit-learn's ``classification_report(output_dict=True)``.

    Raises
    ------
    ValueError
        As :func:`confusion_matrix`, and if ``class_names`` does not hold one
        distinct name per class or uses a reserved key.

    Examples
    --------
    >>> report = classification_report([0, 1, 1, 1], [0, 0, 1, 1],
    ...                                class_names=["cat", "dog"])
    >>> report["dog"]
    {'precision': 1.0, 'recall': 0.6666666666666666, 'f1': 0.8, 'support': 3}
    >>> report["accuracy"], report["macro avg"]["recall"]
    (0.75, 0.8333333333333333)
    """
    where = "classification_report"
    matrix = confusion_matrix(y_true, y_pred, n_classes=n_classes, threshold=threshold)
    n_classes = matrix.shape[0]
    if class_names is None:
        class_names = [str(k) for k in range(n_classes)]
    else:
        class_names = [str(name) for name in class_names]
        if len(class_names) != n_classes or len(set(class_names)) != n_classes:
            raise ValueError(
                f"{where}: class_names must hold {n_classes} distinct names, "
                f"one per class; got {class_names}"
            )
        reserved = {"accuracy", "macro avg"} & set(class_names)
        if reserved:
            raise ValueError(
                f"{where}: class_names may not use the reserved key "
                f"{sorted(reserved)[0]!r}"
            )
    scores = _scores_from_matrix(matrix)
    report: dict = {}
    for k, name in enumerate(class_names):
        report[name] = {
            "precision": float(scores["precision"][k]),
            "recall": float(scores["recall"][k]),
            "f1": float(scores["f1"][k]),
            "support": int(scores["support"][k]),
        }
    report["accuracy"] = float(np.trace(matrix) / matrix.sum())
    report["macro avg"] = {
        "precision": float(scores["precision"].mean()),
        "recall": float(scores["recall"].mean()),
        "f1": float(scores["f1"].mean()),
        "support": int(matrix.sum()),
    }
    return report
