"""Train a LeNet-style CNN on MNIST and report its test accuracy.

Needs the four MNIST files (see :func:`nnfs.datasets.load_mnist` for where it
looks); ``--download`` fetches them once (about 11 MB, checked against their
published SHA-256). The network is the one of ``benchmarks/bench_cnn.py``::

    (1, 28, 28) -> Conv2D 16@3x3 "same" -> ReLU -> MaxPool 2     (16, 14, 14)
                -> Conv2D 32@3x3 "same" -> ReLU -> MaxPool 2     (32, 7, 7)
                -> Flatten -> Dense 128 -> ReLU -> Dense 10 -> Softmax

Training uses 3 epochs of batch 64 and SGD with momentum by default. One
epoch over the 60,000 training images costs about six times the benchmark's
10,000-sample epoch. (The test suite runs this script only on a few random
images in MNIST's file format: the accuracy it prints on the real data has not
been measured here.) Usage::

    python examples/lenet_mnist.py --download
    python examples/lenet_mnist.py --epochs 5 --data-dir ~/data
"""

import argparse

from nnfs.activations import ReLU, Softmax
from nnfs.conv import Conv2D, MaxPool2D
from nnfs.datasets import load_mnist
from nnfs.layers import Dense, Flatten
from nnfs.losses import CCE
from nnfs.model import Sequential
from nnfs.optimizers import SGD


def build_model(seed: int = 0) -> Sequential:
    return Sequential(
        [
            Conv2D(1, 16, 3, padding="same", seed=seed, input_shape=(1, 28, 28)),
            ReLU(),
            MaxPool2D(2),
            Conv2D(16, 32, 3, padding="same", seed=seed + 1),
            ReLU(),
            MaxPool2D(2),
            Flatten(),
            Dense(32 * 7 * 7, 128, seed=seed + 2),
            ReLU(),
            Dense(128, 10, seed=seed + 3),
            Softmax(),
        ],
        loss=CCE(),
        optimizer=SGD(lr=0.02, momentum=0.9),
    )


def train(model, X_train, y_train, X_test, y_test, epochs: int, seed: int = 4):
    """Fit with a progress line per epoch; return the test scores."""
    model.fit(
        X_train,
        y_train,
        epochs,
        batch_size=64,
        X_test_inputs=X_test,
        y_test_outputs=y_test,
        metrics=("accuracy",),
        seed=seed,
    )
    return model.evaluate(X_test, y_test, metrics=("accuracy",))


def main(argv=None) -> float:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--data-dir", default=None, help="cache folder of the files")
    parser.add_argument("--download", action="store_true", help="fetch missing files")
    args = parser.parse_args(argv)

    X_train, X_test, y_train, y_test = load_mnist(
        cache_dir=args.data_dir, download=args.download, split=True
    )
    X_train = X_train.reshape(-1, 1, 28, 28)  # (60000, 1, 28, 28): channels first
    X_test = X_test.reshape(-1, 1, 28, 28)  # (10000, 1, 28, 28)

    model = build_model()
    model.summary()
    scores = train(model, X_train, y_train, X_test, y_test, args.epochs)
    print(f"test loss: {scores['loss']:.4f}")
    print(f"test accuracy: {100 * scores['accuracy']:.2f}%")
    return scores["accuracy"]


if __name__ == "__main__":
    main()
