"""Delivery to the host State: its liaison sees, downloads and acknowledges its State's
reports (and no other State's); the legal officers see the dated acknowledgement; each
person notified reads the e-mail in their own interface language."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse

from accountability.reports.delivery import followup_report_acknowledge
from accountability.reports.models import FollowUpReport, ReportAcknowledgement
from accountability.reports.periods import Period
from accountability.reports.services import followup_report_create, followup_report_request
from peacekeeping.accounts.services import user_preference_set_language
from peacekeeping.errors import DomainError, IllegalTransition, OutOfScope
from peacekeeping.models import AuditEntry

pytestmark = pytest.mark.django_db
S = FollowUpReport.Status


@pytest.fixture
def built(report_world, eager, media_root, django_capture_on_commit_callbacks):
    """CAF's report, built and notified; South Sudan's, built; a CAF report still pending."""
    with django_capture_on_commit_callbacks(execute=True):
        caf = followup_report_request(
            actor=report_world.users["legal_caf"], host_state=report_world.caf
        )
        ssd = followup_report_request(
            actor=report_world.users["legal_ssd"], host_state=report_world.ssd
        )
    pending = followup_report_create(
        host_state=report_world.caf, period=Period.month(2025, 1), requested_by=None
    )
    for report in (caf, ssd):
        report.refresh_from_db()
        assert report.status == S.DONE
    mail.outbox.clear()
    return caf, ssd, pending


def test_the_liaison_sees_and_downloads_its_states_report_and_no_other(client, report_world, built):
    caf, ssd, pending = built
    client.force_login(report_world.users["liaison_caf"])

    listing = client.get(reverse("reports:report_list"))
    detail = client.get(reverse("reports:report_detail", args=[caf.pk]))
    download = client.get(reverse("reports:report_download", args=[caf.pk, "pdf"]))

    assert listing.status_code == 200
    assert list(listing.context["reports"]) == [caf]
    assert detail.status_code == 200 and detail.context["can_acknowledge"]
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    for report in (ssd, pending):
        assert client.get(reverse("reports:report_detail", args=[report.pk])).status_code == 404
        assert (
            client.get(reverse("reports:report_download", args=[report.pk, "pdf"])).status_code
            == 404
        )


def test_the_liaison_acknowledges_receipt_and_the_legal_officers_see_it_in_their_language(
    client, report_world, built, django_capture_on_commit_callbacks
):
    caf, _ssd, _pending = built
    user_preference_set_language(user=report_world.users["legal_caf"], language="fr")
    client.force_login(report_world.users["liaison_caf"])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:report_acknowledge", args=[caf.pk]),
            {"received_on": date.today().isoformat(), "note": "Transmis au ministre"},
        )

    assert response.status_code == 302
    acknowledgement = ReportAcknowledgement.objects.get(report=caf)
    assert acknowledgement.received_on == date.today()
    assert acknowledgement.acknowledged_by == report_world.users["liaison_caf"]
    entry = AuditEntry.objects.get(action="followup_report.acknowledge")
    assert entry.changes["received_on"] == [None, date.today().isoformat()]
    sent = {message.to[0]: message for message in mail.outbox}
    assert sorted(sent) == ["legal_caf@example.org", "legal_minusca@example.org"]
    assert sent["legal_caf@example.org"].subject.startswith("Accusé de réception")
    assert sent["legal_minusca@example.org"].subject.startswith("Receipt acknowledged")
    assert "Transmis au ministre" in sent["legal_caf@example.org"].body

    client.force_login(report_world.users["legal_caf"])
    page = client.get(reverse("reports:report_detail", args=[caf.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert "Receipt acknowledged on" in page.content.decode()
    assert "liaison_caf" in page.content.decode()


def test_receipt_is_acknowledged_once_by_the_liaison_and_never_in_the_future(report_world, built):
    caf, ssd, pending = built
    liaison = report_world.users["liaison_caf"]

    with pytest.raises(DomainError):
        followup_report_acknowledge(
            actor=liaison, report=caf, received_on=date.today() + timedelta(days=1)
        )
    with pytest.raises(DomainError):
        followup_report_acknowledge(
            actor=liaison, report=caf, received_on=date.today() - timedelta(days=400)
        )
    for actor, report in (
        (report_world.users["legal_caf"], caf),  # the UN does not acknowledge its own report
        (liaison, ssd),  # another State's report
        (liaison, pending),  # not built yet
    ):
        with pytest.raises(OutOfScope):
            followup_report_acknowledge(actor=actor, report=report, received_on=date.today())
    assert not ReportAcknowledgement.objects.exists()

    followup_report_acknowledge(actor=liaison, report=caf, received_on=date.today())
    with pytest.raises(IllegalTransition):
        followup_report_acknowledge(actor=liaison, report=caf, received_on=date.today())
    assert ReportAcknowledgement.objects.count() == 1


def test_a_bad_date_on_the_form_changes_nothing(client, report_world, built):
    caf, _ssd, _pending = built
    client.force_login(report_world.users["liaison_caf"])

    response = client.post(
        reverse("reports:report_acknowledge", args=[caf.pk]), {"received_on": "hier"}, follow=True
    )

    assert response.status_code == 200
    assert not ReportAcknowledgement.objects.exists()
    assert "YYYY-MM-DD" in response.content.decode()


def test_the_legal_officer_sets_the_addressee_the_next_report_carries(
    client, report_world, eager, media_root, django_capture_on_commit_callbacks
):
    officer = report_world.users["legal_caf"]
    client.force_login(officer)
    url = reverse("reports:addressee_edit", args=["CAF"])

    refused = client.post(url, {"lines": "   "})
    saved = client.post(url, {"lines": "Ministère de la Justice\nBangui"})
    with django_capture_on_commit_callbacks(execute=True):
        report = followup_report_request(actor=officer, host_state=report_world.caf)
    report.refresh_from_db()

    assert refused.status_code == 200
    assert saved.status_code == 302
    assert report.content["addressee"] == ["Ministère de la Justice", "Bangui"]
    assert AuditEntry.objects.filter(action="report_addressee.set").count() == 1
    client.force_login(report_world.users["liaison_caf"])
    assert client.get(url).status_code == 404
