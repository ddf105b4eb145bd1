"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Reusable by every role's journeys (and by the accessibility and French journeys):

- `login(page, live_server, username)`: sign in through the real login form.
- `screenshot(page, name)`: a full-page PNG under test-results/screenshots/ (gitignored).
- `console_errors`: the page's console errors and failed requests (CSP violations show
  up here), as a list to assert empty.
- `page_weight(page, url, name)`: the page loaded cold in a fresh context with the same
  session; returns and records (test-results/page-weights.json) the bytes of every
  response: decoded, and as production sends them (`bytes_compressed`): pages as the
  app's GZipMiddleware sent them over the wire, static files gzip-compressed as
  WhiteNoise serves them pre-compressed (the test server serves them raw).

Chromium is Debian's (`apt-get install chromium`); `playwright install` cannot download
here. Without it the tests are skipped, except in CI (CI=true), where they fail.
Tests use `@pytest.mark.django_db(transaction=True)`: the server thread cannot see a
test transaction. The flush after each such test empties every table, the reference data
(countries, missions) included; `reference_data` below loads it again before each test.
"""

import gzip
import json
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import IN_CI
from tests.personas import PASSWORD

# The live server runs in a thread of this process; the ORM is called from the test's
# own thread while Playwright's event loop runs in it.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
RESULTS = Path(__file__).resolve().parents[2] / "test-results"
# No main page over 150 KB transferred on first load (compressed).
PAGE_BUDGET_BYTES = 150 * 1024
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        reason = f"needs Debian's Chromium at {CHROMIUM}: apt-get install chromium"
        if IN_CI:
            pytest.fail(f"CI needs this service: {reason}")
        pytest.skip(reason)
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """The countries and missions the migration loads, present before every browser test.

    Django's `serialized_rollback` cannot be relied on for this: its copy of the data
    hangs on the connection object of the context that created the test database, and
    when other tests ran first, the browser tests (inside Playwright's greenlet) get
    another connection object, without it.
    """
    from missions.importers import (
        COUNTRIES_JSON,
        MISSIONS_JSON,
        read_reference_json,
        reference_countries_sync,
        reference_missions_sync,
    )
    from missions.models import Country, Mission

    if not Mission.objects.exists():
        reference_countries_sync(Country, read_reference_json(COUNTRIES_JSON))
        reference_missions_sync(Mission, Country, read_reference_json(MISSIONS_JSON))


@pytest.fixture
def login():
    """`login(page, live_server, username)`: sign in with the personas' password."""

    def sign_in(page, live_server, username: str, password: str = PASSWORD):
        page.goto(f"{live_server.url}/accounts/login/")
        page.locator("#id_username").fill(username)
        page.locator("#id_password").fill(password)
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        assert "/accounts/login/" not in page.url, f"{username} could not log in"
        return page

    return sign_in


@pytest.fixture
def screenshot():
    """`screenshot(page, name)`: save test-results/screenshots/<name>.png."""
    folder = RESULTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)

    def shoot(page, name: str) -> Path:
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return shoot


@pytest.fixture
def console_errors(page):
    """Errors the browser reported while the test ran: console errors, page errors."""
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def _record_weight(name: str, weight: dict) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    report = RESULTS / "page-weights.json"
    weights = json.loads(report.read_text()) if report.exists() else {}
    weights[name] = weight
    report.write_text(json.dumps(weights, indent=2, sort_keys=True))


def sent_bytes(response, body: bytes) -> int:
    """The bytes of a response body as production sends it: what went over the wire when
    the app compressed it, static files as WhiteNoise's pre-compressed copies."""
    if response.headers.get("content-encoding"):
        return response.request.sizes()["responseBodySize"]
    if urlsplit(response.url).path.startswith("/static/"):
        return len(gzip.compress(body, compresslevel=6))
    return len(body)


@pytest.fixture
def page_weight(new_context):
    """`page_weight(page, url, name)`: bytes of the page's first load, cache empty."""

    def weigh(page, url: str, name: str) -> dict:
        context = new_context(storage_state=page.context.storage_state())
        cold = context.new_page()
        responses = []
        cold.on("response", lambda response: responses.append(response))
        cold.goto(url)
        cold.wait_for_load_state("networkidle")
        raw = compressed = 0
        files = {}
        for response in responses:
            body = response.body() if response.status < 300 else b""
            path = urlsplit(response.url).path
            raw += len(body)
            compressed += sent_bytes(response, body)
            files[path] = len(body)
        weight = {
            "url": url,
            "requests": len(responses),
            "bytes": raw,
            "bytes_compressed": compressed,
            "budget": PAGE_BUDGET_BYTES,
            "files": files,
        }
        _record_weight(name, weight)
        context.close()
        return weight

    return weigh
