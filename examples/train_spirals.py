"""Train a small MLP on three interleaved spirals and report its test accuracy.

The whole training loop written out with the library API (``make demo``
runs the ``nnfs train`` command instead): it needs nothing but nnfs and NumPy,
runs in a few seconds on a laptop CPU and ends with one line,
``test accuracy: NN.NN%``.
"""

from nnfs.activations import ReLU, Softmax
from nnfs.datasets import generate_spirals
from nnfs.layers import Dense
from nnfs.losses import CCE
from nnfs.model import Sequential
from nnfs.optimizers import SGD
from nnfs.utils import shuffle


def main() -> float:
    X, y = generate_spirals(1500, n_classes=3, noise=0.2, seed=0)
    X, y = shuffle([X, y], seed=1)
    n_train = 1200
    X_train, y_train = X[:n_train], y[:n_train]
    X_test, y_test = X[n_train:], y[n_train:]

    model = Sequential(
        [
            Dense(2, 64, seed=2),
            ReLU(),
            Dense(64, 64, seed=3),
            ReLU(),
            Dense(64, 3, seed=4),
            Softmax(),
        ],
        loss=CCE(),
        optimizer=SGD(lr=0.1, momentum=0.9),
    )
    model.summary()
    model.fit(
        X_train,
        y_train,
        N_epochs=300,
        batch_size=32,
        X_test_inputs=X_test,
        y_test_outputs=y_test,
        seed=5,
        metrics=("accuracy",),
        debug_flag=False,
    )
    scores = model.evaluate(X_test, y_test, metrics=("accuracy",))
    print(f"test loss: {scores['loss']:.4f}")
    print(f"test accuracy: {100 * scores['accuracy']:.2f}%")
    return scores["accuracy"]


if __name__ == "__main__":
    main()
