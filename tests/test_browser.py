"""A reader in a real browser (headless Chromium): document → mention → person → passage, and
an example query on the SPARQL page. Screenshots are saved in tests/artifacts/.

Needs Debian's `chromium` and `chromium-driver` and the `selenium` package; Selenium is given
the driver's path, so Selenium Manager never downloads anything. Without a browser the test is
skipped, unless LODPUB_REQUIRE_BROWSER is set (as in CI), where a missing browser fails it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from ld_servers import BASE, SEED_KEY, ld_server

ARTIFACTS = Path(__file__).parent / "artifacts"
BROWSERS = ("chromium", "chromium-browser", "google-chrome")
REQUIRED = bool(os.environ.get("LODPUB_REQUIRE_BROWSER"))
WAIT = 20


def _missing() -> str | None:
    """Why no browser can run here, or None."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "the selenium package is not installed (pip install -e '.[test]')"
    if not any(shutil.which(name) for name in BROWSERS):
        return "no Chromium found (apt-get install chromium chromium-driver)"
    if not shutil.which("chromedriver"):
        return "no chromedriver found (apt-get install chromium-driver)"
    return None


@pytest.fixture(scope="module")
def browser():
    missing = _missing()
    if missing:
        if REQUIRED:
            pytest.fail(f"LODPUB_REQUIRE_BROWSER is set but {missing}")
        pytest.skip(missing)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")
    options = webdriver.ChromeOptions()
    options.binary_location = next(shutil.which(n) for n in BROWSERS if shutil.which(n))
    profile = tempfile.mkdtemp(prefix="lodpub-chromium-")
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1280,1100",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    driver.set_page_load_timeout(60)
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def site():
    with ld_server() as url:
        yield url


def test_a_reader_follows_a_mention_to_a_person_and_back_to_the_passage(browser, site):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(f"{site}/id/document/{SEED_KEY}")
    assert browser.current_url == f"{site}/page/document/{SEED_KEY}"
    assert browser.title.startswith("Soviet Report on Communists in Korea, 1945")
    browser.save_screenshot(str(ARTIFACTS / "document-record.png"))
    summary = browser.find_element(By.CSS_SELECTOR, "section.summary")
    browser.execute_script("arguments[0].scrollIntoView()", summary)
    browser.save_screenshot(str(ARTIFACTS / "document.png"))

    mention = browser.find_element(
        By.XPATH, "//span[contains(@class,'person')]/a[normalize-space()='Pak Heon-yeong']"
    )
    assert mention.is_displayed()
    mention.click()
    WebDriverWait(browser, WAIT).until(ready.url_to_be(f"{site}/page/person/pak-heon-yeong"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Pak Heon-yeong"
    passage = browser.find_element(By.CSS_SELECTOR, "blockquote.passage")
    assert passage.is_displayed()
    assert passage.find_element(By.TAG_NAME, "mark").text.lower() == "pak heon-yeong"
    assert browser.find_element(By.CSS_SELECTOR, "figure.network svg").is_displayed()
    browser.save_screenshot(str(ARTIFACTS / "person.png"))

    link = passage.find_element(By.CSS_SELECTOR, "footer a")
    anchor = link.get_attribute("href").split("#", 1)[1]
    link.click()
    WebDriverWait(browser, WAIT).until(ready.url_contains(f"#{anchor}"))
    target = browser.find_element(By.ID, anchor)
    assert target.is_displayed()
    assert "pak heon-yeong" in target.text.lower()


def test_a_reader_runs_an_example_query(browser, site):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(f"{site}/sparql")
    examples = browser.find_elements(By.CSS_SELECTOR, "button.example")
    assert examples
    examples[0].click()
    assert "SELECT" in browser.find_element(By.ID, "query").get_attribute("value").upper()
    browser.find_element(By.ID, "run").click()
    WebDriverWait(browser, WAIT).until(
        ready.presence_of_element_located((By.CSS_SELECTOR, "#output table tbody tr"))
    )
    rows = browser.find_elements(By.CSS_SELECTOR, "#output table tbody tr")
    assert rows
    browser.save_screenshot(str(ARTIFACTS / "sparql.png"))


def test_query_results_link_to_this_server_not_to_the_base_uri(browser, site):
    """The base URI (lodpub.example.org) is not where the server runs: result links must open
    the resource on the server the reader uses."""
    from urllib.parse import urlencode

    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import WebDriverWait

    query = f"SELECT ?person WHERE {{ VALUES ?person {{ <{BASE}/id/person/pak-heon-yeong> }} }}"
    browser.get(f"{site}/sparql?{urlencode({'query': query})}")
    link = WebDriverWait(browser, WAIT).until(
        ready.presence_of_element_located((By.CSS_SELECTOR, "#output table tbody a"))
    )
    assert link.get_attribute("title") == f"{BASE}/id/person/pak-heon-yeong"
    assert link.get_attribute("href") == f"{site}/id/person/pak-heon-yeong"
    link.click()
    WebDriverWait(browser, WAIT).until(ready.url_to_be(f"{site}/page/person/pak-heon-yeong"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Pak Heon-yeong"
