"""Every page each role reaches, in English and in French, loaded cold in Chromium:
no console error (numbers in SVG, CSS and data attributes are never localised), no page
over the budget of 150 KB sent on first load with its assets (pages compressed by
GZipMiddleware), and in French no text of the catalogue left in English: no sentence of
it anywhere in the page's text, no shorter text of it (a button, a heading, a history
entry) as the whole text of an element.

The crawl follows the links of each page from the dashboard, one page per shape of
address (digits stand for any number), leaving out downloads, the admin and the API.
"""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PAGE_BUDGET_BYTES, sent_bytes
from tests.browser.untranslated import english_labels, english_left, english_sentences
from tests.i18n.helpers import ensure_compiled
from tests.personas import build_world
from tests.ui_cases.helpers import located

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROLES = ("admin", "staff_a", "legal_a", "analyst_all", "liaison_a")
MOST_PAGES = 40
LEFT_OUT = re.compile(
    r"^/(admin|api|static|media)/|/logout|format=|/download/|/manifest/|/case-file/|"
    r"/map/incidents\.geojson|/accounts/(login|password)|\.(json|csv|pdf|xlsx)$"
)


def _shape(path: str) -> str:
    return re.sub(r"[0-9]+", "N", path)


@pytest.fixture
def browser_context_args(browser_context_args):
    """Every load is a first load: no service worker has installed yet, so none serves
    a page or an asset from its offline cache (tests/browser/test_field_logging.py
    tests that cache)."""
    return {**browser_context_args, "service_workers": "block"}


@pytest.fixture
def people():
    ensure_compiled()
    world = build_world()
    located(world.incident_a, 4.3947, 18.5582)
    return world


def _crawl(page, base: str):
    """Yield (path, bytes sent, console errors) for each page shape reached from "/"."""
    seen: set[str] = set()
    queue = ["/"]
    errors: list[str] = []
    responses: list = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("response", lambda r: responses.append(r))
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})  # every load is a first
    count = 0
    while queue and count < MOST_PAGES:
        path = queue.pop(0)
        if _shape(path) in seen:
            continue
        seen.add(_shape(path))
        errors.clear()
        responses.clear()
        response = page.goto(base + path)
        page.wait_for_load_state("networkidle")
        count += 1
        sent = 0
        for r in responses:
            try:
                body = r.body() if r.status < 300 else b""
            except Exception:
                # A small answer Chromium did not keep (the header's unread count, polled
                # by htmx): what went over the wire is still known.
                sent += r.request.sizes()["responseBodySize"]
                continue
            sent += sent_bytes(r, body)
        yield path, response, sent, list(errors)
        for href in page.eval_on_selector_all("a[href]", "a => a.map(e => e.getAttribute('href'))"):
            target = urlsplit(href)
            if target.netloc or not target.path.startswith("/") or LEFT_OUT.search(href):
                continue
            queue.append(target.path)


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("username", ROLES)
def test_every_page_loads_without_error_within_budget_and_in_the_readers_language(
    people, live_server, page, login, username, language
):
    login(page, live_server, username)
    if language == "fr":
        page.locator("header form.lang-switch").get_by_role("button", name="FR").click()
        expect(page.locator("html")).to_have_attribute("lang", "fr")
    sentences, labels = (
        (english_sentences(), english_labels()) if language == "fr" else (set(), set())
    )
    problems = []
    pages = 0
    for path, response, sent, errors in _crawl(page, live_server.url):
        pages += 1
        if response.status >= 400 and response.status != 403:
            problems.append(f"{path}: HTTP {response.status}")
        if errors:
            problems.append(f"{path}: console errors {errors[:3]}")
        if sent > PAGE_BUDGET_BYTES:
            problems.append(f"{path}: {sent} bytes sent on first load")
        html = response.headers.get("content-type", "").startswith("text/html")
        if (
            html
            and len(response.body()) > 1024
            and response.headers.get("content-encoding") != "gzip"
        ):
            problems.append(f"{path}: HTML not compressed")
        if language == "fr" and html:
            left = english_left(page, sentences, labels)
            if left:
                problems.append(f"{path}: English left: {left[:8]}")
    assert pages >= 3
    assert problems == []
