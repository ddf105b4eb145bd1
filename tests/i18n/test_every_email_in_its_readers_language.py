"""Every e-mail the app sends is written in its recipient's own language (the one they
chose in the app), whoever or whatever triggered it, with plurals that agree with their
counts and dates in the UN's style: the case-opened e-mail, notifications one by one and
in the daily digest, the impunity digest's subject and the password reset."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from accountability.models import Case, NotificationPreference
from accountability.notifications.models import Delivery, NotificationKind
from accountability.notifications.services import (
    notifications_create,
    notifications_send_digest,
)
from accountability.reports.labels import digest_subject
from incidents.notifications import case_opened_notify
from missions.choices import Role
from missions.services import membership_grant
from peacekeeping.accounts.models import recipient_language
from peacekeeping.accounts.services import user_preference_set_language
from peacekeeping.models import AuditEntry
from tests.factories import UserFactory
from tests.i18n.helpers import ensure_compiled

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def compiled():
    ensure_compiled()


@pytest.fixture
def readers(world):
    """MINUSCA's legal officer reads English; a second one of the mission reads French."""
    english = world.users["legal_a"]
    french = UserFactory(username="legal_fr")
    membership_grant(
        actor=world.users["admin"], user=french, role=Role.LEGAL_OFFICER, mission=world.mission_a
    )
    user_preference_set_language(user=english, language="en")
    user_preference_set_language(user=french, language="fr")
    return english, french


def _mail_to(user):
    return next(m for m in mail.outbox if m.to == [user.email])


@pytest.mark.parametrize(
    ("killed", "injured", "english", "french"),
    [
        (1, 0, "1 peacekeeper killed, 0 injured.", "1 Casque bleu tué, 0 blessé."),
        (2, 3, "2 peacekeepers killed, 3 injured.", "2 Casques bleus tués, 3 blessés."),
    ],
)
def test_the_case_opened_email_counts_with_plurals_in_each_language(
    world, readers, killed, injured, english, french
):
    case = world.case_a
    Case.objects.filter(pk=case.pk).update(killed=killed, injured=injured)
    AuditEntry.objects.filter(action="case.notify_opened").delete()
    reader_en, reader_fr = readers
    mail.outbox.clear()

    case_opened_notify(case_id=case.pk)

    assert english in _mail_to(reader_en).body
    assert "(s)" not in _mail_to(reader_en).body
    body_fr = _mail_to(reader_fr).body
    assert french in body_fr
    assert "\u00a0: " in body_fr  # French typography before the colon
    assert "(s)" not in body_fr


def test_an_immediate_notification_is_in_the_readers_language_with_a_un_date(
    world, django_capture_on_commit_callbacks
):
    legal = world.users["legal_a"]
    user_preference_set_language(user=legal, language="fr")
    NotificationPreference.objects.create(
        user=legal, kind=NotificationKind.STATE_ANSWERED, delivery=Delivery.IMMEDIATE
    )
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        notifications_create(
            kind=NotificationKind.STATE_ANSWERED,
            event_key="answer-1",
            case_id=world.case_a.pk,
            data={"sent_on": "2026-03-10"},
        )

    message = _mail_to(legal)
    assert message.subject.startswith("Justice pour les Casques bleus\u00a0: ")
    assert "communication du 10 mars 2026" in message.body
    assert "2026-03-10" not in message.body


@pytest.mark.parametrize(
    ("count", "english", "french"),
    [
        (1, "1 new notification", "1 nouvelle notification"),
        (2, "2 new notifications", "2 nouvelles notifications"),
    ],
)
def test_the_daily_digest_counts_with_plurals_in_each_readers_language(
    world, readers, count, english, french
):
    reader_en, reader_fr = readers
    for n in range(count):
        notifications_create(
            kind=NotificationKind.CASE_OPENED, event_key=f"k{n}", case_id=world.case_a.pk
        )
    mail.outbox.clear()

    notifications_send_digest()

    assert _mail_to(reader_en).subject.endswith(english)
    assert _mail_to(reader_fr).subject.endswith(french)


def test_a_long_detention_is_told_with_its_date_and_days_in_french(world):
    from accountability.models import Notification
    from accountability.notifications.texts import notification_text

    notification = Notification(
        kind=NotificationKind.DETENTION,
        data={"reference": "CASE-1", "since": "2026-01-05", "days": 1},
    )

    with translation.override("fr"):
        text = notification_text(notification)

    assert "depuis le 5 janvier 2026 (plus de 1 jour)" in text


@pytest.mark.parametrize(
    ("language", "count", "subject"),
    [
        ("en", 1, "Impunity digest, MINUSCA: 1 case crossed a threshold this week"),
        ("en", 3, "Impunity digest, MINUSCA: 3 cases crossed a threshold this week"),
        ("fr", 1, "Synthèse impunité, MINUSCA\u00a0: 1 affaire a franchi un seuil cette semaine"),
        (
            "fr",
            3,
            "Synthèse impunité, MINUSCA\u00a0: 3 affaires ont franchi un seuil cette semaine",
        ),
    ],
)
def test_the_impunity_digest_subject_agrees_with_its_count(language, count, subject):
    with translation.override(language):
        assert digest_subject("MINUSCA", count) == subject


def test_the_password_reset_is_written_in_the_account_holders_language(world, client):
    holder = world.users["legal_a"]
    user_preference_set_language(user=holder, language="fr")
    mail.outbox.clear()

    client.post(reverse("password_reset"), {"email": holder.email}, HTTP_ACCEPT_LANGUAGE="en")

    message = _mail_to(holder)
    assert (
        message.subject == "Réinitialisation du mot de passe\u00a0: Justice pour les Casques bleus"
    )
    assert "Bonjour" in message.body


def test_one_rule_names_the_language_of_every_email(world):
    user = world.users["analyst_a"]
    assert recipient_language(user) == "en"  # never chose: the site's default
    assert recipient_language(user, "fr") == "fr"  # or the sender's fallback
    user_preference_set_language(user=user, language="en")
    assert recipient_language(user, "fr") == "en"  # what they chose comes first
    assert recipient_language(user, "xx") == "en"


def test_no_message_that_counts_leaves_a_plural_to_the_reader():
    """No message of the catalogue with a count leaves "(s)" to the reader: plurals are
    ngettext forms ("1 new notification", "2 nouvelles notifications")."""
    from pathlib import Path

    po = Path(__file__).resolve().parents[2] / "locale/fr/LC_MESSAGES/django.po"
    counting = re.compile(r"%\(count\)|\{count\}|%\(killed\)|%\(days\)")
    left = [
        block
        for block in po.read_text(encoding="utf-8").split("\n\n")
        if "(s)" in block.split("msgstr")[0] and counting.search(block.split("msgstr")[0])
    ]
    assert left == []
