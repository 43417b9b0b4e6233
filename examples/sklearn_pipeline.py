"""Tune an nnfs network with scikit-learn: Pipeline + GridSearchCV on digits.

Needs scikit-learn (``pip install "nnfs-numpy[sklearn]"``). The 1,797 8x8
digits ship with nnfs, so this runs offline; it takes well under a minute on
a laptop CPU and ends with one line, ``cross-validated accuracy: NN.NN%``.
"""

from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from nnfs.datasets import load_digits
from nnfs.sklearn import NNClassifier

X, y = load_digits()
y = y.ravel().astype(int)  # the digit of each image, 0..9

pipeline = make_pipeline(
    StandardScaler(),
    NNClassifier(
        hidden_layer_sizes=(64,),
        learning_rate=0.003,
        epochs=30,
        batch_size=32,
        random_state=0,
    ),
)
grid = {"nnclassifier__l2": [0.0, 1e-4]}  # with and without an L2 penalty
folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
search = GridSearchCV(pipeline, grid, cv=folds).fit(X, y)

print("best settings:", search.best_params_)
print(f"cross-validated accuracy: {100 * search.best_score_:.2f}%")
