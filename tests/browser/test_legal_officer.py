"""A legal officer in a real browser: the case board, a case, a procedure step refused
(a verdict before any charge) and then recorded, seen on the timeline; and another
mission's case refused."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from accountability.models import ProcedureStep
from tests.browser.conftest import PAGE_BUDGET_BYTES
from tests.personas import build_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def people():
    return build_world()


def _within_budget(weight: dict) -> None:
    assert weight["bytes_compressed"] <= PAGE_BUDGET_BYTES, weight


def test_a_legal_officer_records_a_step_after_a_refusal_and_sees_it_on_the_timeline(
    people, live_server, page, login, screenshot, page_weight, console_errors
):
    case, suspect = people.case_a, people.suspect_a
    login(page, live_server, "legal_a")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cases").click()
    expect(page.get_by_role("heading", name="Case board", exact=True)).to_be_visible()
    stage = page.locator("#stage-suspects_identified")
    row = stage.get_by_role("row").filter(has_text=case.reference)
    expect(row).to_contain_text("Impunity")
    expect(page.locator("main")).not_to_contain_text(people.case_b.reference)
    screenshot(page, "legal-case-board")
    _within_budget(page_weight(page, page.url, "case-board"))

    row.get_by_role("link", name=case.reference).click()
    expect(page.get_by_role("heading", name=f"Case {case.reference}")).to_be_visible()
    expect(page.locator("#suspects")).to_contain_text(suspect.name)
    screenshot(page, "legal-case-page")
    _within_budget(page_weight(page, page.url, "case-page"))

    # A verdict before any charge: refused with the service's reason, nothing lost.
    article = page.locator(f"#suspect-{suspect.pk}")
    article.get_by_text("Record the next step").click()
    day = (date.today() - timedelta(days=3)).isoformat()
    article.get_by_label("Step").select_option("convicted")
    article.get_by_label("Date").fill(day)
    article.get_by_label("Local legal term").fill("arrêt de condamnation")
    article.get_by_label("Source").fill("Greffe de la cour criminelle")
    article.get_by_role("button", name="Record the step").click()

    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("A verdict needs a trial opened")
    expect(page.get_by_label("Step")).to_have_value("convicted")
    expect(page.get_by_label("Date")).to_have_value(day)
    expect(page.get_by_label("Local legal term")).to_have_value("arrêt de condamnation")
    expect(page.get_by_label("Source")).to_have_value("Greffe de la cour criminelle")
    screenshot(page, "legal-step-refused")

    # Fixed: the step that comes first is the charge.
    page.get_by_label("Step").select_option("charged")
    page.get_by_label("Local legal term").fill("inculpation")
    page.get_by_role("button", name="Record", exact=True).click()

    expect(page.get_by_role("status").first).to_contain_text("Step recorded")
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text(f"Charged: {suspect.name} (inculpation)")
    expect(timeline).to_contain_text("Greffe de la cour criminelle")
    expect(page.locator("header.case-header")).to_contain_text("Charges filed")
    assert ProcedureStep.objects.filter(suspect=suspect, kind="charged").exists()
    screenshot(page, "legal-step-recorded")
    assert [e for e in console_errors if "favicon" not in e] == []


def test_a_legal_officer_gets_a_404_for_another_missions_case(people, live_server, page, login):
    login(page, live_server, "legal_a")

    response = page.goto(f"{live_server.url}{people.case_b.get_absolute_url()}")

    assert response.status == 404
    expect(page.locator("main")).not_to_contain_text(people.suspect_b.name)
