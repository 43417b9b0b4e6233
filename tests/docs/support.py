"""Helpers shared by the documentation tests (see conftest.py for the fixtures)."""

import importlib
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "out" / "screenshots"


def require(module: str):
    """Import ``module``; skip the test without it (fail in CI)."""
    if os.environ.get("NNFS_REQUIRE_DOCS") == "1":
        return importlib.import_module(module)
    return pytest.importorskip(module, reason="needs the docs extra")


def require_file(path: str, hint: str) -> str:
    """``path`` if it exists; else skip the test (fail in CI)."""
    if Path(path).exists():
        return path
    message = f"{path} is missing: {hint}"
    if os.environ.get("NNFS_REQUIRE_DOCS") == "1":
        pytest.fail(message)
    pytest.skip(message)
