"""Warning categories raised by nnfs.

Errors use the built-in types (``ValueError`` for bad values or shapes,
``TypeError`` for the wrong kind of object, ``RuntimeError`` for calls in the
wrong order, ``FloatingPointError`` for a training run that left the finite
numbers). Warnings use the categories below so that a caller can filter them.
"""

__all__ = ["NNFSWarning", "SetupWarning"]


class NNFSWarning(UserWarning):
    """Base category of every warning nnfs issues (filter it to silence them)."""


class SetupWarning(NNFSWarning):
    """A suspicious combination found before training starts (a Softmax
    trained with MSE, labels given to a loss that wants one-hot rows, inputs
    far from unit scale, an extreme learning rate)."""
