"""E-mails that follow an incident: the mission's legal officers learn a case was opened.

Sent by the Celery task `incidents.tasks.notify_case_opened`, queued through the
transactional outbox (peacekeeping/outbox.py) by `accountability.services.case_open`, so
a submission made while Redis is down still notifies once the queue is back.
"""

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from missions.scope import case_legal_officers_q
from peacekeeping.accounts.models import recipient_language
from peacekeeping.audit import audit_record
from peacekeeping.models import AuditEntry

NOTIFIED = "case.notify_opened"


def case_legal_officers(case):
    """Active legal officers with an e-mail address responsible for the case: of its
    mission, of its host State, or of everything."""
    from missions.models import Membership

    memberships = Membership.objects.filter(case_legal_officers_q(case))
    return (
        get_user_model()
        .objects.filter(is_active=True, pk__in=memberships.values("user_id"))
        .exclude(email="")
        .order_by("email")
    )


def _case_opened_letter(case, language: str) -> tuple[str, str]:
    """The subject and body of the case-opened e-mail in `language`."""
    with translation.override(language):
        subject = _("New case %(reference)s (%(mission)s)") % {
            "reference": case.reference,
            "mission": case.mission.acronym,
        }
        # Each count agrees with its noun: "1 peacekeeper killed", "2 Casques bleus tués".
        killed = ngettext(
            "%(count)s peacekeeper killed", "%(count)s peacekeepers killed", case.killed
        ) % {"count": case.killed}
        injured = ngettext("%(count)s injured", "%(count)s injured", case.injured) % {
            "count": case.injured
        }
        body = _(
            "A case was opened for the attack of %(date)s against %(mission)s: "
            "%(killed)s, %(injured)s.\n\n"
            "Open it to record the investigation and follow up with the host State:\n%(link)s\n"
        ) % {
            "date": date_format(case.attack_date, "DATE_FORMAT"),
            "mission": case.mission.acronym,
            "killed": killed,
            "injured": injured,
            "link": settings.SITE_URL
            + reverse("accountability:case_detail", args=[case.reference]),
        }
    return subject, body


@transaction.atomic
def case_opened_notify(*, case_id: int) -> int:
    """E-mail the case's legal officers that it was opened, once; how many were sent.

    The audit entry is the claim: the case row is locked while it is looked for and
    written, so a task delivered twice sends once (a crash after sending and before the
    commit may send twice: better than never).
    """
    # The case's table, not the app above's code (as missions/scope.py reads it).
    Case = apps.get_model("accountability", "Case")
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("mission", "host_state")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        return 0
    if AuditEntry.objects.filter(
        action=NOTIFIED, object_type="accountability.case", object_id=str(case.pk)
    ).exists():
        return 0
    # select_related: each recipient's language preference, in the same query.
    recipients = list(case_legal_officers(case).select_related("preference"))
    fallback = case.host_state.working_language if case.host_state else None
    # Each officer reads it in their own language (the one they chose in the app); the
    # host State's working language for those who never chose.
    letters: dict[str, tuple[str, str]] = {}
    for user in recipients:
        language = recipient_language(user, fallback)
        if language not in letters:
            letters[language] = _case_opened_letter(case, language)
        subject, body = letters[language]
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]).send()
    audit_record(
        actor=None,
        action=NOTIFIED,
        obj=case,
        changes={"recipients": [None, len(recipients)]},
    )
    return len(recipients)
