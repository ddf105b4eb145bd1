"""The case-opened e-mail goes to each legal officer in the language they chose in the
app; those who never chose get the host State's working language."""

import pytest
from django.core import mail

from incidents.notifications import case_opened_notify
from peacekeeping.accounts.services import user_preference_set_language
from peacekeeping.models import AuditEntry
from tests.i18n.helpers import ensure_compiled

pytestmark = pytest.mark.django_db


def test_each_legal_officer_reads_the_case_opened_email_in_their_own_language(world):
    ensure_compiled()
    case = world.case_a  # CAF: French is the host State's working language
    AuditEntry.objects.filter(action="case.notify_opened").delete()
    english_reader = world.users["legal_a"]
    user_preference_set_language(user=english_reader, language="en")
    mail.outbox.clear()

    sent = case_opened_notify(case_id=case.pk)

    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert sent == len(by_recipient) >= 1
    english = by_recipient[english_reader.email]
    assert english.subject.startswith("New case ")
    assert case.attack_date.strftime("%-d %B %Y") in english.body  # UN style: 6 December 2026
    others = [m for email, m in by_recipient.items() if email != english_reader.email]
    assert all(not m.subject.startswith("New case ") for m in others)
