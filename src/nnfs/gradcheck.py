"""Check analytic gradients against central finite differences.

Any layer, activation, loss or whole model can be checked. The numerical
reference is always computed in float64: each entry ``x`` of an input or
parameter is nudged to ``x + h`` and ``x - h`` and the derivative taken as
``(f(x + h) - f(x - h)) / (2 h)``. The analytic gradient is computed in the
dtype asked for, so the float32 path can be compared with the float64
reference.

What ``f`` is:

- a loss: ``f = loss.forward(y_pred, y_true)``, checked for ``y_pred``;
- a layer: ``f = sum(G * layer.forward(X)) + layer.penalty()`` with a fixed
  random ``G``, so ``backward(G)`` must equal df/dX, and each stored parameter
  gradient must equal df/d(parameter);
- a model: ``f = loss(model.forward(X), y) + sum of the layers' penalties``
  (the loss ``fit`` reports), checked for every parameter through the
  gradient the model trains with (fused where it applies).

Layers that behave differently in training and at inference are checked in
the mode their ``training`` flag is in. A layer that draws random numbers in
``forward`` must be made deterministic first (``Dropout.fix_mask``).
"""

import copy
from dataclasses import dataclass, field

import numpy as np

from nnfs._validation import as_float_array, check_dtype, check_int, check_real
from nnfs.layers import BaseLayer
from nnfs.losses import Loss
from nnfs.model import Sequential

__all__ = ["GradientCheckResult", "ParameterCheck", "check_gradients"]

# Second word of the checker's seed, so its stream differs from default_rng(seed).
_STREAM = 0x67726164  # "grad"

_DEFAULT_TOLERANCES = {
    np.dtype(np.float64): (1e-5, 1e-7),
    np.dtype(np.float32): (1e-4, 1e-6),
}


@dataclass
class ParameterCheck:
    """Outcome of the check of one array.

    Attributes
    ----------
    name : str
        ``"X"``, ``"y_pred"`` or ``"<layer name>.<parameter>"``; the layer
        name is ``"dense_2"`` inside a model, ``"dense"`` for a lone layer.
    shape : tuple of int
        Shape of the array.
    n_checked : int
        Number of entries compared.
    max_abs_error : float
        Largest ``|analytic - numerical|``.
    max_rel_error : float
        Largest ``|analytic - numerical| / max(|numerical|, atol)``.
    passed : bool
        Whether every entry satisfied ``|a - n| <= atol + rtol |n|``.

    Examples
    --------
    >>> import numpy as np
    >>> from nnfs.layers import Dense
    >>> X = np.random.default_rng(0).normal(size=(4, 3))
    >>> result = check_gradients(Dense(3, 2, seed=0), X, verbose=False)
    >>> check = result.checks[1]  # the weights, after the input X
    >>> check.name, check.shape, check.n_checked, check.passed
    ('dense.W', (3, 2), 6, True)
    """

    name: str
    shape: tuple[int, ...]
    n_checked: int
    max_abs_error: float
    max_rel_error: float
    passed: bool


@dataclass
class GradientCheckResult:
    """Every array checked, with the settings used.

    ``passed`` is True when every array passed. ``str(result)`` is a table.

    Attributes
    ----------
    checks : list of ParameterCheck
        One per array: the input (``"X"`` or ``"y_pred"``), then each
        parameter in layer order.
    dtype : str
        Dtype of the analytic gradient, ``"float64"`` or ``"float32"``.
    rtol, atol : float
        Tolerances of ``|a - n| <= atol + rtol |n|``.
    h : float
        Finite-difference step.

    Examples
    --------
    >>> import numpy as np
    >>> from nnfs.losses import MSE
    >>> y_pred = np.array([[0.5], [2.0]])
    >>> result = check_gradients(MSE(), y_pred, np.zeros((2, 1)), verbose=False)
    >>> result.passed, [check.name for check in result.checks]
    (True, ['y_pred'])
    """

    checks: list[ParameterCheck] = field(default_factory=list)
    dtype: str = "float64"
    rtol: float = 1e-5
    atol: float = 1e-7
    h: float = 1e-6

    @property
    def passed(self) -> bool:
        """True when every array passed its check."""
        return all(check.passed for check in self.checks)

    def __str__(self) -> str:
        header = ("array", "shape", "checked", "max abs err", "max rel err", "result")
        rows = [header] + [
            (
                check.name,
                str(check.shape),
                str(check.n_checked),
                f"{check.max_abs_error:.3e}",
                f"{check.max_rel_error:.3e}",
                "pass" if check.passed else "FAIL",
            )
            for check in self.checks
        ]
        widths = [max(len(row[col]) for row in rows) for col in range(len(header))]
        lines = [
            f"gradient check: analytic in {self.dtype} vs float64 central "
            f"differences (h={self.h:g}, rtol={self.rtol:g}, atol={self.atol:g})"
        ]
        for row in rows:
            lines.append(
                "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True))
            )
        lines.append("all passed" if self.passed else "SOME CHECKS FAILED")
        return "\n".join(lines)


def check_gradients(
    target: BaseLayer | Loss | Sequential,
    X: np.ndarray,
    y: np.ndarray | None = None,
    *,
    dtype=np.float64,
    h: float = 1e-6,
    rtol: float | None = None,
    atol: float | None = None,
    max_entries: int | None = None,
    seed: int = 0,
    verbose: bool = True,
) -> GradientCheckResult:
    """Compare the gradients of ``target`` with central finite differences.

    Parameters
    ----------
    target : BaseLayer, Loss or Sequential
        What to check. It is copied; the original is never modified.
    X : array-like
        For a layer or model, the input batch of shape (n_samples, ...). For a
        loss, ``y_pred`` of shape (n_samples, n_outputs).
    y : array-like of shape (n_samples, n_outputs) or (n_samples,), optional
        Targets: required for a loss and for a model, unused for a layer.
    dtype : float32 or float64, default=float64
        Precision of the analytic gradient. The numerical one is always
        computed in float64.
    h : float, default=1e-6
        Finite-difference step.
    rtol, atol : float, optional
        Tolerances of ``|a - n| <= atol + rtol |n|``. Defaults: 1e-5 and 1e-7
        in float64; 1e-4 and 1e-6 times the largest gradient entry (at least
        1e-6) in float32.
    max_entries : int, optional
        Check at most this many randomly chosen entries per array (all by
        default); useful for large models.
    seed : int, default=0
        Seed of the upstream gradient ``G`` and of the entry sampling.
    verbose : bool, default=True
        Print the result table.

    Returns
    -------
    GradientCheckResult
        One :class:`ParameterCheck` per array; ``.passed`` sums it up.

    Notes
    -----
    Keep inputs away from kinks (ReLU at 0, clip bounds, ties in a max):
    there the one-sided derivatives differ and no finite difference agrees.

    Examples
    --------
    >>> import numpy as np
    >>> from nnfs.layers import Dense
    >>> X = np.random.default_rng(0).normal(size=(4, 3))
    >>> check_gradients(Dense(3, 2, seed=0), X, verbose=False).passed
    True
    """
    where = "check_gradients"
    if not isinstance(target, BaseLayer | Loss | Sequential):
        raise TypeError(
            f"{where}: target must be a layer, a loss or a Sequential; got "
            f"{type(target).__name__}"
        )
    dtype = check_dtype(dtype, where)
    h = check_real(h, "h", where, low=0.0, low_open=True)
    if max_entries is not None:
        max_entries = check_int(max_entries, "max_entries", where)
    seed = check_int(seed, "seed", where, minimum=0)
    default_rtol, default_atol = _DEFAULT_TOLERANCES[dtype]
    rtol = default_rtol if rtol is None else check_real(rtol, "rtol", where, low=0.0)
    atol_given = atol is not None
    atol = default_atol if atol is None else check_real(atol, "atol", where, low=0.0)
    X = as_float_array(X, "X", where, dtype=np.float64, ndim=None)
    if (isinstance(target, Loss | Sequential)) and y is None:
        raise ValueError(f"{where}: y is required to check a {type(target).__name__}")
    if y is not None:
        y = as_float_array(y, "y", where, dtype=np.float64, ndim=None)
    # A stream of its own: with default_rng(seed) alone, G would equal an X
    # drawn by the caller from default_rng(seed) (as in the example above), and
    # X.T @ G would be symmetric, hiding a transposed weight gradient.
    rng = np.random.default_rng([seed, _STREAM])

    reference = _cast(target, np.float64)
    analytic_copy = _cast(target, dtype)
    if isinstance(target, Loss):
        f, arrays = _loss_problem(reference, X, y)
        analytic = _loss_gradients(analytic_copy, X.astype(dtype), y)
    elif isinstance(target, Sequential):
        f, arrays = _model_problem(reference, X, y)
        analytic = _model_gradients(analytic_copy, X.astype(dtype), y)
    else:
        G = rng.standard_normal(reference.forward(X.copy()).shape)
        f, arrays = _layer_problem(reference, X, G)
        analytic = _layer_gradients(analytic_copy, X.astype(dtype), G.astype(dtype))

    result = GradientCheckResult(dtype=dtype.name, rtol=rtol, atol=atol, h=h)
    for name, array in arrays.items():
        grad = np.asarray(analytic[name], dtype=np.float64)
        numerical, index = _numerical_gradient(f, array, h, max_entries, rng)
        grad = grad.reshape(-1)[index]
        tol_abs = atol
        if dtype == np.float32 and not atol_given:
            tol_abs = atol * max(1.0, float(np.abs(numerical).max(initial=0.0)))
        error = np.abs(grad - numerical)
        relative = error / np.maximum(np.abs(numerical), tol_abs)
        result.checks.append(
            ParameterCheck(
                name=name,
                shape=array.shape,
                n_checked=index.size,
                max_abs_error=float(error.max(initial=0.0)),
                max_rel_error=float(relative.max(initial=0.0)),
                passed=bool(np.all(error <= tol_abs + rtol * np.abs(numerical))),
            )
        )
    if verbose:
        print(result)
    return result


def _cast(target, dtype: np.dtype):
    """Deep copy of ``target`` with every parameter and state array in ``dtype``."""
    clone = copy.deepcopy(target)
    layers = clone.layers if isinstance(clone, Sequential) else [clone]
    for layer in layers:
        if not isinstance(layer, BaseLayer):
            continue
        for param in (*layer.param_names, *layer.state_names):
            setattr(layer, param, getattr(layer, param).astype(dtype))
        if hasattr(layer, "dtype"):
            layer.dtype = dtype
    return clone


def _numerical_gradient(f, array, h, max_entries, rng):
    """Central differences of ``f`` for entries of ``array`` (modified in place,
    then restored). Returns the derivatives and the flat indices checked."""
    flat = array.reshape(-1)
    index = np.arange(flat.size)
    if max_entries is not None and flat.size > max_entries:
        index = np.sort(rng.choice(flat.size, size=max_entries, replace=False))
    derivatives = np.empty(index.size)
    for position, i in enumerate(index):
        original = flat[i]
        flat[i] = original + h
        f_plus = f()
        flat[i] = original - h
        f_minus = f()
        flat[i] = original
        derivatives[position] = (f_plus - f_minus) / (2 * h)
    return derivatives, index


def _label(layer) -> str:
    """The layer's name in a model, its type name (``"dense"``) on its own."""
    return layer.layer_name if layer.index is None else layer.name


def _param_arrays(layers) -> dict[str, np.ndarray]:
    return {
        f"{_label(layer)}.{param}": getattr(layer, param)
        for layer in layers
        for param in layer.param_names
    }


def _param_grads(layers) -> dict[str, np.ndarray]:
    return {
        f"{_label(layer)}.{param}": getattr(layer, "d" + param)
        for layer in layers
        for param in layer.param_names
    }


def _loss_problem(loss, y_pred, y_true):
    return (lambda: loss.forward(y_pred, y_true)), {"y_pred": y_pred}


def _loss_gradients(loss, y_pred, y_true):
    loss.forward(y_pred, y_true)
    return {"y_pred": loss.backward()}


def _layer_problem(layer, X, G):
    def f():
        return float(np.vdot(G, layer.forward(X))) + layer.penalty()

    return f, {"X": X, **_param_arrays([layer])}


def _layer_gradients(layer, X, G):
    layer.forward(X)
    dX = layer.backward(G)
    return {"X": dX, **_param_grads([layer])}


def _model_problem(model, X, y):
    def f():
        loss_value = model.loss.forward(model.forward(X), y)
        return loss_value + sum(layer.penalty() for layer in model.layers)

    return f, _param_arrays(model.layers)


def _model_gradients(model, X, y):
    model.compute_gradients(X, y)
    return _param_grads(model.layers)
