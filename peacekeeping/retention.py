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
archiving; removing a name from them is a documented DBA procedure
(docs/operators/backup-and-retention.md).

What is due in each app is that app's rule (`RetentionRule`, registered at start-up:
accountability/retention.py for suspects and casualties' notes); the account traces are
the platform's own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
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


@dataclass(frozen=True)
class RetentionRule:
    """Personal data one app keeps, and how they are erased once their matter has ended.

    The apps that keep such data register their rules when Django starts
    (`AppConfig.ready`): the platform runs them, it does not read the apps' tables.
    """

    name: str  # the key of the run's result (and audit entry): "suspects_anonymised"
    due: Callable[[date], QuerySet]  # the rows due at the cut-off date
    erase: Callable[[list[int]], None]  # anonymise or clear them, by primary key


RULES: dict[str, RetentionRule] = {}


def retention_register(rule: RetentionRule) -> None:
    """Add an app's rule (again at a reload: by name, in the order first registered)."""
    RULES[rule.name] = rule


@transaction.atomic
def retention_apply(*, actor=None, today: date | None = None, dry_run: bool = False) -> dict:
    """Anonymise what is due (see the module docstring); what was (or would be) changed."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    from peacekeeping.accounts.models import UserSession

    cutoff = retention_cutoff(today=today)
    cutoff_time = datetime.combine(cutoff, time.min, tzinfo=UTC)
    due = {
        name: list(rule.due(cutoff).order_by("pk").values_list("pk", flat=True))
        for name, rule in RULES.items()
    }
    traces = {
        "sessions": UserSession.objects.filter(last_seen__lt=cutoff_time),
        "login_attempts": AccessAttempt.objects.filter(attempt_time__lt=cutoff_time),
        "login_failures": AccessFailureLog.objects.filter(attempt_time__lt=cutoff_time),
        "login_logs": AccessLog.objects.filter(attempt_time__lt=cutoff_time),
    }
    result = {
        "cutoff": cutoff.isoformat(),
        "retention_years": settings.RETENTION_YEARS,
        **due,
        **{f"{name}_deleted": query.count() for name, query in traces.items()},
    }
    if dry_run:
        return result

    for name, rule in RULES.items():
        rule.erase(due[name])
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
