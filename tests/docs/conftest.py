"""Fixtures of the documentation tests: the built site, served on localhost.

These tests need the ``docs`` extra (``pip install -e ".[docs]"``) and, for
the browser test, Debian's chromium and chromium-driver. Without them they
skip, so a plain ``pytest`` passes with NumPy alone. ``make test`` installs
everything and sets ``NNFS_REQUIRE_DOCS=1``, which turns each such skip into a
failure: in CI a missing tool must not pass unnoticed.
"""

import functools
import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from tests.docs.support import ROOT, require


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The site, built once per session with ``mkdocs build --strict``."""
    for module in ("mkdocs", "material", "mkdocstrings_handlers.python"):
        require(module)
    require("mkdocs_jupyter")
    site = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", site],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=600,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(
            "mkdocs build --strict failed:\n" + (result.stdout + result.stderr)[-6000:]
        )
    return site


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def site_url(built_site):
    """Base URL of the built site, served by http.server on 127.0.0.1."""
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)
