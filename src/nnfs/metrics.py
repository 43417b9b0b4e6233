"""Classification metrics computed from labels or from predicted scores."""

import numpy as np

from nnfs._validation import as_float_array

__all__ = ["accuracy", "to_labels"]


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
