"""scikit-learn estimators backed by nnfs networks.

:class:`NNClassifier` and :class:`NNRegressor` wrap a multilayer perceptron
built from nnfs layers (:class:`~nnfs.layers.Dense` and an activation per
hidden layer) in scikit-learn's estimator API, so an nnfs network drops into
a ``Pipeline``, ``cross_val_score`` or ``GridSearchCV`` without glue code.

This module needs scikit-learn (>= 1.6): ``pip install "nnfs-numpy[sklearn]"``.
``import nnfs`` never imports it, nor this module.

Notes
-----
Both estimators pass ``sklearn.utils.estimator_checks.check_estimator`` except
for one check that a network trained by mini-batch gradient descent cannot
meet; :data:`EXPECTED_FAILED_CHECKS` names it with the reason, in the form
``check_estimator(..., expected_failed_checks=...)`` takes.

Examples
--------
>>> from nnfs.sklearn import EXPECTED_FAILED_CHECKS
>>> sorted(EXPECTED_FAILED_CHECKS)
['check_sample_weight_equivalence_on_dense_data']

Run the checks with ``check_estimator(NNClassifier(random_state=0),
expected_failed_checks=EXPECTED_FAILED_CHECKS)`` (a few seconds).
"""

import warnings

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from nnfs import activations, optimizers
from nnfs._validation import (
    check_bool,
    check_dtype,
    check_int,
    check_real,
    check_sample_weight,
)
from nnfs.callbacks import EarlyStopping
from nnfs.exceptions import NNFSWarning
from nnfs.layers import Dense
from nnfs.losses import BCE, CCE, MSE
from nnfs.model import Sequential

__all__ = ["EXPECTED_FAILED_CHECKS", "NNClassifier", "NNRegressor"]

EXPECTED_FAILED_CHECKS = {
    "check_sample_weight_equivalence_on_dense_data": (
        "training is mini-batch gradient descent over shuffled batches: a "
        "sample of weight k is one row in one batch, k repeated rows change "
        "the number and the content of the batches, so the two fits follow "
        "different paths and end at different weights (scikit-learn's own "
        "MLPClassifier is listed for the same check)"
    ),
}
"""The scikit-learn estimator checks these estimators fail by design.

A dict from check name to the reason; pass it to ``check_estimator`` or
``parametrize_with_checks`` as ``expected_failed_checks``.

Examples
--------
>>> from nnfs.sklearn import EXPECTED_FAILED_CHECKS
>>> list(EXPECTED_FAILED_CHECKS)
['check_sample_weight_equivalence_on_dense_data']
"""

# scikit-learn's names for the activations of its MLP, next to nnfs's own.
_ACTIVATION_ALIASES = {"identity": "linear", "logistic": "sigmoid"}

# Samples per batch when batch_size is -1: the whole training set.
_WHOLE_SET = -1


def _activation_classes() -> dict[str, type]:
    """Every nnfs activation by its layer name ("relu", "leaky_relu", ...)."""
    classes = {}
    for name in activations.__all__:
        cls = getattr(activations, name)
        if cls is not activations.BaseActivation:
            classes[cls.layer_name] = cls
    return classes


def _optimizer_classes() -> dict[str, type]:
    """Every optimizer of :mod:`nnfs.optimizers` by its lower-case class name."""
    classes = {}
    for name in optimizers.__all__:
        cls = getattr(optimizers, name)
        if cls is not optimizers.BaseOptimizer:
            classes[name.lower()] = cls
    return classes


def _lookup(name, argument, table, where, *, aliases=None, also="") -> type:
    """The class that ``table`` (or ``aliases``) gives for ``name``, any case."""
    aliases = aliases or {}
    known = sorted([*table, *aliases])
    if not isinstance(name, str):
        raise TypeError(
            f"{where}: {argument} must be a str naming one of {known}{also}; "
            f"got {name!r} of type {type(name).__name__}"
        )
    key = aliases.get(name.lower(), name.lower())
    if key not in table:
        raise ValueError(
            f"{where}: unknown {argument} {name!r}; expected one of {known}{also}"
        )
    return table[key]


class _BaseNN(BaseEstimator):
    """What NNClassifier and NNRegressor share: settings, fitting, prediction.

    Subclasses define ``_targets(y, where, classes, first_call)``, which
    checks ``y`` and returns the training targets, the output layer (width,
    activation class or None, loss) and the fitted attributes that describe
    ``y`` (set only on a first call, once every check passed); and
    ``_y_validation``, the keywords that ``validate_data`` needs for ``y``.
    """

    _y_validation: dict = {}

    def __init__(
        self,
        hidden_layer_sizes=(64,),
        activation="relu",
        *,
        optimizer="adam",
        learning_rate=0.001,
        l2=0.0,
        epochs=200,
        batch_size=200,
        early_stopping=False,
        validation_fraction=0.1,
        patience=10,
        random_state=None,
        dtype="float64",
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.l2 = l2
        self.epochs = epochs
        self.batch_size = batch_size
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.random_state = random_state
        self.dtype = dtype

    # ------------------------------------------------------------------
    # Settings, checked at fit time (scikit-learn's convention: __init__
    # and set_params store, fit validates)

    def _where(self, method: str) -> str:
        return f"{type(self).__name__}.{method}"

    def _check_settings(self, where: str) -> dict:
        """The constructor arguments, checked; raises naming the bad one."""
        sizes = self.hidden_layer_sizes
        if isinstance(sizes, int | np.integer) and not isinstance(sizes, bool):
            sizes = (sizes,)
        if isinstance(sizes, str) or not hasattr(sizes, "__iter__"):
            raise TypeError(
                f"{where}: hidden_layer_sizes must be a sequence of positive "
                f"integers, one per hidden layer; got {sizes!r}"
            )
        sizes = tuple(
            check_int(size, f"hidden_layer_sizes[{position}]", where)
            for position, size in enumerate(sizes)
        )

        activation = _lookup(
            self.activation,
            "activation",
            _activation_classes(),
            where,
            aliases=_ACTIVATION_ALIASES,
        )
        optimizer = self.optimizer
        if not isinstance(optimizer, optimizers.BaseOptimizer):
            optimizer = _lookup(
                optimizer,
                "optimizer",
                _optimizer_classes(),
                where,
                also=" or an nnfs optimizer object",
            )
        batch_size = check_int(self.batch_size, "batch_size", where, minimum=None)
        if batch_size != _WHOLE_SET and batch_size < 1:
            raise ValueError(
                f"{where}: batch_size must be >= 1, or -1 for the whole set; "
                f"got {batch_size}"
            )
        return {
            "sizes": sizes,
            "activation": activation,
            "optimizer": optimizer,
            "learning_rate": check_real(
                self.learning_rate, "learning_rate", where, low=0.0, low_open=True
            ),
            "l2": check_real(self.l2, "l2", where, low=0.0),
            "epochs": check_int(self.epochs, "epochs", where),
            "batch_size": batch_size,
            "early_stopping": check_bool(self.early_stopping, "early_stopping", where),
            "validation_fraction": check_real(
                self.validation_fraction,
                "validation_fraction",
                where,
                low=0.0,
                high=1.0,
                low_open=True,
                high_open=True,
            ),
            "patience": check_int(self.patience, "patience", where, minimum=0),
            "dtype": check_dtype(self.dtype, where),
            # An int gives a fresh RandomState: the same draws on every fit.
            "random_state": check_random_state(self.random_state),
        }

    def _new_optimizer(self, settings: dict) -> optimizers.BaseOptimizer:
        """A fresh optimizer: from its name, or a copy of the given object's
        settings (never its state), with ``lr=learning_rate`` either way."""
        template = settings["optimizer"]
        if isinstance(template, type):
            return template(lr=settings["learning_rate"])
        config = {**template.get_config(), "lr": settings["learning_rate"]}
        return type(template)(**config)

    def _build(self, settings, n_outputs, head, loss, rng) -> Sequential:
        """Dense + activation per hidden layer, then Dense(n_outputs) + head."""
        widths = (self.n_features_in_, *settings["sizes"], n_outputs)
        seeds = rng.randint(np.iinfo(np.int32).max, size=len(widths) - 1)
        layers = []
        for position, seed in enumerate(seeds):
            layers.append(
                Dense(
                    widths[position],
                    widths[position + 1],
                    seed=int(seed),
                    dtype=settings["dtype"],
                    l2=settings["l2"],
                )
            )
            if position + 2 < len(widths):
                layers.append(settings["activation"]())
        if head is not None:
            layers.append(head())
        return Sequential(layers, loss, self._new_optimizer(settings))

    # ------------------------------------------------------------------
    # Training

    def _fit(self, X, y, sample_weight, *, method: str, classes=None):
        """``fit`` (all epochs, fresh network) or one ``partial_fit`` epoch."""
        where = self._where(method)
        first_call = method == "fit" or not hasattr(self, "model_")
        if first_call:
            settings = self._check_settings(where)
            dtype = settings["dtype"]
        else:
            dtype = self.model_.dtype
        X, y = validate_data(
            self, X, y, reset=first_call, dtype=dtype, **self._y_validation
        )
        weights = None
        if sample_weight is not None:
            weights = check_sample_weight(sample_weight, X.shape[0], dtype, where)
            if not weights.any():
                raise ValueError(
                    f"{where}: sample_weight must hold at least one non-zero "
                    "weight; got all weights zero"
                )
        targets, (n_outputs, head, loss), described = self._targets(
            y, where, classes, first_call
        )

        if first_call:
            for name, value in described.items():
                setattr(self, name, value)
            self._random_state = settings["random_state"]
            self._settings = settings
            self.model_ = self._build(
                settings, n_outputs, head, loss, self._random_state
            )
            self.n_iter_ = 0
            self.loss_curve_ = np.empty(0)
        settings = self._settings
        epochs = settings["epochs"] if method == "fit" else 1
        early_stopping = method == "fit" and settings["early_stopping"]
        callbacks, split = [], 0.0
        if early_stopping:
            callbacks.append(
                EarlyStopping(
                    "val_loss",
                    patience=settings["patience"],
                    restore_best_weights=True,
                )
            )
            split = settings["validation_fraction"]
        batch_size = settings["batch_size"]
        if batch_size != _WHOLE_SET and batch_size >= X.shape[0]:
            batch_size = _WHOLE_SET
        shuffle_seed = int(self._random_state.randint(np.iinfo(np.int32).max))

        with warnings.catch_warnings():
            # With early stopping the training part is smaller than X, and
            # batch_size may exceed it; Sequential.fit then uses the whole
            # part, which is what the Notes promise, so its warning is noise.
            warnings.filterwarnings(
                "ignore",
                message=r".*batch_size=\d+ is larger than",
                category=NNFSWarning,
            )
            history = self.model_.fit(
                X,
                targets,
                epochs,
                batch_size=batch_size,
                debug_flag=False,
                seed=shuffle_seed,
                callbacks=callbacks,
                validation_split=split,
                sample_weight=weights,
                progress=False,
                check_setup=False,
            )
        n_run = int(np.count_nonzero(~np.isnan(history["loss"][:, 0])))
        self.history_ = {key: values[:n_run] for key, values in history.items()}
        self.loss_curve_ = np.concatenate(
            [self.loss_curve_, self.history_["loss"].mean(axis=1)]
        )
        self.n_iter_ += n_run
        return self

    # ------------------------------------------------------------------
    # Prediction

    def _outputs(self, X) -> np.ndarray:
        """The network's output for X, in float64."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=self.model_.dtype)
        return self.model_.predict(X).astype(np.float64)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # Dense layers take dense, finite, numeric arrays; NaN and sparse
        # matrices are refused by validate_data (these are the defaults,
        # stated here because they are what the network needs).
        tags.input_tags.allow_nan = False
        tags.input_tags.sparse = False
        # With an int random_state, every fit draws the same weights and
        # batches: the results are repeatable.
        tags.non_deterministic = False
        return tags


_SETTINGS_DOC = """
    hidden_layer_sizes : sequence of int, default=(64,)
        Width of each hidden layer; ``()`` gives a network without hidden
        layers. A single int means one hidden layer.
    activation : str, default="relu"
        Activation after each hidden layer: the ``layer_name`` of any nnfs
        activation ("relu", "leaky_relu", "elu", "gelu", "tanh", "sigmoid",
        "softplus", "linear", "softmax"), or scikit-learn's "identity" and
        "logistic".
    optimizer : str or BaseOptimizer, default="adam"
        The name of any optimizer in :mod:`nnfs.optimizers`, case-insensitive
        ("adam", "adamw", "sgd", "rmsprop", "adagrad"), built with its default
        settings; or an optimizer object, whose settings (momentum, weight
        decay, clipping, ...) are copied into a fresh optimizer at each
        ``fit``. An unknown name raises a ValueError listing the known ones.
    learning_rate : float, default=0.001
        Learning rate given to the optimizer (> 0); it overrides the ``lr``
        of an optimizer object.
    l2 : float, default=0.0
        L2 penalty on the weights of every Dense layer (>= 0), added to the
        loss as ``l2 * sum(W**2)`` per layer (:class:`~nnfs.layers.Dense`'s
        ``l2``; biases are not penalised). Unlike ``alpha`` of scikit-learn's
        MLP, it is not divided by the number of samples.
    epochs : int, default=200
        Passes over the training data in ``fit`` (fewer with early stopping).
    batch_size : int, default=200
        Samples per gradient step; -1, or any value of at least the number of
        training samples, means the whole set in one batch (so the default is
        scikit-learn's "auto", ``min(200, n_samples)``).
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the training data and stop when
        its loss has not improved for ``patience`` epochs; the weights of the
        best epoch are kept (:class:`nnfs.callbacks.EarlyStopping`).
    validation_fraction : float, default=0.1
        Share of the samples held out with ``early_stopping``, in (0, 1):
        the ``validation_split`` of :meth:`nnfs.model.Sequential.fit`,
        stratified by class for the classifier. Too few samples to hold any
        out raise a ValueError.
    patience : int, default=10
        Epochs without improvement of the validation loss before stopping.
    random_state : int, RandomState instance or None, default=None
        Source of the weight initialisation and of the batch order. It is
        scikit-learn's name for nnfs's ``seed``: an int gives the same network
        on every fit; None draws from NumPy's global random state (so
        ``np.random.seed(n)`` makes a script repeatable).
    dtype : {"float64", "float32"}, default="float64"
        Compute dtype of the network; predictions are returned in float64
        either way. float32 trains faster on large networks, but its rounding
        then makes a sample's prediction depend on the other rows of the
        batch (differences of about 1e-7 relative), which scikit-learn's
        conventions do not allow; hence float64, not nnfs's usual float32,
        is the default here."""

_SETTINGS_NOTES = """
    The network is ``Dense -> activation`` per hidden layer and a last
    ``Dense`` layer, all built with seeds drawn from ``random_state``.
    ``fit`` always starts from fresh weights; ``partial_fit`` trains one more
    epoch on the data it gets (building the network on its first call),
    ignores ``early_stopping`` and keeps the settings of the call that built
    the network; settings changed with ``set_params`` apply from the next
    ``fit``. ``fit`` and ``partial_fit`` accept
    ``sample_weight``, passed on to :meth:`nnfs.model.Sequential.fit`.

    Nothing is printed, and nnfs's set-up warnings
    (:class:`~nnfs.exceptions.SetupWarning`) are switched off: the estimator
    chooses the output layer and the loss itself, so the architecture checks
    of :func:`nnfs.doctor.check_setup` cannot fire, and scaling the inputs is
    the job of a ``StandardScaler`` in the pipeline, as for scikit-learn's own
    MLP. A ``batch_size`` larger than the training set is reduced to it
    without a warning. If training diverges (the loss becomes NaN or
    infinite), ``fit`` raises FloatingPointError; lower ``learning_rate``."""


class NNClassifier(ClassifierMixin, _BaseNN):
    """Multilayer-perceptron classifier trained by nnfs.

    Parameters
    ----------{settings}

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The class labels seen in ``fit`` (any sortable labels, strings
        included), in sorted order; ``predict`` returns them.
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names, when X was a DataFrame with string column names.
    model_ : Sequential
        The trained nnfs network. It ends in Softmax trained with CCE for
        three or more classes, in one Sigmoid unit trained with BCE for two.
    history_ : dict of str to ndarray
        The history of the last ``fit`` or ``partial_fit`` call (see
        :meth:`nnfs.model.Sequential.fit`), cut to the epochs that ran:
        ``"loss"`` of shape (n_epochs, n_batches), and ``"val_loss"`` with
        early stopping.
    loss_curve_ : ndarray of shape (n_iter_,)
        Mean training loss of each epoch since the last ``fit``.
    n_iter_ : int
        Epochs run since the last ``fit`` (``partial_fit`` adds one per call).

    See Also
    --------
    NNRegressor : the same network for regression.
    sklearn.neural_network.MLPClassifier : scikit-learn's own MLP.

    Notes
    -----{notes}

    Examples
    --------
    >>> import numpy as np
    >>> from nnfs.sklearn import NNClassifier
    >>> X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]] * 10)
    >>> y = np.array(["same", "differ", "differ", "same"] * 10)  # XOR
    >>> clf = NNClassifier(hidden_layer_sizes=(16,), learning_rate=0.05,
    ...                    epochs=100, random_state=0).fit(X, y)
    >>> clf.classes_
    array(['differ', 'same'], dtype='<U6')
    >>> clf.predict([[0.0, 1.0], [1.0, 1.0]])
    array(['differ', 'same'], dtype='<U6')
    >>> clf.predict_proba([[0.0, 1.0]]).shape
    (1, 2)
    >>> clf.score(X, y)
    1.0
    """

    def fit(self, X, y, sample_weight=None):
        """Build a fresh network and train it for ``epochs`` epochs.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
            Class labels; at least two classes.
        sample_weight : array-like of shape (n_samples,), optional
            Non-negative weight of each sample in the loss.

        Returns
        -------
        self : NNClassifier
            The fitted estimator.

        Raises
        ------
        ValueError, TypeError
            For bad settings or data, before any training.
        FloatingPointError
            If the training loss becomes NaN or infinite.
        """
        return self._fit(X, y, sample_weight, method="fit")

    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """Train one epoch on (X, y), building the network on the first call.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        classes : array-like of shape (n_classes,), optional
            Every class label that will ever appear; required on the first
            call (when the estimator is not fitted yet), checked if given
            later.
        sample_weight : array-like of shape (n_samples,), optional

        Returns
        -------
        self : NNClassifier
            The updated estimator.
        """
        if classes is None and not hasattr(self, "model_"):
            raise ValueError(
                f"{self._where('partial_fit')}: classes must be given on the first "
                "call, listing every class label that will ever appear"
            )
        if classes is not None:
            classes = np.unique(np.asarray(classes))
        return self._fit(X, y, sample_weight, method="partial_fit", classes=classes)

    def predict_proba(self, X):
        """Probability of each class, columns in the order of ``classes_``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples, n_classes)
            Rows sum to 1; float64.
        """
        outputs = self._outputs(X)
        if len(self.classes_) == 2:
            return np.hstack([1.0 - outputs, outputs])
        return outputs

    def predict(self, X):
        """The most probable class of each sample.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples,)
            Labels from ``classes_``.
        """
        probabilities = self.predict_proba(X)  # checks that the model is fitted
        return self.classes_[probabilities.argmax(axis=1)]

    def _targets(self, y, where, classes, first_call):
        check_classification_targets(y)
        if first_call:
            known = np.unique(y) if classes is None else classes
        else:
            known = self.classes_
            if classes is not None and not np.array_equal(classes, known):
                raise ValueError(
                    f"{where}: classes={classes.tolist()} differs from the "
                    f"classes the estimator was fitted with, {known.tolist()}"
                )
        if len(known) < 2:
            raise ValueError(
                f"{where}: y holds only one class, {known.tolist()[0]!r}; a "
                "classifier needs at least two classes"
            )
        unknown = np.setdiff1d(y, known)
        if unknown.size:
            raise ValueError(
                f"{where}: y holds labels {unknown.tolist()} that are not among "
                f"the classes {known.tolist()}"
            )
        # Labels become indices into the sorted classes: 0 .. n_classes - 1.
        labels = np.searchsorted(known, y)
        described = {"classes_": known}
        if len(known) == 2:
            return labels.reshape(-1, 1), (1, activations.Sigmoid, BCE()), described
        return labels, (len(known), activations.Softmax, CCE()), described

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # One label per sample; several at once (multilabel) are refused.
        tags.classifier_tags.multi_class = True
        tags.classifier_tags.multi_label = False
        return tags


class NNRegressor(RegressorMixin, _BaseNN):
    """Multilayer-perceptron regressor trained by nnfs, with any number of targets.

    Parameters
    ----------{settings}

    Attributes
    ----------
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names, when X was a DataFrame with string column names.
    n_outputs_ : int
        Number of targets.
    model_ : Sequential
        The trained nnfs network: its last Dense layer has ``n_outputs_``
        linear outputs, trained with MSE.
    history_ : dict of str to ndarray
        The history of the last ``fit`` or ``partial_fit`` call, cut to the
        epochs that ran (see :class:`NNClassifier`).
    loss_curve_ : ndarray of shape (n_iter_,)
        Mean training loss (MSE over every target) of each epoch since the
        last ``fit``.
    n_iter_ : int
        Epochs run since the last ``fit``.

    See Also
    --------
    NNClassifier : the same network for classification.
    sklearn.neural_network.MLPRegressor : scikit-learn's own MLP.

    Notes
    -----{notes}

    The loss is the mean squared error over every target, so targets on very
    different scales should be standardised first (for example with
    ``sklearn.compose.TransformedTargetRegressor``).

    Examples
    --------
    >>> import numpy as np
    >>> from nnfs.sklearn import NNRegressor
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(200, 2))
    >>> y = np.column_stack([X[:, 0] - 2 * X[:, 1], X[:, 0] * X[:, 1]])
    >>> reg = NNRegressor(hidden_layer_sizes=(32,), learning_rate=0.01,
    ...                   epochs=100, batch_size=20, random_state=0).fit(X, y)
    >>> reg.predict(X[:3]).shape, reg.n_outputs_
    ((3, 2), 2)
    >>> bool(reg.score(X, y) > 0.95)
    True
    """

    _y_validation = {"multi_output": True, "y_numeric": True}

    def fit(self, X, y, sample_weight=None):
        """Build a fresh network and train it for ``epochs`` epochs.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Numeric targets.
        sample_weight : array-like of shape (n_samples,), optional
            Non-negative weight of each sample in the loss.

        Returns
        -------
        self : NNRegressor
            The fitted estimator.

        Raises
        ------
        ValueError, TypeError
            For bad settings or data, before any training.
        FloatingPointError
            If the training loss becomes NaN or infinite.
        """
        return self._fit(X, y, sample_weight, method="fit")

    def partial_fit(self, X, y, sample_weight=None):
        """Train one epoch on (X, y), building the network on the first call.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Same number of targets on every call.
        sample_weight : array-like of shape (n_samples,), optional

        Returns
        -------
        self : NNRegressor
            The updated estimator.
        """
        return self._fit(X, y, sample_weight, method="partial_fit")

    def predict(self, X):
        """Predicted targets.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples,) or (n_samples, n_outputs)
            1-D when ``y`` was 1-D in ``fit``; float64.
        """
        outputs = self._outputs(X)
        return outputs.ravel() if self._y_1d else outputs

    def _targets(self, y, where, classes, first_call):
        targets = y.reshape(-1, 1) if y.ndim == 1 else y
        n_outputs = targets.shape[1]
        if not first_call and n_outputs != self.n_outputs_:
            raise ValueError(
                f"{where}: y has {n_outputs} targets but the estimator was "
                f"fitted with {self.n_outputs_}"
            )
        described = {"n_outputs_": n_outputs, "_y_1d": y.ndim == 1}
        return targets, (n_outputs, None, MSE()), described

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # y may be (n_samples,) or (n_samples, n_outputs): the last Dense
        # layer has one output per target.
        tags.target_tags.multi_output = True
        tags.target_tags.single_output = True
        return tags


for _cls in (NNClassifier, NNRegressor):
    _cls.__doc__ = _cls.__doc__.format(settings=_SETTINGS_DOC, notes=_SETTINGS_NOTES)
