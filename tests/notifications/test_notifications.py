"""Notifications: created after the commit through the queue, only within the recipient's
scope, listed and counted, marked read, e-mailed as each user chose, in their language."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from accountability.models import Notification, NotificationPreference
from accountability.notifications.models import Delivery, NotificationKind
from accountability.notifications.services import (
    notifications_create,
    notifications_scan_deadlines,
    notifications_send_digest,
)
from accountability.services import followup_answer, followup_record
from missions.models import Membership
from peacekeeping.outbox_models import OutboxMessage
from tests.access.test_scope import POLICY

pytestmark = pytest.mark.django_db


def _answer(world, follow_up, text="The inquiry is open."):
    return followup_answer(
        actor=world.users["liaison_a"], follow_up=follow_up, answered_on=date.today(), text=text
    )


def _notified(kind) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_the_legal_officer_is_notified_once_the_answer_commits(
    world, followup_a, eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _answer(world, followup_a)
        # Inside the transaction: only the outbox row, no notification yet.
        assert OutboxMessage.objects.filter(task_name__endswith="notify_event").exists()
        assert not Notification.objects.exists()

    assert callbacks
    # Legal officers of mission A and administrators; not the liaison who answered, not
    # mission staff (they never see the follow-up), not mission B's people.
    assert _notified(NotificationKind.STATE_ANSWERED) == {"legal_a"}


def test_nothing_is_notified_when_the_change_rolls_back(
    world, followup_a, eager, django_capture_on_commit_callbacks
):
    queued = OutboxMessage.objects.count()  # the world's own cases, opened earlier
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _answer(world, followup_a)
        raise RuntimeError("the request failed after the service")

    assert not Notification.objects.exists()
    assert OutboxMessage.objects.count() == queued


def test_a_case_opened_is_told_to_exactly_the_users_who_see_it(world):
    notifications_create(
        kind=NotificationKind.CASE_OPENED, event_key="case:a:opened", case_id=world.case_a.pk
    )

    expected = {p for p, (_i, cases, _s) in POLICY.items() if "a" in cases} - {"deactivated"}
    assert _notified(NotificationKind.CASE_OPENED) == expected


def test_an_event_is_notified_once_even_when_the_task_runs_twice(world):
    for _ in range(2):
        notifications_create(
            kind=NotificationKind.CASE_OPENED, event_key="case:a:opened", case_id=world.case_a.pk
        )

    assert Notification.objects.filter(recipient=world.users["legal_a"]).count() == 1


def test_a_notification_about_a_case_the_user_can_no_longer_see_is_not_listed(world, client_of):
    notifications_create(
        kind=NotificationKind.CASE_OPENED, event_key="case:a:opened", case_id=world.case_a.pk
    )
    client = client_of("legal_a")
    assert (
        world.case_a.reference
        in client.get(reverse("notifications:notification_list")).content.decode()
    )
    assert client.get(reverse("notifications:unread_count")).content.decode().startswith("1")

    Membership.objects.filter(user=world.users["legal_a"]).update(mission=world.mission_b)

    listed = client.get(reverse("notifications:notification_list")).content.decode()
    assert world.case_a.reference not in listed
    assert client.get(reverse("notifications:unread_count")).content == b""


def test_mark_one_then_all_as_read(world, client_of):
    for key in ("one", "two", "three"):
        notifications_create(
            kind=NotificationKind.CASE_OPENED, event_key=key, case_id=world.case_a.pk
        )
    client = client_of("legal_a")
    first = Notification.objects.filter(recipient=world.users["legal_a"]).first()

    client.post(reverse("notifications:notification_read", args=[first.pk]))
    assert client.get(reverse("notifications:unread_count")).content.decode().startswith("2")
    client.post(reverse("notifications:notification_read_all"))
    assert client.get(reverse("notifications:unread_count")).content == b""
    # Another user's notification is not found, let alone marked.
    theirs = Notification.objects.filter(recipient=world.users["analyst_a"]).first()
    assert (
        client.post(reverse("notifications:notification_read", args=[theirs.pk])).status_code == 404
    )
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_list_takes_the_same_queries_for_one_or_many(
    world, client_of, django_assert_num_queries
):
    client = client_of("legal_a")
    url = reverse("notifications:notification_list")
    notifications_create(kind=NotificationKind.CASE_OPENED, event_key="k0", case_id=world.case_a.pk)
    # session, user, memberships (scope), the host States of the user's missions (the
    # reports in scope), COUNT for the pages, the page of rows, the unread COUNT.
    with django_assert_num_queries(7):
        client.get(url)
    for n in range(1, 8):
        notifications_create(
            kind=NotificationKind.CASE_OPENED, event_key=f"k{n}", case_id=world.case_a.pk
        )
    with django_assert_num_queries(7):
        response = client.get(url)
    assert response.content.decode().count('id="notification-') == 8


def test_immediate_email_in_the_recipients_own_language(
    world, followup_a, eager, django_capture_on_commit_callbacks
):
    from peacekeeping.accounts.services import user_preference_set_language

    legal = world.users["legal_a"]
    NotificationPreference.objects.create(
        user=legal, kind=NotificationKind.STATE_ANSWERED, delivery=Delivery.IMMEDIATE
    )
    user_preference_set_language(user=legal, language="fr")

    with django_capture_on_commit_callbacks(execute=True):
        _answer(world, followup_a)

    assert [m.to for m in mail.outbox] == [[legal.email]]
    assert "L’État hôte a répondu" in mail.outbox[0].body
    assert world.case_a.reference in mail.outbox[0].body


def test_the_daily_digest_sends_one_email_once_and_none_for_those_who_chose_none(world):
    NotificationPreference.objects.create(
        user=world.users["analyst_a"], kind=NotificationKind.CASE_OPENED, delivery=Delivery.NONE
    )
    for key in ("one", "two"):
        notifications_create(
            kind=NotificationKind.CASE_OPENED, event_key=key, case_id=world.case_a.pk
        )
    assert mail.outbox == []  # the default is the digest

    notifications_send_digest()
    notifications_send_digest()

    recipients = sorted(m.to[0] for m in mail.outbox)
    assert "legal_a@example.org" in recipients
    assert "analyst_a@example.org" not in recipients
    assert len(recipients) == len(set(recipients))
    legal_mail = next(m for m in mail.outbox if m.to == ["legal_a@example.org"])
    assert "2 new notifications" in legal_mail.subject


def test_the_daily_scan_tells_of_overdue_answers_and_long_detentions_once(world):
    followup_record(
        actor=world.users["admin"],
        case=world.case_a,
        sent_on=date.today() - timedelta(days=40),
        channel="letter",
        summary="Where is the suspect held?",
        response_due=date.today() - timedelta(days=10),
    )
    from accountability.services import procedure_record_step

    procedure_record_step(
        actor=world.users["admin"],
        suspect=world.suspect_a,
        kind="arrested",
        occurred_on=date.today() - timedelta(days=200),
        source="Gendarmerie report",
    )

    notifications_scan_deadlines()
    notifications_scan_deadlines()

    overdue = Notification.objects.filter(kind=NotificationKind.COMMUNICATION_DUE)
    assert set(overdue.values_list("recipient__username", flat=True)) == {"legal_a", "liaison_a"}
    assert overdue.count() == 2
    assert _notified(NotificationKind.DETENTION) == {"legal_a"}


def test_each_user_chooses_the_email_per_kind(world, client_of):
    client = client_of("legal_a")
    url = reverse("notifications:notification_preferences")
    data = {kind: Delivery.DIGEST for kind in NotificationKind.values}
    data[NotificationKind.STATE_ANSWERED] = Delivery.IMMEDIATE

    assert client.post(url, data).status_code == 302
    assert (
        NotificationPreference.objects.get(
            user=world.users["legal_a"], kind=NotificationKind.STATE_ANSWERED
        ).delivery
        == Delivery.IMMEDIATE
    )
    data[NotificationKind.CASE_OPENED] = "carrier-pigeon"
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert not NotificationPreference.objects.filter(kind=NotificationKind.CASE_OPENED).exists()
