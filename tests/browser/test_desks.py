"""Each role's desk in a real browser, in English and in French: what the desk shows,
that axe-core finds no WCAG 2.1 A/AA violation on it, and nothing from outside the
user's scope. With DESK_SCREENSHOTS set to a folder, each desk is also saved there as a
PNG for the user documentation (docs/tooling/desk_screenshots.py makes them small)."""

import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accountability.exports.models import ExportJob
from accountability.reports.models import FollowUpReport
from accountability.services import followup_record, procedure_record_step
from incidents.choices import AttackType, IncidentType
from incidents.services import incident_record
from tests.browser.test_accessibility import _report, axe_violations
from tests.i18n.helpers import ensure_compiled
from tests.personas import build_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TODAY = date.today()
WIDTH, HEIGHT = 1000, 900


@pytest.fixture(autouse=True, scope="module")
def compiled_translations():
    ensure_compiled()


@pytest.fixture
def people():
    """The personas' world with something on every desk."""
    world = build_world()
    admin = world.users["admin"]
    procedure_record_step(
        actor=admin,
        suspect=world.suspect_a,
        kind="arrested",
        occurred_on=TODAY - timedelta(days=200),
        source="Procès-verbal d'arrestation",
    )
    for due_in, summary in ((-12, "Request for the case file"), (4, "Reminder")):
        followup_record(
            actor=admin,
            case=world.case_a,
            sent_on=TODAY - timedelta(days=30),
            channel="note_verbale",
            summary=summary,
            response_due=TODAY + timedelta(days=due_in),
        )
    FollowUpReport.objects.create(
        host_state=world.host_a,
        period_kind="month",
        period_start=date(2026, 10, 1),
        period_end=date(2026, 10, 31),
        period_label="2026-10",
        language="fr",
        status="done",
        finished_at=datetime(2026, 11, 1, tzinfo=UTC),
    )
    incident_record(
        actor=world.users["staff_a"],
        mission=world.mission_a,
        occurred_at=datetime.now(UTC) - timedelta(days=1),
        incident_type=IncidentType.MALICIOUS_ACT,
        attack_type=AttackType.INDIRECT_FIRE,
        country=world.host_a,
        place="Bambari",
        narrative="Mortar fire on the camp.",
        sources="Flash report",
    )
    ExportJob.objects.create(
        user=world.users["analyst_a"], kind="casualties", format="xlsx", status="done"
    )
    return world


# persona: (sections the desk shows, their headings in English and in French)
DESKS = {
    "staff_a": (
        "#desk-to-verify",
        "1 incident awaiting verification",
        "1 incident en attente de vérification",
    ),
    "legal_a": (
        "#desk-no-investigation",
        "1 case without investigation after 60 days",
        "1 affaire sans enquête après 60 jours",
    ),
    "analyst_a": ("#desk-analyst", "Security Council figures", "Chiffres du Conseil de sécurité"),
    "liaison_a": (
        "#desk-received",
        "Reports received",
        "Rapports reçus",
    ),
}


def _save_for_the_docs(page, name: str) -> None:
    folder = os.environ.get("DESK_SCREENSHOTS")
    if not folder:
        return
    path = Path(folder) / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    page.screenshot(path=str(path))


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("persona", sorted(DESKS))
def test_each_role_finds_its_desk(
    people, live_server, page, login, screenshot, console_errors, persona, language
):
    section, english, french = DESKS[persona]
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    login(page, live_server, persona)

    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator(section)).to_contain_text(english if language == "en" else french)
    other_mission = people.case_b.reference
    expect(page.locator("main")).not_to_contain_text(other_mission)
    screenshot(page, f"desk-{persona}-{language}")
    violations = axe_violations(page)
    assert violations == [], _report(violations)
    if language == "en" or persona == "liaison_a":
        _save_for_the_docs(page, f"desk-{persona.removesuffix('_a')}-{language}")
    assert console_errors == []
