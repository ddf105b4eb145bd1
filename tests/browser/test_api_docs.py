"""The API's docs page (Swagger UI, vendored) runs under the app's strict CSP, for a
signed-in user; a stranger is sent to the login page."""

import pytest
from playwright.sync_api import expect

from tests.personas import build_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_api_docs_render_without_a_csp_violation(live_server, page, login, console_errors):
    build_world()
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and violations.append(message.text)
        ),
    )
    login(page, live_server, "analyst_a")

    page.goto(f"{live_server.url}/api/docs/")

    expect(page.get_by_text("Peacekeeping accountability API").first).to_be_visible()
    expect(page.locator(".opblock").first).to_be_visible()  # the operations, from the schema
    assert violations == []
    assert console_errors == []


def test_a_stranger_is_sent_to_the_login_page(live_server, page):
    page.goto(f"{live_server.url}/api/docs/")

    assert "/accounts/login/" in page.url
