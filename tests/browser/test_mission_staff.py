"""Mission staff in a real browser: log an incident, fix a mistake, submit, find it again;
and be refused another mission's incident."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from incidents.models import Incident
from tests.browser.conftest import PAGE_BUDGET_BYTES
from tests.personas import build_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def people():
    return build_world()


def _within_budget(weight: dict) -> None:
    assert weight["bytes_compressed"] <= PAGE_BUDGET_BYTES, weight


def _fill_incident(page, *, incident_type: str, attack_type: str) -> None:
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    page.locator("#id_occurred_date").fill(yesterday)
    page.locator("#id_occurred_time").fill("06:45")
    page.locator("#id_date_precision").select_option("exact")
    page.locator("#id_place").fill("Bambari")
    page.locator("#id_admin_area").fill("Ouaka")
    page.locator("#id_latitude").fill("5.76200")
    page.locator("#id_longitude").fill("20.66900")
    page.locator("#id_location_precision").select_option("exact")
    page.locator("#id_incident_type").select_option(incident_type)
    page.locator("#id_attack_type").select_option(attack_type)
    page.locator("#id_narrative").fill("Convoy hit by small-arms fire at the Ouaka bridge.")
    page.locator("#id_casualties-0-category").select_option("military_contingent")
    page.locator("#id_casualties-0-nationality").fill("Bangladesh")
    page.locator("#id_casualties-0-outcome").select_option("killed")


def test_mission_staff_log_fix_submit_and_find_an_incident(
    people, live_server, page, login, screenshot, page_weight, console_errors
):
    login(page, live_server, "staff_a")
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    screenshot(page, "mission-staff-dashboard")
    _within_budget(page_weight(page, f"{live_server.url}/", "dashboard"))

    page.get_by_role("link", name="Log an incident").first.click()
    expect(page.get_by_role("heading", name="Log an incident")).to_be_visible()
    _within_budget(page_weight(page, page.url, "incident-form"))

    # A mistake: an attack type on an accident.
    _fill_incident(page, incident_type="accident", attack_type="direct_fire")
    page.get_by_role("button", name="Save as draft").click()

    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("An attack type is only for malicious acts")
    expect(page.locator("#id_attack_type")).to_have_attribute("aria-invalid", "true")
    # Everything typed is still there.
    expect(page.locator("#id_place")).to_have_value("Bambari")
    expect(page.locator("#id_latitude")).to_have_value("5.76200")
    expect(page.locator("#id_narrative")).to_have_value(
        "Convoy hit by small-arms fire at the Ouaka bridge."
    )
    expect(page.locator("#id_casualties-0-nationality")).to_have_value("Bangladesh")
    expect(page.locator("#id_casualties-0-outcome")).to_have_value("killed")
    screenshot(page, "incident-form-error")

    # Fixed: it was a malicious act.
    page.locator("#id_incident_type").select_option("malicious_act")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.get_by_role("status").first).to_contain_text("saved as a draft")
    incident = Incident.objects.get(place="Bambari")
    expect(page.get_by_role("heading", name=incident.reference)).to_be_visible()

    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("status").first).to_contain_text("was submitted")
    incident.refresh_from_db()
    case = incident.cases.get()
    expect(page.locator("main")).to_contain_text(case.reference)
    expect(page.locator("main")).to_contain_text("Incident submitted")
    screenshot(page, "incident-page")
    _within_budget(page_weight(page, page.url, "incident-page"))

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Incidents").click()
    page.get_by_label("Search", exact=True).fill("Bambari")
    page.get_by_role("button", name="Filter").click()
    results = page.locator("#results")
    expect(results).to_contain_text(incident.reference)
    expect(results).not_to_contain_text(people.incident_a.reference)
    screenshot(page, "incident-list")
    _within_budget(page_weight(page, f"{live_server.url}/incidents/", "incident-list"))

    results.get_by_role("link", name=incident.reference).click()
    expect(page.get_by_role("heading", name=incident.reference)).to_be_visible()
    # No script or style was refused by the CSP, nothing failed to load; the one error
    # is the form's own answer to the mistake (400 Bad Request).
    assert [e for e in console_errors if "status of 400" not in e] == []


def test_the_form_works_without_javascript(people, live_server, new_context, login):
    page = new_context(java_script_enabled=False).new_page()
    login(page, live_server, "staff_a")
    page.goto(f"{live_server.url}/incidents/new/")

    _fill_incident(page, incident_type="malicious_act", attack_type="ambush")
    page.get_by_role("button", name="Save and submit").click()

    incident = Incident.objects.get(place="Bambari")
    expect(page.get_by_role("heading", name=incident.reference)).to_be_visible()
    assert incident.status == "submitted"
    assert incident.casualties.count() == 1


def test_staff_of_another_mission_get_a_404_page(people, live_server, page, login, screenshot):
    login(page, live_server, "staff_b")

    response = page.goto(f"{live_server.url}{people.incident_a.get_absolute_url()}")

    assert response.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(people.incident_a.reference)
    screenshot(page, "not-found")
