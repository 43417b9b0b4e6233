"""An MLP on the embedded 8x8 digits with Adam, Dropout and early stopping.

Validation samples are set aside before the training images are augmented
with one-pixel shifts (nnfs.datasets.shifted_copies), so no shifted copy of a
validation image is trained on; early stopping watches the validation loss
and puts back the best weights. Prints the test accuracy at the end.
"""

import numpy as np

from nnfs.activations import ReLU, Softmax
from nnfs.callbacks import EarlyStopping
from nnfs.datasets import load_digits, shifted_copies
from nnfs.layers import Dense, Dropout
from nnfs.losses import CCE
from nnfs.model import Sequential
from nnfs.optimizers import Adam


def main(seed: int = 1, augment: bool = True, epochs: int = 100) -> float:
    X_train, X_test, y_train, y_test = load_digits(test_size=0.2, seed=0)
    X_train, X_val, y_train, y_val = _split(X_train, y_train, 0.1, seed)
    if augment:
        X_train, y_train = shifted_copies(X_train, y_train, (8, 8))

    # Standardise with training statistics; a floor on the scale keeps
    # nearly blank border pixels from being blown up.
    mean = X_train.mean(axis=0)
    std = np.maximum(X_train.std(axis=0), 0.25 * X_train.std(axis=0).max())

    def scale(X):
        return (X - mean) / std

    model = Sequential(
        [
            Dense(64, 256, seed=seed),
            ReLU(),
            Dropout(0.2, seed=seed),
            Dense(256, 10, seed=seed + 1),
            Softmax(),
        ],
        CCE(),
        Adam(lr=1e-3),
    )
    stopper = EarlyStopping(monitor="val_loss", patience=8, restore_best_weights=True)
    model.fit(
        scale(X_train),
        y_train,
        epochs,
        batch_size=64,
        seed=seed,
        validation_data=(scale(X_val), y_val),
        callbacks=[stopper],
        debug_flag=False,
    )
    accuracy = model.evaluate(scale(X_test), y_test, metrics=("accuracy",))["accuracy"]
    print(f"best epoch: {stopper.best_epoch + 1}")
    print(f"test accuracy: {100 * accuracy:.2f}%")
    return accuracy


def _split(X, y, fraction, seed):
    """A seeded random split of ``fraction`` of the rows."""
    order = np.random.default_rng(seed).permutation(len(X))
    n_held = int(round(fraction * len(X)))
    held, kept = order[:n_held], order[n_held:]
    return X[kept], X[held], y[kept], y[held]


if __name__ == "__main__":
    main()
