"""Accessibility: axe-core finds no WCAG 2.1 A or AA violation on the main pages.

axe-core comes from npm, vendored for the tests only under tests/browser/vendor/ (never
served: see its package.json). The site's CSP allows no injected script, so axe runs in
a second browser context that bypasses the CSP, with the same session as the page
audited; the journeys themselves keep the CSP. `axe_violations(page, url)` is shared with
the French journeys (test_french.py).
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import RESULTS
from tests.personas import build_world
from tests.ui_cases.helpers import located

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# axe's answer, trimmed to what a failure message needs; `passed` counts the rules that
# found something to check and passed (a page audited with nothing to check is suspect).
_RUN_AXE = """async (tags) => {
    const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
    return {
        passed: results.passes.length,
        violations: results.violations.map((v) => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            nodes: v.nodes.slice(0, 5).map(
                (n) => ({target: n.target.join(" "), summary: n.failureSummary})
            ),
        })),
    };
}"""
# Fewer rules than this passing means axe did not look at a real page.
MIN_RULES_PASSED = 10


def axe_violations(page, url: str | None = None, *, ready: str | None = None) -> list[dict]:
    """The WCAG 2.1 A/AA violations axe-core finds on `url` (default: the page's own URL),
    loaded in a CSP-bypassing context with the page's cookies; `ready` is a selector to
    wait for (a map drawn by script, say) before auditing."""
    browser = page.context.browser
    context = browser.new_context(
        storage_state=page.context.storage_state(),
        bypass_csp=True,
        locale=page.evaluate("navigator.language"),
    )
    try:
        audited = context.new_page()
        audited.goto(url or page.url)
        audited.wait_for_load_state("networkidle")
        if ready:
            audited.wait_for_selector(ready, state="attached")
        audited.add_script_tag(path=str(AXE_JS))
        return _checked(audited.evaluate(_RUN_AXE, WCAG_21_AA))
    finally:
        context.close()


def _checked(results: dict) -> list[dict]:
    assert results["passed"] >= MIN_RULES_PASSED, results
    return results["violations"]


def _report(violations: list[dict]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}\n"
        + "\n".join(f"    {n['target']}: {n['summary']}" for n in v["nodes"])
        for v in violations
    )


@pytest.fixture
def people():
    world = build_world()
    located(world.incident_a, 4.3947, 18.5582)  # Bangui
    return world


def _audit(page, url: str, name: str, **kwargs) -> None:
    violations = axe_violations(page, url, **kwargs)
    (RESULTS / "axe").mkdir(parents=True, exist_ok=True)
    (RESULTS / "axe" / f"{name}.txt").write_text(_report(violations) or "no violation\n")
    assert violations == [], f"{name}: {url}\n{_report(violations)}"


def test_axe_reports_what_it_should(page):
    """The harness can fail: a field without a label and an image without text are found."""
    page.set_content(
        '<html lang="en"><head><title>Broken</title></head><body><main>'
        '<input type="text"><img src="data:,"></main></body></html>'
    )

    page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    results = page.evaluate(_RUN_AXE, WCAG_21_AA)

    found = {violation["id"] for violation in results["violations"]}

    assert {"label", "image-alt"} <= found


def test_the_login_page_has_no_wcag_violation(people, live_server, page):
    page.goto(f"{live_server.url}/accounts/login/")

    _audit(page, page.url, "login")


def test_mission_staff_pages_have_no_wcag_violation(people, live_server, page, login):
    login(page, live_server, "staff_a")
    incident = people.incident_a

    _audit(page, f"{live_server.url}/", "dashboard")
    _audit(page, f"{live_server.url}/incidents/", "incident-list")
    _audit(page, f"{live_server.url}/incidents/new/", "incident-form")
    _audit(page, f"{live_server.url}{incident.get_absolute_url()}", "incident-page")


def test_the_incident_form_showing_its_errors_has_no_wcag_violation(
    people, live_server, page, login
):
    """The error summary, the invalid fields and their messages stay accessible."""
    login(page, live_server, "staff_a")
    page.goto(f"{live_server.url}/incidents/new/")
    page.locator("#id_incident_type").select_option("accident")
    page.locator("#id_attack_type").select_option("direct_fire")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.locator(".error-summary")).to_be_visible()

    # The page as shown: a POST answer cannot be reloaded, so audit this very document.
    violations = _violations_here(page)
    assert violations == [], _report(violations)


def _violations_here(page) -> list[dict]:
    """Audit the document already loaded in `page` (its CSP is in force: axe's source is
    evaluated through the DevTools protocol, which the CSP does not govern)."""
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    return _checked(page.evaluate(_RUN_AXE, WCAG_21_AA))


def test_legal_officer_pages_have_no_wcag_violation(people, live_server, page, login):
    login(page, live_server, "legal_a")

    _audit(page, f"{live_server.url}/cases/", "case-board")
    _audit(page, f"{live_server.url}{people.case_a.get_absolute_url()}", "case-page")


def test_analyst_pages_have_no_wcag_violation(people, live_server, page, login):
    login(page, live_server, "analyst_a")

    _audit(page, f"{live_server.url}/cases/statistics/", "statistics")
    _audit(
        page,
        f"{live_server.url}/cases/map/",
        "map",
        ready='#incident-map[data-boundaries="loaded"]',
    )


def test_the_keyboard_skips_to_the_content_and_the_focus_is_always_visible(
    people, live_server, page, login
):
    login(page, live_server, "staff_a")

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    expect(focused).to_have_text("Log an incident")
    assert focused.evaluate("e => getComputedStyle(e).outlineStyle") == "solid"
    assert focused.evaluate("e => parseFloat(getComputedStyle(e).outlineWidth)") >= 2
