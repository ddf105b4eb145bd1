"""Field logging in a real browser: the form kept for offline use, an incident submitted
with the link down waiting in the outbox, sent once when the link returns, and the
browser's storage emptied at logout."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from incidents.models import Attachment, Incident
from peacekeeping.models import AuditEntry
from tests.personas import build_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

FORM = "/incidents/new/"


@pytest.fixture
def people():
    return build_world()


@pytest.fixture
def evidence(tmp_path) -> Path:
    path = tmp_path / "flash-report.txt"
    path.write_text("Flash report: patrol ambushed at the Ouaka bridge, 06:45.")
    return path


def _kept_offline(page, user_id: int) -> None:
    """Wait until the service worker has kept this user's copy of the form."""
    page.wait_for_function(
        """async (cacheName) => {
            await navigator.serviceWorker.ready;
            const cache = await caches.open(cacheName);
            return Boolean(await cache.match("/incidents/new/"))
                && Boolean(await cache.match("/incidents/?status=draft"));
        }""",
        arg=f"pk-pages-{user_id}",
        timeout=20000,
    )


def _fill(page, evidence: Path, *, place: str) -> None:
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    page.locator("#id_occurred_date").fill(yesterday)
    page.locator("#id_place").fill(place)
    page.locator("#id_admin_area").fill("Ouaka")
    page.locator("#id_latitude").fill("5.76200")
    page.locator("#id_longitude").fill("20.66900")
    page.locator("#id_location_precision").select_option("exact")
    page.locator("#id_incident_type").select_option("malicious_act")
    page.locator("#id_attack_type").select_option("ambush")
    page.locator("#id_narrative").fill("Patrol ambushed at the Ouaka bridge.")
    page.locator("#id_casualties-0-category").select_option("military_contingent")
    page.locator("#id_casualties-0-nationality").fill("Bangladesh")
    page.locator("#id_casualties-0-outcome").select_option("injured")
    page.locator("#id_attachments").set_input_files(str(evidence))


def axe_here(page) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it stands (state included: an
    outbox listed, a map opened). page.evaluate is not subject to the page's CSP."""
    from tests.browser.test_accessibility import _RUN_AXE, AXE_JS, WCAG_21_AA

    page.evaluate(AXE_JS.read_text())
    return page.evaluate(_RUN_AXE, WCAG_21_AA)["violations"]


def _storage(page) -> dict:
    return page.evaluate(
        """async () => ({
            databases: (await indexedDB.databases()).map((d) => d.name),
            caches: (await caches.keys()).filter((name) => !name.startsWith("pk-static-")),
        })"""
    )


def test_an_incident_submitted_offline_is_sent_once_when_the_link_returns(
    people, live_server, page, context, login, screenshot, evidence
):
    staff = people.users["staff_a"]
    login(page, live_server, "staff_a")
    page.goto(f"{live_server.url}{FORM}")
    _kept_offline(page, staff.pk)

    context.set_offline(True)
    # Offline, the form comes from the browser's copy; a page needing the server says so.
    page.goto(f"{live_server.url}/cases/")
    expect(page.get_by_role("heading", name="This page needs the server")).to_be_visible()
    page.goto(f"{live_server.url}/incidents/?status=draft")
    expect(page.get_by_role("heading", name="Incidents", exact=True)).to_be_visible()
    page.goto(f"{live_server.url}{FORM}")
    expect(page.get_by_role("heading", name="Log an incident")).to_be_visible()
    expect(page.locator("#offline-notice")).to_be_visible()

    _fill(page, evidence, place="Ouaka bridge")
    page.get_by_role("button", name="Save and submit").click()

    outbox = page.locator("#outbox")
    expect(outbox).to_be_visible()
    expect(outbox).to_contain_text("1 incident waiting to be sent")
    expect(outbox).to_contain_text("Ouaka bridge")
    expect(page.locator("#id_place")).to_have_value("")  # ready for the next one
    screenshot(page, "field-logging-outbox")
    assert axe_here(page) == []
    assert not Incident.objects.filter(place="Ouaka bridge").exists()

    context.set_offline(False)
    expect(outbox).to_be_hidden(timeout=20000)
    expect(page.locator("#outbox-status")).to_contain_text("was sent")

    incident = Incident.objects.get(place="Ouaka bridge")
    assert incident.status == "submitted"
    assert incident.created_by == staff
    assert incident.casualties.count() == 1
    attachment = Attachment.objects.get(incident=incident)
    assert attachment.original_name == "flash-report.txt"
    actions = set(
        AuditEntry.objects.filter(object_id=str(incident.pk)).values_list("action", flat=True)
    )
    assert {"incident.record", "incident.submit"} <= actions
    assert (
        AuditEntry.objects.filter(action="incident.record", object_id=str(incident.pk)).count() == 1
    )

    # The same request replayed (a lost answer, another tab): still one incident.
    final_url = page.evaluate(
        """async ([url, key]) => {
            const html = await (await fetch(url, { cache: "no-store" })).text();
            const page = new DOMParser().parseFromString(html, "text/html");
            const data = new FormData(page.querySelector("form.incident-form"));
            data.set("idempotency_key", key);
            data.set("place", "Ouaka bridge");
            data.set("occurred_date", "2020-01-01");
            const response = await fetch(url, { method: "POST", body: data });
            return response.url;
        }""",
        [FORM, str(incident.idempotency_key)],
    )
    assert final_url.endswith(incident.get_absolute_url())
    assert Incident.objects.filter(place="Ouaka bridge").count() == 1


def test_logging_out_while_an_incident_waits_empties_the_browser_storage(
    people, live_server, page, context, login, evidence, monkeypatch
):
    staff = people.users["staff_a"]
    login(page, live_server, "staff_a")
    page.goto(f"{live_server.url}{FORM}")
    _kept_offline(page, staff.pk)

    context.set_offline(True)
    _fill(page, evidence, place="Kaga-Bandoro")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.locator("#outbox")).to_contain_text("1 incident waiting to be sent")

    # Back online, but the server fails to record it: it keeps waiting.
    def unwell(**kwargs):
        raise RuntimeError("the database is away")

    monkeypatch.setattr("incidents.views.incident_record_whole", unwell)
    context.set_offline(False)
    page.reload()
    expect(page.locator("#outbox")).to_contain_text("1 incident waiting to be sent")
    storage = _storage(page)
    assert storage["databases"] == [f"pk-outbox-{staff.pk}"]
    assert f"pk-pages-{staff.pk}" in storage["caches"]

    page.locator(".user-menu summary").click()
    page.get_by_role("button", name="Log out").click()
    expect(page.locator("#id_username")).to_be_visible()

    # Deleted before the logout was posted (and the logout's answer clears the site's
    # storage): no outbox, no kept page is left in the browser.
    page.wait_for_function(
        """async () => (await indexedDB.databases()).length === 0
            && (await caches.keys()).every((name) => name.startsWith("pk-static-"))""",
        timeout=5000,
    )
    assert _storage(page) == {"databases": [], "caches": []}
    assert not Incident.objects.filter(place="Kaga-Bandoro").exists()


def test_a_form_posted_when_the_link_fails_unnoticed_is_kept_and_sent_once(
    people, live_server, page, context, login, evidence
):
    # The device believes it is online (a Wi-Fi with no way out): only the post fails.
    context.add_init_script("Object.defineProperty(navigator, 'onLine', {get: () => true})")
    staff = people.users["staff_a"]
    login(page, live_server, "staff_a")
    page.goto(f"{live_server.url}{FORM}")
    _kept_offline(page, staff.pk)
    page.reload()  # the worker now controls the page
    _fill(page, evidence, place="Ndassima")

    context.set_offline(True)
    page.get_by_role("button", name="Save and submit").click()

    # The worker kept the post and showed the form again, from its copy.
    expect(page.get_by_role("heading", name="Log an incident")).to_be_visible()
    expect(page.locator("#outbox")).to_contain_text("1 incident waiting to be sent")
    expect(page.locator("#outbox")).to_contain_text("Ndassima — Malicious act")
    expect(page.locator("#outbox-status")).to_contain_text("Saved in this browser")
    assert "kept=1" not in page.url

    context.set_offline(False)
    page.get_by_role("button", name="Send now").click()
    expect(page.locator("#outbox")).to_be_hidden(timeout=20000)
    incident = Incident.objects.get(place="Ndassima")
    assert incident.status == "submitted"
    assert Attachment.objects.filter(incident=incident).count() == 1


def test_an_incident_the_server_refuses_stays_in_the_outbox_and_opens_with_the_reason(
    people, live_server, page, context, login, evidence
):
    staff = people.users["staff_a"]
    login(page, live_server, "staff_a")
    page.goto(f"{live_server.url}{FORM}")
    _kept_offline(page, staff.pk)

    context.set_offline(True)
    _fill(page, evidence, place="Bambouti")
    page.locator("#id_incident_type").select_option("accident")  # with an attack type
    page.get_by_role("button", name="Save as draft").click()
    expect(page.locator("#outbox")).to_contain_text("1 incident waiting to be sent")

    context.set_offline(False)
    outbox = page.locator("#outbox")
    expect(outbox).to_contain_text("Refused by the server", timeout=20000)
    expect(outbox).to_contain_text("An attack type is only for malicious acts")
    assert not Incident.objects.filter(place="Bambouti").exists()

    outbox.get_by_role("button", name="Open it").click()
    expect(page.locator(".error-summary")).to_contain_text(
        "An attack type is only for malicious acts"
    )
    expect(page.locator("#id_place")).to_have_value("Bambouti")
    expect(page.locator("#outbox")).to_be_hidden()
    page.locator("#id_incident_type").select_option("malicious_act")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.get_by_role("status").first).to_contain_text("saved as a draft")
    assert Incident.objects.filter(place="Bambouti").count() == 1


def test_an_edit_made_offline_over_a_colleagues_change_opens_on_the_conflict_page(
    people, live_server, page, context, login
):
    from datetime import UTC, datetime

    from incidents.services import incident_record, incident_update

    staff = people.users["staff_a"]
    draft = incident_record(
        actor=staff,
        mission=people.mission_a,
        occurred_at=datetime.now(UTC) - timedelta(days=2),
        incident_type="malicious_act",
        place="Bangassou",
        narrative="First account.",
    )
    login(page, live_server, "staff_a")
    page.goto(f"{live_server.url}/incidents/{draft.reference}/edit/")

    context.set_offline(True)
    page.locator("#id_narrative").fill("Second account, from the team site.")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.locator("#outbox")).to_contain_text("1 incident waiting to be sent")
    # Meanwhile a colleague changes the place on the server.
    incident_update(actor=people.users["admin"], incident=draft, place="Bangassou ferry")

    context.set_offline(False)
    outbox = page.locator("#outbox")
    expect(outbox).to_contain_text("Changed by someone else meanwhile", timeout=20000)
    draft.refresh_from_db()
    assert draft.narrative == "First account."  # nothing overwritten silently

    outbox.get_by_role("button", name="Open it").click()
    expect(page.locator(".conflict")).to_contain_text("Bangassou ferry")
    expect(page.locator("#id_narrative")).to_have_value("Second account, from the team site.")
    expect(page.locator("#id_place")).to_have_value("Bangassou ferry")
