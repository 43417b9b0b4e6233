"""Shared pytest set-up for the tests and for the doctests under src/nnfs."""

import importlib
import importlib.util

import pytest

# The plotting doctests draw figures: they need the optional matplotlib.
_OPTIONAL_DOCTESTS = {"nnfs.plotting": "matplotlib"}

# nnfs.sklearn subclasses scikit-learn's estimators, so without the optional
# scikit-learn the module cannot even be imported to collect its doctests;
# tests/test_sklearn.py skips itself then (pytest.importorskip, shown by -ra).
collect_ignore = []
if importlib.util.find_spec("sklearn") is None:
    collect_ignore.append("src/nnfs/sklearn.py")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if not isinstance(item, pytest.DoctestItem):
            continue
        for module, package in _OPTIONAL_DOCTESTS.items():
            if item.name.startswith(module + ".") and not _installed(package):
                item.add_marker(pytest.mark.skip(reason=f"{package} is not installed"))


def _installed(package: str) -> bool:
    try:
        importlib.import_module(package)
    except ImportError:
        return False
    return True
