# Two entry points, each self-contained on a fresh machine:
#   make demo   trains an MLP on the digits shipped with nnfs (no network needed),
#               prints its test accuracy and writes out/demo/*.png
#   make test   runs the lint, the whole test suite, then the documentation
#               tests: mkdocs build --strict, every notebook executed offline,
#               and the built site checked in headless Chromium
#   make docs   builds the documentation site into out/site/
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# apt-get needs root; elsewhere it goes through sudo.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test lint docs docs-test browser clean

# Reinstall whenever the project's dependencies change.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,cli,docs]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/nnfs train --out out/demo

lint: $(STAMP)
	$(BIN)/ruff check src tests examples benchmarks scripts conftest.py docs/_ext
	$(BIN)/ruff format --check src tests examples benchmarks scripts conftest.py docs/_ext

# The documentation tests (marked "docs"): NNFS_REQUIRE_DOCS=1 makes a
# missing tool fail instead of skip.
DOCS_TESTS := NNFS_REQUIRE_DOCS=1 NO_MKDOCS_2_WARNING=1 $(BIN)/python -m pytest -m docs tests/docs

# The unit tests and doctests first, then the slower documentation tests.
test: lint browser
	$(BIN)/python -m pytest -m "not docs"
	$(DOCS_TESTS)

docs-test: $(STAMP) browser
	$(DOCS_TESTS)

# Debian's Chromium and ChromeDriver, for the browser test of the site.
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  ($(SUDO) apt-get update -qq && \
	   DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium chromium-driver)

docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
