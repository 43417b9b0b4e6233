"""Optimizers: update parameters in place from the gradients layers stored.

Each parameter is identified by ``param_id = f"{layer.name}.{param_name}"``,
which keys any state the optimizer keeps for it (a momentum buffer, say).

Every optimizer follows PyTorch's conventions (``torch.optim``) for its
defaults, for where epsilon goes and for how weight decay enters, so that a
recipe written for PyTorch carries over; each class says where Keras differs.
Every optimizer can clip gradients (``clipnorm``, ``clipvalue``) before it
applies its rule, and every one has an ``lr`` attribute that the learning-rate
schedules of :mod:`nnfs.schedules` set between epochs.

References
----------
.. [1] D. P. Kingma and J. Ba, "Adam: A Method for Stochastic Optimization",
   ICLR 2015, arXiv:1412.6980.
.. [2] I. Loshchilov and F. Hutter, "Decoupled Weight Decay Regularization",
   ICLR 2019, arXiv:1711.05101.
.. [3] T. Tieleman and G. Hinton, "Lecture 6.5 - RMSprop: Divide the gradient
   by a running average of its recent magnitude", COURSERA: Neural Networks
   for Machine Learning, 2012.
.. [4] J. Duchi, E. Hazan and Y. Singer, "Adaptive Subgradient Methods for
   Online Learning and Stochastic Optimization", JMLR 12, 2011.
"""

import math
import operator
from abc import ABC, abstractmethod

import numpy as np

from nnfs import _blas
from nnfs._validation import check_bool, check_real

__all__ = ["SGD", "Adagrad", "Adam", "AdamW", "BaseOptimizer", "RMSprop"]


def _unchanged(checked: tuple | None, state, parameters: np.ndarray) -> bool:
    """Whether ``state`` is, object for object, the state checked against
    ``parameters`` before (``checked`` holds the objects themselves, so no id
    is reused while it lives)."""
    return (
        checked is not None
        and checked[1] is state
        and checked[0] == parameters.shape
        and len(state) == len(checked) - 2
        and all(map(operator.is_, state.values(), checked[2:]))
    )


def _check_distinct(params, optimizer: "BaseOptimizer") -> None:
    """Refuse a ``param_id`` or a parameter array that appears twice in
    ``params``: it would be updated twice in one step."""
    n_params = len(params)
    if (
        len({entry[0] for entry in params}) == n_params
        and len({id(entry[1]) for entry in params}) == n_params
    ):
        return
    ids = [entry[0] for entry in params]
    arrays = [id(entry[1]) for entry in params]
    where = optimizer._where("step")
    for position, (param_id, parameters, _) in enumerate(params):
        if param_id in ids[:position]:
            raise ValueError(
                f"{where}: param_id {param_id!r} appears twice in params; "
                "each parameter must be updated once per step"
            )
        if id(parameters) in arrays[:position]:
            first = ids[arrays.index(id(parameters))]
            raise ValueError(
                f"{where}: parameter {param_id!r} is the same array as "
                f"{first!r}; each parameter must be updated once per step"
            )


class BaseOptimizer(ABC):
    """Template for optimizers, with gradient clipping shared by all of them.

    Subclasses implement ``_update(param_id, parameters, gradients)``, the
    update rule alone; the public :meth:`update` and :meth:`step` check the
    gradient first and clip it.

    Parameters
    ----------
    clipnorm : float, optional
        If given (> 0), :meth:`step` rescales the gradients of all the
        parameters it updates so that their global L2 norm (the norm of all
        entries taken together) is at most ``clipnorm``.
    clipvalue : float, optional
        If given (> 0), every gradient entry is clipped to
        ``[-clipvalue, clipvalue]``.

    Attributes
    ----------
    state : dict of str to dict of str to ndarray
        Per-parameter state, keyed by ``param_id``: every value is an array
        (a step count is a 0-d int64 array), so the state can be saved as is
        and put back into a fresh optimizer with the same configuration.

    Notes
    -----
    Clipping happens before the update rule (and before any weight decay
    term is added) and works on copies: the gradient arrays the layers hold
    are never modified. With both options, the norm is clipped first and the
    values second, as in Keras; each bound then holds for the result.

    The global norm of :meth:`step` is ``sqrt(sum_i ||g_i||**2)`` over the
    gradients ``g_i`` passed to that call; when it exceeds ``clipnorm`` every
    gradient is multiplied by ``clipnorm / norm``. This is
    ``torch.nn.utils.clip_grad_norm_`` (PyTorch adds 1e-6 to the norm in the
    denominator; nnfs does not) and Keras's ``global_clipnorm``.
    :meth:`update` sees a single parameter, so there the norm is that
    parameter's own gradient norm (Keras's per-variable ``clipnorm``).

    Examples
    --------
    >>> import numpy as np
    >>> w, g = np.array([0.0, 0.0]), np.array([3.0, 4.0])  # ||g|| = 5
    >>> SGD(lr=1.0, clipnorm=1.0).step([("w", w, g)])
    >>> w  # -g / 5
    array([-0.6, -0.8])
    >>> g  # the gradient itself is untouched
    array([3., 4.])
    """

    def __init__(
        self, *, clipnorm: float | None = None, clipvalue: float | None = None
    ) -> None:
        where = type(self).__name__
        self.clipnorm = (
            None
            if clipnorm is None
            else check_real(clipnorm, "clipnorm", where, low=0.0, low_open=True)
        )
        self.clipvalue = (
            None
            if clipvalue is None
            else check_real(clipvalue, "clipvalue", where, low=0.0, low_open=True)
        )
        self.state: dict[str, dict[str, np.ndarray]] = {}
        self._scratch_space: dict[tuple[str, str], np.ndarray] = {}
        # The state of each parameter as last checked (see _unchanged), so
        # the check runs when the state changes hands, not on every step.
        self._checked_state: dict[str, tuple] = {}

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
            dL/d(parameters), same shape. Never modified.

        Raises
        ------
        TypeError
            If ``parameters`` is not a NumPy array.
        RuntimeError
            If ``gradients`` is None (no backward has run yet).
        ValueError
            If the shapes differ, or if the stored state of ``param_id`` does
            not fit ``parameters``.
        FloatingPointError
            If a gradient is NaN or infinite; ``parameters`` is left unchanged.

        Notes
        -----
        With ``clipnorm``, the gradient is clipped by its own norm, since
        this call sees one parameter only; use :meth:`step` for the global
        norm over several parameters.
        """
        squared_norm = self._check(param_id, parameters, gradients, "update")
        scale = self._clip_scale(squared_norm, [gradients])
        self._update(param_id, parameters, self._clip(param_id, gradients, scale))

    def step(self, params: list[tuple[str, np.ndarray, np.ndarray]]) -> None:
        """Update several parameters at once, checking every gradient first.

        Parameters
        ----------
        params : list of (param_id, parameters, gradients)
            As for :meth:`update`, at least one. If any gradient is invalid,
            nothing is updated. With ``clipnorm``, the norm is taken over all
            these gradients together.

        Raises
        ------
        TypeError
            If ``params`` is not a list or tuple of 3-tuples, or as for
            :meth:`update`.
        ValueError
            If ``params`` is empty (there is nothing to update, which is
            always a mistake in the caller), if a ``param_id`` or a parameter
            array appears twice (it would be updated twice in one step), or as
            for :meth:`update`.
        RuntimeError, FloatingPointError
            As for :meth:`update`.
        """
        if not isinstance(params, list | tuple):
            raise TypeError(
                f"{self._where('step')}: params must be a list of (param_id, "
                f"parameters, gradients) tuples; got {type(params).__name__}"
            )
        if not params:
            raise ValueError(
                f"{self._where('step')}: params is empty; expected at least one "
                "(param_id, parameters, gradients) tuple"
            )
        squared_norm = 0.0
        for position, entry in enumerate(params):
            if not isinstance(entry, tuple | list) or len(entry) != 3:
                length = f" of length {len(entry)}" if hasattr(entry, "__len__") else ""
                raise TypeError(
                    f"{self._where('step')}: params[{position}] must be a (param_id, "
                    f"parameters, gradients) tuple; got {type(entry).__name__}"
                    f"{length}"
                )
            squared_norm += self._check(*entry, "step")
        _check_distinct(params, self)
        scale = (
            1.0
            if self.clipnorm is None
            else self._clip_scale(squared_norm, [entry[2] for entry in params])
        )
        for param_id, parameters, gradients in params:
            self._update(param_id, parameters, self._clip(param_id, gradients, scale))

    def _where(self, method: str) -> str:
        """``"SGD.step"`` and the like, for error messages (built only then)."""
        return f"{type(self).__name__}.{method}"

    def _check(self, param_id, parameters, gradients, method: str) -> float:
        """Validate one (parameters, gradients) pair passed to ``method``
        ("step" or "update"); return sum(gradients**2).

        The sum may be infinite (overflow) although every entry is finite.
        """
        if not isinstance(parameters, np.ndarray):
            raise TypeError(
                f"{self._where(method)} of {param_id!r}: parameters must be a "
                f"numpy.ndarray; got {type(parameters).__name__}"
            )
        if gradients is None:
            raise RuntimeError(
                f"{self._where(method)} of {param_id!r}: no gradient has been "
                "computed; run backward first"
            )
        if not isinstance(gradients, np.ndarray) or gradients.shape != parameters.shape:
            shape = getattr(gradients, "shape", type(gradients).__name__)
            raise ValueError(
                f"{self._where(method)} of {param_id!r}: gradients must have the "
                f"parameter shape {parameters.shape}; got {shape}"
            )
        # A sum of squares (one BLAS call, which never warns) is finite
        # whenever every entry is, barring overflow, which the exact
        # element-wise test then rules out.
        total = float(np.vdot(gradients, gradients))
        if not math.isfinite(total) and not np.isfinite(gradients).all():
            raise FloatingPointError(
                f"{self._where(method)} of {param_id!r}: the gradient contains NaN "
                "or infinity; parameters were left unchanged (a smaller learning "
                "rate often helps)"
            )
        return total

    def _clip_scale(self, squared_norm: float, gradients: list[np.ndarray]) -> float:
        """Factor that brings the norm of ``gradients`` down to ``clipnorm``."""
        if self.clipnorm is None:
            return 1.0
        if math.isfinite(squared_norm):
            norm = math.sqrt(squared_norm)
        else:
            # The squares overflowed; scale by the largest entry first (rare,
            # so the temporary arrays do not matter).
            largest = max(float(np.max(np.abs(g))) for g in gradients if g.size)
            total = sum(float(np.sum(np.square(g / largest))) for g in gradients)
            norm = largest * math.sqrt(total)
        return self.clipnorm / norm if norm > self.clipnorm else 1.0

    def _clip(self, param_id: str, gradients: np.ndarray, scale: float) -> np.ndarray:
        """The clipped gradient: ``gradients`` itself, or a scratch copy."""
        if scale == 1.0 and self.clipvalue is None:
            return gradients
        clipped = self._scratch(param_id, gradients, "clipped")
        np.multiply(gradients, scale, out=clipped)
        if self.clipvalue is not None:
            np.clip(clipped, -self.clipvalue, self.clipvalue, out=clipped)
        return clipped

    def _with_weight_decay(
        self, param_id: str, parameters: np.ndarray, gradients: np.ndarray
    ) -> np.ndarray:
        """``gradients + weight_decay * parameters`` (the gradient of the L2
        penalty ``weight_decay / 2 * ||w||**2`` added), in a scratch array."""
        if not self.weight_decay:
            return gradients
        decayed = self._scratch(param_id, parameters, "decayed")
        np.multiply(parameters, self.weight_decay, out=decayed)
        decayed += gradients
        return decayed

    def _state_for(self, param_id: str, parameters: np.ndarray) -> dict:
        """The state of ``param_id``, created by ``_init_state`` on first use.

        State put in by hand (loaded from a file, say) is checked against the
        parameter, so a mismatch fails here rather than deep inside NumPy.
        """
        state = self.state.get(param_id)
        if state is None:
            state = self.state[param_id] = self._init_state(parameters)
        elif _unchanged(self._checked_state.get(param_id), state, parameters):
            return state
        else:
            self._check_state(param_id, state, parameters)
        self._checked_state[param_id] = (parameters.shape, state, *state.values())
        return state

    def _check_state(self, param_id: str, state, parameters: np.ndarray) -> None:
        expected = self._state_names()
        if not isinstance(state, dict) or set(state) != set(expected):
            found = sorted(state) if isinstance(state, dict) else type(state).__name__
            raise ValueError(
                f"{type(self).__name__}: the state of {param_id!r} must hold the "
                f"arrays {sorted(expected)}; got {found}"
            )
        for name, value in state.items():
            shape = () if name == "step" else parameters.shape
            if not isinstance(value, np.ndarray) or value.shape != shape:
                found = getattr(value, "shape", type(value).__name__)
                raise ValueError(
                    f"{type(self).__name__}: state {name!r} of {param_id!r} must "
                    f"be an array of shape {shape}; got {found}"
                )

    def _init_state(self, parameters: np.ndarray) -> dict:
        """Fresh state of one parameter (zeros; a step count of 0)."""
        return {
            name: np.zeros((), dtype=np.int64)
            if name == "step"
            else np.zeros_like(parameters)
            for name in self._state_names()
        }

    def _state_names(self) -> tuple[str, ...]:
        """Names of the arrays kept per parameter, for the current settings."""
        return ()

    def get_config(self) -> dict:
        """Hyperparameters, as JSON-friendly values, that rebuild the optimizer."""
        return {"clipnorm": self.clipnorm, "clipvalue": self.clipvalue}

    def _scratch(
        self, param_id: str, like: np.ndarray, purpose: str = "step"
    ) -> np.ndarray:
        """Work array shaped like ``like``, kept so updates allocate nothing;
        not optimizer state (it holds no information between steps).

        ``purpose`` tells apart several work arrays of one parameter.
        """
        key = (param_id, purpose)
        scratch = self._scratch_space.get(key)
        if (
            scratch is None
            or scratch.shape != like.shape
            or scratch.dtype != like.dtype
        ):
            scratch = np.empty_like(like)
            self._scratch_space[key] = scratch
        return scratch

    @abstractmethod
    def _update(self, param_id, parameters, gradients) -> None:
        """Apply the update rule in place (inputs already checked and clipped)."""

    def __repr__(self) -> str:
        shown = {
            key: value
            for key, value in self.get_config().items()
            if key not in ("clipnorm", "clipvalue") or value is not None
        }
        arguments = ", ".join(f"{key}={value!r}" for key, value in shown.items())
        return f"{type(self).__name__}({arguments})"


def _check_weight_decay(weight_decay, where: str) -> float:
    return check_real(weight_decay, "weight_decay", where, low=0.0)


def _check_unit_interval(value, name: str, where: str) -> float:
    """A decay rate or momentum factor in [0, 1)."""
    return check_real(value, name, where, low=0.0, high=1.0, high_open=True)


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
    weight_decay : float, default=0.0
        L2 penalty factor (>= 0), added to the gradient as in
        ``torch.optim.SGD``.
    clipnorm, clipvalue : float, optional
        Gradient clipping, see :class:`BaseOptimizer`.

    Notes
    -----
    For each parameter ``w`` with gradient ``g`` and velocity ``v`` (zero at
    the start)::

        g = g + weight_decay * w
        v = momentum * v + g
        w = w - lr * v                       (classical)
        w = w - lr * (g + momentum * v)      (Nesterov)

    the same convention as ``torch.optim.SGD``. With ``momentum=0`` both are
    plain gradient descent, ``w = w - lr * g``. The weight-decay term is the
    gradient of the penalty ``weight_decay / 2 * ||w||**2``; it is not part
    of the loss that ``fit`` reports.

    Parameters of 2**16 numbers and more (``nnfs._blas.MIN_SIZE``) are
    updated by BLAS (``axpby`` and ``axpy``, one pass over the arrays each)
    where NumPy's own OpenBLAS is found, and by NumPy ufuncs otherwise; the
    two agree up to rounding.

    Examples
    --------
    >>> import numpy as np
    >>> w, g = np.array([1.0]), np.array([0.5])
    >>> SGD(lr=0.1).update("dense_0.W", w, g)
    >>> w  # 1 - 0.1 * 0.5
    array([0.95])
    """

    def __init__(
        self,
        lr: float = 0.01,
        momentum: float = 0.0,
        nesterov: bool = False,
        *,
        weight_decay: float = 0.0,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
    ) -> None:
        super().__init__(clipnorm=clipnorm, clipvalue=clipvalue)
        self.lr = check_real(lr, "lr", "SGD", low=0.0, low_open=True)
        self.momentum = _check_unit_interval(momentum, "momentum", "SGD")
        if not isinstance(nesterov, bool):
            raise TypeError(f"SGD: nesterov must be a bool; got {nesterov!r}")
        if nesterov and self.momentum == 0:
            raise ValueError("SGD: nesterov=True needs momentum > 0; got momentum=0")
        self.nesterov = nesterov
        self.weight_decay = _check_weight_decay(weight_decay, "SGD")

    def _state_names(self):
        return ("velocity",) if self.momentum else ()

    def _update(self, param_id, parameters, gradients):
        # Each line is one BLAS pass over large contiguous arrays (see
        # nnfs._blas); the NumPy lines after it do the same in two passes.
        gradients = self._with_weight_decay(param_id, parameters, gradients)
        if self.momentum:
            velocity = self._state_for(param_id, parameters)["velocity"]
            # v = momentum * v + g
            if not _blas.axpby(1.0, gradients, self.momentum, velocity):
                velocity *= parameters.dtype.type(self.momentum)
                velocity += gradients
            if self.nesterov:
                # w -= lr * g + (lr * momentum) * v
                self._subtract_scaled(param_id, parameters, self.lr, gradients)
                scale = self.lr * self.momentum
                self._subtract_scaled(param_id, parameters, scale, velocity)
            else:
                # w -= lr * v
                self._subtract_scaled(param_id, parameters, self.lr, velocity)
        else:
            # w -= lr * g
            self._subtract_scaled(param_id, parameters, self.lr, gradients)

    def _subtract_scaled(self, param_id, parameters, scale: float, values) -> None:
        """``parameters -= scale * values``, in place."""
        if not _blas.axpy(-scale, values, parameters):
            step = self._scratch(param_id, parameters)
            np.multiply(values, parameters.dtype.type(scale), out=step)
            parameters -= step

    def get_config(self) -> dict:
        return {
            "lr": self.lr,
            "momentum": self.momentum,
            "nesterov": self.nesterov,
            "weight_decay": self.weight_decay,
            **super().get_config(),
        }

    def __repr__(self) -> str:
        extra = "".join(
            f", {key}={value!r}"
            for key, value in (
                ("weight_decay", self.weight_decay),
                ("clipnorm", self.clipnorm),
                ("clipvalue", self.clipvalue),
            )
            if value
        )
        return (
            f"SGD(lr={self.lr}, momentum={self.momentum}, "
            f"nesterov={self.nesterov}{extra})"
        )


class Adam(BaseOptimizer):
    """Adam: adaptive moment estimation (Kingma & Ba, 2015).

    Parameters
    ----------
    lr : float, default=0.001
        Learning rate (the paper's step size alpha), > 0.
    beta1, beta2 : float, default=0.9, 0.999
        Decay rates of the first and second moment estimates, in [0, 1).
    eps : float, default=1e-8
        Added to the denominator, > 0 (see Notes for where).
    weight_decay : float, default=0.0
        L2 penalty factor (>= 0) added to the gradient, as in
        ``torch.optim.Adam``; for decoupled weight decay use :class:`AdamW`.
    clipnorm, clipvalue : float, optional
        Gradient clipping, see :class:`BaseOptimizer`.

    Notes
    -----
    Algorithm 1 of the paper, for each parameter ``w`` with gradient ``g``;
    ``m`` and ``v`` start at zero and ``t`` counts this parameter's steps::

        g = g + weight_decay * w
        t = t + 1
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        m_hat = m / (1 - beta1**t)
        v_hat = v / (1 - beta2**t)
        w = w - lr * m_hat / (sqrt(v_hat) + eps)

    Epsilon is added to the bias-corrected ``sqrt(v_hat)``, as in the paper
    and in PyTorch (which evaluates the same expression as
    ``(lr / (1 - beta1**t)) * m / (sqrt(v) / sqrt(1 - beta2**t) + eps)``,
    the order used here). Keras adds its epsilon (default 1e-7) to
    ``sqrt(v)`` before the bias correction instead, so its first steps
    differ slightly. The state of a parameter is ``"step"`` (``t``, a 0-d
    int64 array), ``"m"`` and ``"v"``.

    References
    ----------
    .. [1] D. P. Kingma and J. Ba, "Adam: A Method for Stochastic
       Optimization", ICLR 2015, arXiv:1412.6980.

    Examples
    --------
    >>> import numpy as np
    >>> w, g = np.array([1.0, 1.0]), np.array([0.5, -2.0])
    >>> Adam(lr=0.1).update("dense_0.W", w, g)
    >>> w.round(6)  # the first step is about lr * sign(g)
    array([0.9, 1.1])
    """

    def __init__(
        self,
        lr: float = 0.001,
        beta1: float = 0.9,
        beta2: float = 0.999,
        eps: float = 1e-8,
        *,
        weight_decay: float = 0.0,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
    ) -> None:
        super().__init__(clipnorm=clipnorm, clipvalue=clipvalue)
        where = type(self).__name__
        self.lr = check_real(lr, "lr", where, low=0.0, low_open=True)
        self.beta1 = _check_unit_interval(beta1, "beta1", where)
        self.beta2 = _check_unit_interval(beta2, "beta2", where)
        self.eps = check_real(eps, "eps", where, low=0.0, low_open=True)
        self.weight_decay = _check_weight_decay(weight_decay, where)

    def _state_names(self):
        return ("step", "m", "v")

    def _update(self, param_id, parameters, gradients):
        gradients = self._with_weight_decay(param_id, parameters, gradients)
        self._adam_step(param_id, parameters, gradients)

    def _adam_step(self, param_id, parameters, gradients):
        """The moment updates and the parameter step of Algorithm 1."""
        state = self._state_for(param_id, parameters)
        state["step"] += 1
        t = int(state["step"])
        m, v = state["m"], state["v"]
        work = self._scratch(param_id, parameters)

        # m = beta1 m + (1 - beta1) g;  v = beta2 v + (1 - beta2) g^2
        m *= self.beta1
        np.multiply(gradients, 1.0 - self.beta1, out=work)
        m += work
        v *= self.beta2
        np.square(gradients, out=work)
        work *= 1.0 - self.beta2
        v += work

        # w -= (lr / bias1) * m / (sqrt(v) / sqrt(bias2) + eps)
        bias1 = 1.0 - self.beta1**t
        bias2 = 1.0 - self.beta2**t
        np.sqrt(v, out=work)
        work /= math.sqrt(bias2)
        work += self.eps
        np.divide(m, work, out=work)
        work *= self.lr / bias1
        parameters -= work

    def get_config(self) -> dict:
        return {
            "lr": self.lr,
            "beta1": self.beta1,
            "beta2": self.beta2,
            "eps": self.eps,
            "weight_decay": self.weight_decay,
            **super().get_config(),
        }


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter, 2019).

    Parameters
    ----------
    lr : float, default=0.001
        Learning rate, > 0.
    beta1, beta2 : float, default=0.9, 0.999
        Decay rates of the moment estimates, in [0, 1).
    eps : float, default=1e-8
        Added to ``sqrt(v_hat)``, > 0, as in :class:`Adam`.
    weight_decay : float, default=0.01
        Decoupled decay factor (>= 0); PyTorch's default.
    clipnorm, clipvalue : float, optional
        Gradient clipping, see :class:`BaseOptimizer`.

    Notes
    -----
    The decay shrinks the weights directly instead of entering the gradient,
    so it is not rescaled by Adam's ``1 / sqrt(v_hat)``. For each parameter
    ``w`` with gradient ``g`` (computed at the current ``w``)::

        w = w - lr * weight_decay * w
        then the Adam step of :class:`Adam` with this g (no L2 term)

    This is ``torch.optim.AdamW``: the decay is multiplied by ``lr``, so a
    learning-rate schedule scales it too. Algorithm 2 of the paper writes
    ``w = w - eta_t * (alpha * m_hat / (sqrt(v_hat) + eps) + lambda * w)``
    with a separate schedule multiplier ``eta_t``; PyTorch's ``lr *
    weight_decay`` plays the role of ``eta_t * lambda``. Keras's AdamW
    multiplies by ``lr`` as well (its default weight_decay is 0.004).

    References
    ----------
    .. [1] I. Loshchilov and F. Hutter, "Decoupled Weight Decay
       Regularization", ICLR 2019, arXiv:1711.05101.

    Examples
    --------
    >>> import numpy as np
    >>> w, g = np.array([2.0]), np.array([0.0])
    >>> AdamW(lr=0.1, weight_decay=0.5).update("dense_0.W", w, g)
    >>> w  # 2 - 0.1 * 0.5 * 2; a zero gradient makes no Adam step
    array([1.9])
    """

    def __init__(
        self,
        lr: float = 0.001,
        beta1: float = 0.9,
        beta2: float = 0.999,
        eps: float = 1e-8,
        *,
        weight_decay: float = 0.01,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
    ) -> None:
        super().__init__(
            lr,
            beta1,
            beta2,
            eps,
            weight_decay=weight_decay,
            clipnorm=clipnorm,
            clipvalue=clipvalue,
        )

    def _update(self, param_id, parameters, gradients):
        if self.weight_decay:
            parameters *= 1.0 - self.lr * self.weight_decay
        self._adam_step(param_id, parameters, gradients)


class RMSprop(BaseOptimizer):
    """RMSprop: divide the gradient by a running RMS of its recent values.

    Proposed by Tieleman & Hinton (2012, lecture 6.5); ``centered`` is the
    variant of Graves (2013, arXiv:1308.0850), as in PyTorch.

    Parameters
    ----------
    lr : float, default=0.01
        Learning rate, > 0 (PyTorch's default; Keras uses 0.001).
    alpha : float, default=0.99
        Decay rate of the running average of squared gradients, in [0, 1)
        (Keras calls it ``rho`` and defaults to 0.9).
    eps : float, default=1e-8
        Added to the root mean square, > 0.
    weight_decay : float, default=0.0
        L2 penalty factor (>= 0) added to the gradient.
    momentum : float, default=0.0
        Momentum factor in [0, 1) applied to the scaled gradient.
    centered : bool, default=False
        Divide by an estimate of the gradient's standard deviation instead of
        its root mean square.
    clipnorm, clipvalue : float, optional
        Gradient clipping, see :class:`BaseOptimizer`.

    Notes
    -----
    For each parameter ``w`` with gradient ``g``; the averages start at
    zero::

        g = g + weight_decay * w
        square_avg = alpha * square_avg + (1 - alpha) * g**2
        centered:      grad_avg = alpha * grad_avg + (1 - alpha) * g
                       denom = sqrt(square_avg - grad_avg**2) + eps
        not centered:  denom = sqrt(square_avg) + eps
        momentum > 0:  velocity = momentum * velocity + g / denom
                       w = w - lr * velocity
        momentum = 0:  w = w - lr * g / denom

    Epsilon is added outside the square root, as in PyTorch and Keras. In
    the centered variant the variance estimate is clamped at 0 before the
    square root, so rounding cannot make it NaN. The state of a parameter is
    ``"square_avg"``, plus ``"grad_avg"`` (centered) and ``"velocity"``
    (momentum).

    References
    ----------
    .. [1] T. Tieleman and G. Hinton, "Lecture 6.5 - RMSprop: Divide the
       gradient by a running average of its recent magnitude", COURSERA:
       Neural Networks for Machine Learning, 2012.

    Examples
    --------
    >>> import numpy as np
    >>> w, g = np.array([1.0]), np.array([2.0])
    >>> RMSprop(lr=0.01, alpha=0.75, eps=1.0).update("dense_0.W", w, g)
    >>> w  # square_avg = 0.25 * 4 = 1;  1 - 0.01 * 2 / (1 + 1)
    array([0.99])
    """

    def __init__(
        self,
        lr: float = 0.01,
        alpha: float = 0.99,
        eps: float = 1e-8,
        *,
        weight_decay: float = 0.0,
        momentum: float = 0.0,
        centered: bool = False,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
    ) -> None:
        super().__init__(clipnorm=clipnorm, clipvalue=clipvalue)
        where = "RMSprop"
        self.lr = check_real(lr, "lr", where, low=0.0, low_open=True)
        self.alpha = _check_unit_interval(alpha, "alpha", where)
        self.eps = check_real(eps, "eps", where, low=0.0, low_open=True)
        self.weight_decay = _check_weight_decay(weight_decay, where)
        self.momentum = _check_unit_interval(momentum, "momentum", where)
        self.centered = check_bool(centered, "centered", where)

    def _state_names(self):
        names = ("square_avg",)
        if self.centered:
            names += ("grad_avg",)
        if self.momentum:
            names += ("velocity",)
        return names

    def _update(self, param_id, parameters, gradients):
        gradients = self._with_weight_decay(param_id, parameters, gradients)
        state = self._state_for(param_id, parameters)
        square_avg = state["square_avg"]
        denom = self._scratch(param_id, parameters)

        # square_avg = alpha square_avg + (1 - alpha) g^2
        square_avg *= self.alpha
        np.square(gradients, out=denom)
        denom *= 1.0 - self.alpha
        square_avg += denom

        if self.centered:
            # grad_avg = alpha grad_avg + (1 - alpha) g;
            # denom = sqrt(max(square_avg - grad_avg^2, 0)) + eps
            grad_avg = state["grad_avg"]
            grad_avg *= self.alpha
            np.multiply(gradients, 1.0 - self.alpha, out=denom)
            grad_avg += denom
            np.square(grad_avg, out=denom)
            np.subtract(square_avg, denom, out=denom)
            np.maximum(denom, 0.0, out=denom)
            np.sqrt(denom, out=denom)
        else:
            np.sqrt(square_avg, out=denom)
        denom += self.eps

        if self.momentum:
            # velocity = momentum velocity + g / denom;  w -= lr velocity
            velocity = state["velocity"]
            velocity *= self.momentum
            np.divide(gradients, denom, out=denom)
            velocity += denom
            np.multiply(velocity, self.lr, out=denom)
        else:
            # w -= lr g / denom
            np.divide(gradients, denom, out=denom)
            denom *= self.lr
        parameters -= denom

    def get_config(self) -> dict:
        return {
            "lr": self.lr,
            "alpha": self.alpha,
            "eps": self.eps,
            "weight_decay": self.weight_decay,
            "momentum": self.momentum,
            "centered": self.centered,
            **super().get_config(),
        }


class Adagrad(BaseOptimizer):
    """Adagrad: per-entry learning rates from the sum of squared gradients.

    Duchi, Hazan & Singer (2011), in the diagonal form used in practice.

    Parameters
    ----------
    lr : float, default=0.01
        Learning rate, > 0 (PyTorch's default; Keras uses 0.001).
    eps : float, default=1e-10
        Added to the square root of the sum, > 0 (PyTorch's default; Keras
        uses 1e-7).
    weight_decay : float, default=0.0
        L2 penalty factor (>= 0) added to the gradient.
    initial_accumulator_value : float, default=0.0
        Starting value of the sum of squares, >= 0 (Keras uses 0.1).
    clipnorm, clipvalue : float, optional
        Gradient clipping, see :class:`BaseOptimizer`.

    Notes
    -----
    For each parameter ``w`` with gradient ``g``; ``sum_sq`` starts at
    ``initial_accumulator_value``::

        g = g + weight_decay * w
        sum_sq = sum_sq + g**2
        w = w - lr * g / (sqrt(sum_sq) + eps)

    Epsilon is added outside the square root, as in PyTorch and Keras.
    PyTorch's ``lr_decay`` is not offered: a schedule from
    :mod:`nnfs.schedules` does the same job for every optimizer. The state
    of a parameter is ``"sum_sq"``.

    References
    ----------
    .. [1] J. Duchi, E. Hazan and Y. Singer, "Adaptive Subgradient Methods
       for Online Learning and Stochastic Optimization", JMLR 12, 2011.

    Examples
    --------
    >>> import numpy as np
    >>> w, g = np.array([1.0]), np.array([3.0])
    >>> Adagrad(lr=0.5, initial_accumulator_value=16.0).update("dense_0.W", w, g)
    >>> w.round(12)  # sum_sq = 16 + 9 = 25;  1 - 0.5 * 3 / 5
    array([0.7])
    """

    def __init__(
        self,
        lr: float = 0.01,
        eps: float = 1e-10,
        *,
        weight_decay: float = 0.0,
        initial_accumulator_value: float = 0.0,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
    ) -> None:
        super().__init__(clipnorm=clipnorm, clipvalue=clipvalue)
        where = "Adagrad"
        self.lr = check_real(lr, "lr", where, low=0.0, low_open=True)
        self.eps = check_real(eps, "eps", where, low=0.0, low_open=True)
        self.weight_decay = _check_weight_decay(weight_decay, where)
        self.initial_accumulator_value = check_real(
            initial_accumulator_value, "initial_accumulator_value", where, low=0.0
        )

    def _state_names(self):
        return ("sum_sq",)

    def _init_state(self, parameters):
        return {
            "sum_sq": np.full_like(parameters, self.initial_accumulator_value),
        }

    def _update(self, param_id, parameters, gradients):
        gradients = self._with_weight_decay(param_id, parameters, gradients)
        sum_sq = self._state_for(param_id, parameters)["sum_sq"]
        work = self._scratch(param_id, parameters)

        # sum_sq += g^2;  w -= lr g / (sqrt(sum_sq) + eps)
        np.square(gradients, out=work)
        sum_sq += work
        np.sqrt(sum_sq, out=work)
        work += self.eps
        np.divide(gradients, work, out=work)
        work *= self.lr
        parameters -= work

    def get_config(self) -> dict:
        return {
            "lr": self.lr,
            "eps": self.eps,
            "weight_decay": self.weight_decay,
            "initial_accumulator_value": self.initial_accumulator_value,
            **super().get_config(),
        }
