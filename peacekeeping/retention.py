"""Retention: personal data of matters that ended long ago are anonymised, and audited.

The UN Personal Data Protection and Privacy Principles (2018) ask that personal data be
kept only as long as necessary for the purpose it was collected for. Here the purpose is
accountability for attacks on peacekeepers (Security Council resolution 2589): tracking
each case until justice is done. Once a matter has ended, and RETENTION_YEARS have passed,
`retention_apply` (beat task daily, `manage.py apply_retention`):

- **suspects**: the name becomes `[anonymised #<id>]` and the alias is cleared, for a
  suspect whose judgment became final, who was acquitted or who died, that long ago, and
  for every suspect of a case closed without charge whose last progress is that old.
  The procedure (steps, dates, sentence) stays: the figures the Security Council reads
  (arrests, trials, convictions) do not change;
- **casualties**: the free-text notes (circumstances, injuries: possibly health data)
  of incidents that old which are not part of an open case. Who was harmed, by category
  and nationality, stays: it is the UN's record of its fallen and injured personnel,
  kept for the archival and statistical purposes the principles allow;
- **account traces**: sign-in records (`UserSession`: IP address, browser) and
  django-axes login attempts and logs that old are deleted.

Cases still open are never touched, however old: their purpose has not been met.
Each run writes one audit entry (`retention.apply`) with what it changed, by id, never
the erased values. The row history and the audit trail are append-only and keep the
earlier values: they are the accountability record itself (tamper-evident, readable only
by administrators), retained under the principles' exception for legal claims and
archiving; removing a name from them is a documented DBA procedure (README).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from peacekeeping.audit import audit_record

ANONYMISED_PREFIX = "[anonymised"


def retention_cutoff(*, today: date | None = None, years: int | None = None) -> date:
    """The date before which an ended matter's personal data are anonymised."""
    today = today or timezone.localdate()
    years = years if years is not None else settings.RETENTION_YEARS
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def _suspects_due(cutoff: date):
    from accountability.choices import CaseStage
    from accountability.models import Suspect
    from accountability.procedure import ENDED_STEP_KINDS

    closed_case = Q(case__stage=CaseStage.CLOSED) & Q(
        pk__in=Suspect.objects.alias(
            progress=Coalesce("case__last_progress_on", "case__attack_date")
        )
        .filter(progress__lt=cutoff)
        .values("pk")
    )
    # A suspect's status is their last procedure step.
    ended = Q(status__in=ENDED_STEP_KINDS, status_since__lt=cutoff)
    return Suspect.objects.filter(ended | closed_case).exclude(name__startswith=ANONYMISED_PREFIX)


def _casualties_due(cutoff: date):
    from accountability.models import Case
    from incidents.models import Casualty

    open_incidents = Case.objects.open().values("case_incidents__incident_id")
    return (
        Casualty.objects.filter(incident__occurred_at__date__lt=cutoff)
        .exclude(notes="")
        .exclude(incident_id__in=open_incidents)
    )


@transaction.atomic
def retention_apply(*, actor=None, today: date | None = None, dry_run: bool = False) -> dict:
    """Anonymise what is due (see the module docstring); what was (or would be) changed."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    from peacekeeping.accounts.models import UserSession

    cutoff = retention_cutoff(today=today)
    cutoff_time = datetime.combine(cutoff, time.min, tzinfo=UTC)
    suspects = list(_suspects_due(cutoff).order_by("pk").values_list("pk", flat=True))
    casualties = list(_casualties_due(cutoff).order_by("pk").values_list("pk", flat=True))
    traces = {
        "sessions": UserSession.objects.filter(last_seen__lt=cutoff_time),
        "login_attempts": AccessAttempt.objects.filter(attempt_time__lt=cutoff_time),
        "login_failures": AccessFailureLog.objects.filter(attempt_time__lt=cutoff_time),
        "login_logs": AccessLog.objects.filter(attempt_time__lt=cutoff_time),
    }
    result = {
        "cutoff": cutoff.isoformat(),
        "retention_years": settings.RETENTION_YEARS,
        "suspects_anonymised": suspects,
        "casualty_notes_cleared": casualties,
        **{f"{name}_deleted": query.count() for name, query in traces.items()},
    }
    if dry_run:
        return result

    from accountability.models import Suspect
    from incidents.models import Casualty

    for pk in suspects:
        # One UPDATE per row: each name is distinct, and the history trigger sees each.
        Suspect.objects.filter(pk=pk).update(name=f"{ANONYMISED_PREFIX} #{pk}]", alias="")
    Casualty.objects.filter(pk__in=casualties).update(notes="")
    for query in traces.values():
        query.delete()
    # Every run is audited, even one with nothing to do: the trail shows the job ran.
    audit_record(
        actor=actor,
        action="retention.apply",
        object_type="retention",
        object_id=cutoff.isoformat(),
        changes=result,
    )
    return result
