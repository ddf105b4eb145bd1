"""The host State's liaison in a real browser answers a communication with a document;
the legal officer sees the unread count in the header, the notification, and the answer
on the follow-up register and the case. The pages involved have no WCAG violation."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import _report, axe_violations
from tests.personas import build_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
ANSWER = "Le procureur de Bangui a ouvert une information judiciaire le 3 mars."


@pytest.fixture
def people():
    from datetime import UTC, date, datetime

    from accountability.reports.models import FollowUpReport

    world = build_world()
    # The October report, addressed to the Central African Republic.
    world.report_a = FollowUpReport.objects.create(
        host_state=world.host_a,
        period_kind="month",
        period_start=date(2026, 10, 1),
        period_end=date(2026, 10, 31),
        period_label="2026-10",
        language="fr",
        status="done",
        finished_at=datetime(2026, 11, 1, tzinfo=UTC),
    )
    return world


@pytest.fixture
def tasks_in_process():
    """The notification task runs in the server's thread at commit (no worker here)."""
    from peacekeeping.celery import app

    saved = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved


def test_the_liaison_answers_and_the_legal_officer_is_notified(
    people, tasks_in_process, live_server, page, browser, login, screenshot, console_errors
):
    case = people.case_a
    login(page, live_server, "liaison_a")
    # The desk: the communication to answer, the report received, the State's cases by
    # stage, impunity.
    expect(page.locator("#desk-awaiting")).to_contain_text("1 communication awaiting your answer")
    received = page.locator("#desk-received")
    expect(received).to_contain_text("1 report to acknowledge")
    expect(received).to_contain_text("Central African Republic — 2026-10 v1")
    stages = page.locator("#desk-stages")
    expect(stages.get_by_role("row", name="Suspects identified")).to_contain_text("1")
    expect(stages.locator("tfoot")).to_contain_text("1")
    expect(page.locator("#desk-impunity")).to_contain_text(case.reference)
    screenshot(page, "liaison-desk")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Follow-up").click()
    expect(page.get_by_role("heading", name="Follow-up register")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=case.reference)
    assert axe_violations(page) == [], _report(axe_violations(page))
    row.get_by_role("link", name="Answer").click()

    expect(page.get_by_role("heading", name="Answer a communication")).to_be_visible()
    page.get_by_label("The State's answer").fill(ANSWER)
    page.get_by_label("Attached document").set_input_files(
        {"name": "note-verbale.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    screenshot(page, "liaison-answer")
    page.get_by_role("button", name="Send the answer").click()
    expect(page.locator(".messages")).to_contain_text("Your answer on case")
    expect(page.get_by_role("row").filter(has_text=case.reference)).to_contain_text(ANSWER)

    officer = browser.new_context().new_page()
    login(officer, live_server, "legal_a")
    expect(officer.locator("#unread-count")).to_have_text("1 unread")
    officer.get_by_role("link", name="Notifications").click()
    notification = officer.locator(".notification-list li").first
    sent_on = people.case_a.follow_ups.first().sent_on
    expect(notification).to_contain_text(  # the UN's style in prose: "1 March 2026"
        f"The host State answered the communication of {sent_on.day} {sent_on:%B %Y}"
    )
    screenshot(officer, "legal-notifications")
    assert axe_violations(officer) == [], _report(axe_violations(officer))
    notification.get_by_role("link", name="Open").click()
    expect(officer.locator("#follow-ups")).to_contain_text(ANSWER)
    officer.get_by_role("navigation", name="Main").get_by_role("link", name="Follow-up").click()
    answered = officer.get_by_role("row").filter(has_text=case.reference)
    expect(answered).to_contain_text("by the State's liaison")
    expect(answered.get_by_role("link", name="Document: note-verbale.pdf")).to_be_visible()
    assert console_errors == []


def test_the_same_journey_in_french_from_the_desk(
    people, tasks_in_process, live_server, page, browser, login, console_errors
):
    case = people.case_a
    page.context.add_cookies([{"name": "django_language", "value": "fr", "url": live_server.url}])
    login(page, live_server, "liaison_a")
    expect(page.locator("#desk-awaiting")).to_contain_text("1 communication attend votre réponse")
    expect(page.locator("#desk-received")).to_contain_text("1 rapport dont accuser réception")
    assert axe_violations(page) == [], _report(axe_violations(page))
    page.locator("#desk-awaiting").get_by_role("link", name="Répondre").click()

    expect(page.get_by_role("heading", name="Répondre à une communication")).to_be_visible()
    page.get_by_label("La réponse de l’État").fill(ANSWER)
    assert axe_violations(page) == [], _report(axe_violations(page))
    page.get_by_role("button", name="Envoyer la réponse").click()
    expect(page.locator(".messages")).to_contain_text(
        f"Votre réponse sur le dossier {case.reference} a été enregistrée"
    )

    context = browser.new_context()
    context.add_cookies([{"name": "django_language", "value": "fr", "url": live_server.url}])
    officer = context.new_page()
    login(officer, live_server, "legal_a")
    expect(officer.locator("#unread-count")).to_contain_text("1")
    officer.get_by_role("link", name="Notifications").click()
    notification = officer.locator(".notification-list li").first
    expect(notification).to_contain_text("L’État hôte a répondu à la communication du")
    expect(notification).to_contain_text(case.reference)
    notification.get_by_role("link", name="Ouvrir").click()
    expect(officer.locator("#follow-ups")).to_contain_text(ANSWER)
    assert console_errors == []
