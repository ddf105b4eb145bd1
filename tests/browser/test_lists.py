"""Lists in the browser, in French: mission staff submit several drafts at once; a legal
officer saves a search of the case board, applies it with one click and deletes it.
Both pages audited with axe-core (WCAG 2.1 A/AA)."""

import re

import pytest
from playwright.sync_api import expect

from incidents.choices import IncidentStatus, Outcome
from incidents.models import Incident
from missions.models import SavedSearch
from peacekeeping.models import AuditEntry
from tests.browser.test_accessibility import axe_violations
from tests.factories import CasualtyFactory, IncidentFactory
from tests.i18n.helpers import ensure_compiled
from tests.personas import build_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True, scope="module")
def compiled_translations():
    ensure_compiled()


def _in_french(page) -> None:
    page.locator("header form.lang-switch").get_by_role("button", name="FR").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")


def test_mission_staff_submit_two_drafts_at_once_in_french(
    live_server, page, login, screenshot, console_errors
):
    world = build_world()
    for reference in ("MINUSCA-B-0001", "MINUSCA-B-0002"):
        draft = IncidentFactory(
            reference=reference,
            mission=world.mission_a,
            country=world.host_a,
            status=IncidentStatus.DRAFT,
        )
        CasualtyFactory(incident=draft, outcome=Outcome.KILLED)
    login(page, live_server, "staff_a")
    _in_french(page)

    page.goto(f"{live_server.url}/incidents/?status=draft")
    url = page.url
    page.get_by_role("checkbox", name="Sélectionner MINUSCA-B-0001").check()
    page.get_by_role("checkbox", name="Sélectionner MINUSCA-B-0002").check()
    violations = axe_violations(page, url)
    page.get_by_role("button", name="Soumettre les brouillons cochés").click()

    # in the order of the rows ticked (the latest first)
    expect(page.locator(".messages")).to_contain_text(
        "Soumis\u00a0: MINUSCA-B-0002, MINUSCA-B-0001."
    )
    screenshot(page, "fr-bulk-submit")
    assert violations == [], violations
    assert set(
        Incident.objects.filter(reference__startswith="MINUSCA-B-").values_list("status", flat=True)
    ) == {IncidentStatus.SUBMITTED}
    assert (
        AuditEntry.objects.filter(action="incident.submit", actor__username="staff_a").count() == 2
    )
    assert console_errors == []


def test_a_legal_officer_saves_applies_and_deletes_a_search_in_french(
    live_server, page, login, screenshot, console_errors
):
    world = build_world()
    login(page, live_server, "legal_a")
    _in_french(page)

    page.goto(f"{live_server.url}/cases/?impunity=true&sort=-killed")
    page.get_by_label("Enregistrer ces filtres sous le nom").fill("Impunité, plus de tués")
    page.get_by_role("button", name="Enregistrer la recherche").click()
    expect(page.locator(".messages")).to_contain_text(
        "Recherche «\u00a0Impunité, plus de tués\u00a0» enregistrée."
    )
    page.goto(f"{live_server.url}/cases/")
    violations = axe_violations(page)
    page.get_by_role("link", name="Impunité, plus de tués", exact=True).click()

    expect(page).to_have_url(re.compile(r"/cases/\?impunity=true&sort=-killed$"))
    expect(page.locator("#impunity-count")).to_be_visible()
    screenshot(page, "fr-saved-search-applied")
    page.get_by_role("button", name="Supprimer Impunité, plus de tués").click()
    expect(page.locator(".messages")).to_contain_text("supprimée")
    assert violations == [], violations
    assert not SavedSearch.objects.exists()
    assert world.case_a.reference
    assert console_errors == []
