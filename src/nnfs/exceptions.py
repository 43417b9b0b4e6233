"""Warning categories raised by nnfs.

Errors use the built-in types (``ValueError`` for bad values or shapes,
``TypeError`` for the wrong kind of object, ``RuntimeError`` for calls in the
wrong order, ``FloatingPointError`` for a training run that left the finite
numbers). Warnings use the categories below so that a caller can filter them.
One error type of its own, :class:`ModelFileError`, covers every failure to
load a model file.
"""

__all__ = ["ModelFileError", "NNFSWarning", "SetupWarning"]


class NNFSWarning(UserWarning):
    """Base category of every warning nnfs issues (filter it to silence them).

    Examples
    --------
    >>> import warnings
    >>> from nnfs.exceptions import NNFSWarning, SetupWarning
    >>> issubclass(SetupWarning, NNFSWarning)
    True
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", NNFSWarning)  # every nnfs warning
    ...     warnings.warn("quiet", SetupWarning)
    """


class SetupWarning(NNFSWarning):
    """A suspicious combination found before training starts.

    Issued by :func:`nnfs.doctor.check_setup`, which ``fit`` runs first: a
    Softmax trained with MSE, labels given to a loss that wants one-hot rows,
    inputs far from unit scale, an extreme learning rate.

    Examples
    --------
    >>> import warnings
    >>> import numpy as np
    >>> from nnfs.activations import Softmax
    >>> from nnfs.layers import Dense
    >>> from nnfs.losses import MSE
    >>> from nnfs.model import Sequential
    >>> from nnfs.optimizers import SGD
    >>> model = Sequential([Dense(2, 2, seed=0), Softmax()], MSE(), SGD())
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always", SetupWarning)
    ...     _ = model.fit(np.zeros((4, 2)), np.eye(2)[[0, 1, 0, 1]], 1,
    ...                   debug_flag=False)
    >>> caught[0].category.__name__
    'SetupWarning'
    """


class ModelFileError(ValueError):
    """A model file could not be loaded; raised by :func:`nnfs.load_model`.

    Every problem with the file raises this one type: it is missing or
    unreadable, it is not an nnfs model, its format version is not supported,
    it is damaged, or it was built to attack the reader. The original
    exception, if any, is chained as ``__cause__``.

    Parameters
    ----------
    path : str
        The file.
    reason : str
        What is wrong with it.

    Attributes
    ----------
    path, reason : str
        As given.

    Examples
    --------
    >>> from nnfs import ModelFileError, load_model
    >>> try:
    ...     load_model("no-such-model.nnfs")
    ... except ModelFileError as error:
    ...     print(error.reason)
    cannot read the file: No such file or directory
    """

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(path, reason)
        self.path = path
        self.reason = reason

    def __str__(self) -> str:
        return f"load_model: cannot load {self.path!r}: {self.reason}"
