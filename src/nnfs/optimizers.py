"""Optimizers: update parameters in place from the gradients layers stored.

Each parameter is identified by ``param_id = f"{layer.name}.{param_name}"``,
which keys any state the optimizer keeps for it (a momentum buffer, say).
"""

from abc import ABC, abstractmethod

import numpy as np

from nnfs._validation import check_real

__all__ = ["BaseOptimizer", "SGD"]


class BaseOptimizer(ABC):
    """Template for optimizers.

    Subclasses implement ``_update(param_id, parameters, gradients)``, the
    update rule alone; the public :meth:`update` and :meth:`step` check the
    gradient first.

    Attributes
    ----------
    state : dict of str to dict of str to ndarray
        Per-parameter state, keyed by ``param_id``: every value is an array
        (a step count is a 0-d array), so the state can be saved as is.
    """

    def __init__(self) -> None:
        self.state: dict[str, dict[str, np.ndarray]] = {}
        self._scratch_space: dict[str, np.ndarray] = {}

    def update(
        self, param_id: str, parameters: np.ndarray, gradients: np.ndarray
    ) -> None:
        """Update ``parameters`` in place from ``gradients``.

        Parameters
        ----------
        param_id : str
            Key of the parameter, ``f"{layer.name}.{param_name}"``.
        parameters : ndarray
            The parameter array, modified in place.
        gradients : ndarray
            dL/d(parameters), same shape.

        Raises
        ------
        TypeError
            If ``parameters`` is not a NumPy array.
        RuntimeError
            If ``gradients`` is None (no backward has run yet).
        ValueError
            If the shapes differ.
        FloatingPointError
            If a gradient is NaN or infinite; ``parameters`` is left unchanged.
        """
        self._check(param_id, parameters, gradients, f"{type(self).__name__}.update")
        self._update(param_id, parameters, gradients)

    def step(self, params: list[tuple[str, np.ndarray, np.ndarray]]) -> None:
        """Update several parameters at once, checking every gradient first.

        Parameters
        ----------
        params : list of (param_id, parameters, gradients)
            As for :meth:`update`. If any gradient is invalid, nothing is
            updated. An empty list is a no-op.

        Raises
        ------
        TypeError
            If ``params`` is not a list or tuple of 3-tuples, or as for
            :meth:`update`.
        ValueError
            If a ``param_id`` or a parameter array appears twice (it would be
            updated twice in one step), or as for :meth:`update`.
        RuntimeError, FloatingPointError
            As for :meth:`update`.
        """
        where = f"{type(self).__name__}.step"
        if not isinstance(params, list | tuple):
            raise TypeError(
                f"{where}: params must be a list of (param_id, parameters, "
                f"gradients) tuples; got {type(params).__name__}"
            )
        seen_ids: set[str] = set()
        seen_arrays: dict[int, str] = {}
        for position, entry in enumerate(params):
            if not isinstance(entry, tuple | list) or len(entry) != 3:
                length = f" of length {len(entry)}" if hasattr(entry, "__len__") else ""
                raise TypeError(
                    f"{where}: params[{position}] must be a (param_id, "
                    f"parameters, gradients) tuple; got {type(entry).__name__}"
                    f"{length}"
                )
            param_id, parameters, gradients = entry
            if param_id in seen_ids:
                raise ValueError(
                    f"{where}: param_id {param_id!r} appears twice in params; "
                    "each parameter must be updated once per step"
                )
            if id(parameters) in seen_arrays:
                raise ValueError(
                    f"{where}: parameter {param_id!r} is the same array as "
                    f"{seen_arrays[id(parameters)]!r}; each parameter must be "
                    "updated once per step"
                )
            self._check(param_id, parameters, gradients, where)
            seen_ids.add(param_id)
            seen_arrays[id(parameters)] = param_id
        for param_id, parameters, gradients in params:
            self._update(param_id, parameters, gradients)

    @staticmethod
    def _check(param_id, parameters, gradients, where: str) -> None:
        where = f"{where} of {param_id!r}"
        if not isinstance(parameters, np.ndarray):
            raise TypeError(
                f"{where}: parameters must be a numpy.ndarray; got "
                f"{type(parameters).__name__}"
            )
        if gradients is None:
            raise RuntimeError(
                f"{where}: no gradient has been computed; run backward first"
            )
        if not isinstance(gradients, np.ndarray) or gradients.shape != parameters.shape:
            shape = getattr(gradients, "shape", type(gradients).__name__)
            raise ValueError(
                f"{where}: gradients must have the parameter shape "
                f"{parameters.shape}; got {shape}"
            )
        # A sum of squares (one BLAS call) is finite whenever every entry is,
        # barring overflow, which the exact element-wise test then rules out.
        with np.errstate(over="ignore", invalid="ignore"):
            total = np.vdot(gradients, gradients)
        if not np.isfinite(total) and not np.isfinite(gradients).all():
            raise FloatingPointError(
                f"{where}: the gradient contains NaN or infinity; parameters "
                "were left unchanged (a smaller learning rate often helps)"
            )

    def get_config(self) -> dict:
        """Hyperparameters, as JSON-friendly values, that rebuild the optimizer."""
        return {}

    def _scratch(self, param_id: str, parameters: np.ndarray) -> np.ndarray:
        """Work array shaped like ``parameters``, kept so updates allocate
        nothing; not optimizer state (it holds no information between steps)."""
        scratch = self._scratch_space.get(param_id)
        if (
            scratch is None
            or scratch.shape != parameters.shape
            or scratch.dtype != parameters.dtype
        ):
            scratch = np.empty_like(parameters)
            self._scratch_space[param_id] = scratch
        return scratch

    @abstractmethod
    def _update(self, param_id, parameters, gradients) -> None:
        """Apply the update rule in place (inputs already checked)."""


class SGD(BaseOptimizer):
    """Stochastic gradient descent with optional (Nesterov) momentum.

    Parameters
    ----------
    lr : float, default=0.01
        Learning rate, > 0.
    momentum : float, default=0.0
        Momentum factor in [0, 1).
    nesterov : bool, default=False
        Use Nesterov momentum (needs ``momentum > 0``).

    Notes
    -----
    For each parameter ``w`` with gradient ``g`` and velocity ``v`` (zero at
    the start)::

        v = momentum * v + g
        w = w - lr * v                       (classical)
        w = w - lr * (g + momentum * v)      (Nesterov)

    the same convention as ``torch.optim.SGD``. With ``momentum=0`` both are
    plain gradient descent, ``w = w - lr * g``.

    Examples
    --------
    >>> import numpy as np
    >>> w, g = np.array([1.0]), np.array([0.5])
    >>> SGD(lr=0.1).update("dense_0.W", w, g)
    >>> w  # 1 - 0.1 * 0.5
    array([0.95])
    """

    def __init__(
        self, lr: float = 0.01, momentum: float = 0.0, nesterov: bool = False
    ) -> None:
        super().__init__()
        self.lr = check_real(lr, "lr", "SGD", low=0.0, low_open=True)
        self.momentum = check_real(
            momentum, "momentum", "SGD", low=0.0, high=1.0, high_open=True
        )
        if not isinstance(nesterov, bool):
            raise TypeError(f"SGD: nesterov must be a bool; got {nesterov!r}")
        if nesterov and self.momentum == 0:
            raise ValueError("SGD: nesterov=True needs momentum > 0; got momentum=0")
        self.nesterov = nesterov

    def _update(self, param_id, parameters, gradients):
        lr = parameters.dtype.type(self.lr)
        step = self._scratch(param_id, parameters)
        if not self.momentum:
            np.multiply(gradients, lr, out=step)
            parameters -= step
            return

        momentum = parameters.dtype.type(self.momentum)
        state = self.state.get(param_id)
        if state is None:
            state = self.state[param_id] = {"velocity": np.zeros_like(parameters)}
        velocity = state["velocity"]
        velocity *= momentum
        velocity += gradients
        if self.nesterov:
            np.multiply(velocity, momentum, out=step)
            step += gradients
            step *= lr
        else:
            np.multiply(velocity, lr, out=step)
        parameters -= step

    def get_config(self) -> dict:
        return {"lr": self.lr, "momentum": self.momentum, "nesterov": self.nesterov}

    def __repr__(self) -> str:
        return f"SGD(lr={self.lr}, momentum={self.momentum}, nesterov={self.nesterov})"
