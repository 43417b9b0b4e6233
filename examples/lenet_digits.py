"""Train a small LeNet-style CNN on the 8x8 digits shipped with nnfs.

Needs nothing but nnfs and NumPy (the 1,797 digits are embedded), runs in
seconds to a minute on a laptop CPU, and ends with one line,
``test accuracy: NN.NN%`` (over 98.5% with the seeds below).

The network: two 3x3 convolutions ("same" padding keeps the 8x8 size), one
2x2 max pooling, then two dense layers::

    (1, 8, 8) -> Conv2D 16 -> ReLU -> Conv2D 32 -> ReLU -> MaxPool 2
              -> (32, 4, 4) -> Flatten -> Dense 64 -> ReLU -> Dense 10 -> Softmax

LeNet pools after each convolution; on 8x8 images a second pooling would
leave 2x2 maps, so this one pools once. The training set is enlarged with
copies shifted by one pixel up, down, left and right (a digit moved by a
pixel is still the same digit; ``nnfs.datasets.shifted_copies``), and the
last two epochs run at a tenth of the learning rate.
"""

from nnfs.activations import ReLU, Softmax
from nnfs.conv import Conv2D, MaxPool2D
from nnfs.datasets import load_digits, shifted_copies
from nnfs.layers import Dense, Flatten
from nnfs.losses import CCE
from nnfs.model import Sequential
from nnfs.optimizers import SGD


def build_model() -> Sequential:
    return Sequential(
        [
            Conv2D(1, 16, 3, padding="same", seed=0, input_shape=(1, 8, 8)),
            ReLU(),
            Conv2D(16, 32, 3, padding="same", seed=1),
            ReLU(),
            MaxPool2D(2),
            Flatten(),
            Dense(32 * 4 * 4, 64, seed=2),
            ReLU(),
            Dense(64, 10, seed=3),
            Softmax(),
        ],
        loss=CCE(),
        optimizer=SGD(lr=0.02, momentum=0.9),
    )


def main() -> float:
    X_train, X_test, y_train, y_test = load_digits(test_size=0.2, seed=0)
    X_train, y_train = shifted_copies(X_train, y_train, (8, 8))  # 5 x 1438 rows
    X_train = X_train.reshape(-1, 1, 8, 8)  # (7190, 1, 8, 8): channels first
    X_test = X_test.reshape(-1, 1, 8, 8)  # (359, 1, 8, 8)

    model = build_model()
    model.summary()
    options = dict(batch_size=32, metrics=("accuracy",), debug_flag=False)
    model.fit(X_train, y_train, 8, seed=4, **options)
    model.optimizer.lr = 0.002  # fine-tune: fit again continues training
    model.fit(X_train, y_train, 2, seed=5, **options)

    scores = model.evaluate(X_test, y_test, metrics=("accuracy",))
    print(f"test loss: {scores['loss']:.4f}")
    print(f"test accuracy: {100 * scores['accuracy']:.2f}%")
    return scores["accuracy"]


if __name__ == "__main__":
    main()
