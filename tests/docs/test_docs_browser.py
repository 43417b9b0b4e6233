"""The built site works in a real browser, offline.

The site is served by http.server on 127.0.0.1 (conftest.py) and opened in
Debian's headless Chromium, driven by Selenium through Debian's chromedriver
(neither downloads a browser or a driver of its own). For the home page, an API
page, a mathematics page and a notebook page, the test requires: no error in
the browser console, nothing fetched from another host, every formula rendered
by the KaTeX copy the site serves (with its fonts), every image loaded. It
saves a screenshot of each page to out/screenshots/ for a person to look at.
"""

import tempfile
import time

import pytest
from tests.docs.support import SCREENSHOTS, require, require_file

pytestmark = pytest.mark.docs

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
INSTALL = "apt-get install chromium chromium-driver (make test does it)"

PAGES = {
    "home": "",
    "api-losses": "reference/losses/",
    "math-losses": "math/losses/",
    "math-convolution": "math/convolution/",
    "notebook-multiclass": "notebooks/04_multiclass_classification/",
}

# Run in the page once it has loaded: the facts the assertions need.
_INSPECT = """
const done = arguments[arguments.length - 1];
document.fonts.ready.then(() => {
  const math = [...document.querySelectorAll('.arithmatex')];
  const images = [...document.querySelectorAll('article img')];
  done({
    title: document.title,
    nav: document.querySelectorAll('.md-nav__link').length,
    math: math.length,
    rendered: math.filter(node => node.querySelector('.katex')).length,
    katex: document.querySelectorAll('.katex').length,
    katexErrors: document.querySelectorAll('.katex-error').length,
    katexFont: document.fonts.check('16px KaTeX_Main'),
    images: images.length,
    brokenImages: images.filter(img => !img.complete || img.naturalWidth === 0)
      .map(img => img.src.slice(0, 80)),
    outputs: document.querySelectorAll('.jp-OutputArea-output').length,
    resources: performance.getEntriesByType('resource').map(entry => entry.name),
    text: document.body.innerText,
  });
});
"""


@pytest.fixture(scope="module")
def browser():
    webdriver = require("selenium.webdriver")
    require_file(CHROMIUM, INSTALL)
    require_file(CHROMEDRIVER, INSTALL)
    from selenium.webdriver.chrome.service import Service

    with tempfile.TemporaryDirectory(prefix="nnfs-chromium-") as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in (
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-dev-shm-usage",
            "--window-size=1280,2200",
            f"--user-data-dir={profile}",
        ):
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
        driver.set_page_load_timeout(60)
        driver.set_script_timeout(30)
        try:
            yield driver
        finally:
            driver.quit()


def _open(driver, url: str) -> dict:
    driver.get_log("browser")  # drop what earlier pages logged
    driver.get(url)
    # Material and KaTeX run after the load event; give them a moment to settle.
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        facts = driver.execute_async_script(_INSPECT)
        if facts["math"] == facts["rendered"]:
            break
        time.sleep(0.2)
    return facts


@pytest.mark.parametrize("name", PAGES)
def test_page_renders_offline_without_console_errors(browser, site_url, name):
    url = site_url + PAGES[name]
    facts = _open(browser, url)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SCREENSHOTS / f"{name}.png"))

    errors = [
        entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"
    ]
    assert not errors, f"console errors on {url}:\n" + "\n".join(
        entry["message"] for entry in errors
    )
    foreign = [name for name in facts["resources"] if not name.startswith(site_url)]
    assert not foreign, f"{url} fetched from other hosts: {foreign}"
    assert "nnfs" in facts["title"]
    assert facts["nav"] > 20, "the navigation is missing"
    assert not facts["brokenImages"], (
        f"images that did not load: {facts['brokenImages']}"
    )
    assert facts["katexErrors"] == 0, "KaTeX could not parse a formula"
    assert facts["rendered"] == facts["math"], (
        f"{facts['math'] - facts['rendered']} of {facts['math']} formulas "
        "were not rendered by KaTeX"
    )
    if name.startswith("math") or name.startswith("notebook"):
        assert facts["katex"] >= 5, "the page should show rendered formulas"
        assert facts["katexFont"], "KaTeX's fonts did not load"
        assert "\\frac" not in facts["text"], "raw TeX is visible on the page"
    if name.startswith("api"):
        assert "CCE" in facts["text"] and "Parameters" in facts["text"]
    if name.startswith("notebook"):
        assert facts["outputs"] >= 5, "the notebook's outputs are not shown"
        assert facts["images"] >= 3, "the notebook's figures are not shown"
