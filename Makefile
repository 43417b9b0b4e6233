# Two entry points, each self-contained on a fresh machine:
#   make demo   trains an MLP on the digits shipped with nnfs (no network needed),
#               prints its test accuracy and writes out/demo/*.png
#   make test   runs the lint and the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint clean

# Reinstall whenever the project's dependencies change.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,cli]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/nnfs train --out out/demo

lint: $(STAMP)
	$(BIN)/ruff check src tests examples benchmarks scripts conftest.py
	$(BIN)/ruff format --check src tests examples benchmarks scripts conftest.py

test: lint
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
