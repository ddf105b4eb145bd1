"""The impunity rule of resolution 2589, its reasons, and "last progress": one module.

A case is an impunity case, as of a day D, when a peacekeeper was killed or injured in
the attack (dated on or before D), no conviction stands on D, and either

- **no investigation**: the attack is at least IMPUNITY_NO_INVESTIGATION_DAYS old and no
  investigation of the host State's own authorities had been opened within that many
  days of it; or
- **no progress**: nothing has progressed for IMPUNITY_NO_PROGRESS_DAYS (the last
  progress, or the attack when there was none, is that old).

Only acts of the host State's own authorities stop the clock
(`accountability.choices.HOST_STATE_AUTHORITIES`: police or gendarmerie acting as judicial
police, prosecutors and investigating judges, military justice, courts). A UN board of
inquiry, a contributing country's national inquiry or a UN special investigation is
recorded and shown, and neither opens the investigation nor counts as progress.

Progress is any dated act of the host State's justice: an investigation of its
authorities opened, changing status or closed, and any step of a suspect's procedure.
A case closed without charge, or whose suspects were acquitted, has no conviction: the
rule still applies to it.

Every page, API, export, indicator and report calls this module:

- `impunity_cases(cases, as_of=...)`: the cases of a queryset the rule flags;
- `with_impunity(cases, as_of=...)`: the same cases annotated with the rule's parts
  (`impunity`, `impunity_no_investigation`, `impunity_no_progress`,
  `impunity_progress_on`, `impunity_convicted`), for lists that show every case;
- `impunity_reasons(case)`: the reasons of an annotated case, as codes;
- `stops_the_clock(authority)`, `host_state_investigations(...)`, `progress_events(...)`;
- `investigation_opened_on(case)` and `last_progress_on(case)`: the case's stored
  fields, recomputed from its rows by the services.

As of today (or later) the rule reads the case's stored fields (one indexed query); as of
a past day it reads the rows dated up to that day, so a conviction or a step recorded
later does not change a past report or indicator.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from accountability.choices import HOST_STATE_AUTHORITIES, ProcedureStepKind
from accountability.selectors import VERDICTS

NO_INVESTIGATION = "no_investigation"
NO_PROGRESS = "no_progress"
REASONS = (NO_INVESTIGATION, NO_PROGRESS)

# Case events that are an act of the host State's justice when their investigation (if
# any) is of a host-State authority; the UN's own follow-up and support never are.
PROGRESS_EVENT_KINDS = frozenset({"investigation_opened", "investigation_status", "procedure_step"})


def stops_the_clock(authority: str) -> bool:
    """Whether an investigation by this authority opens the investigation and is progress."""
    return authority in HOST_STATE_AUTHORITIES


def no_investigation_days() -> int:
    return settings.IMPUNITY_NO_INVESTIGATION_DAYS


def no_progress_days() -> int:
    return settings.IMPUNITY_NO_PROGRESS_DAYS


def host_state_investigations(investigations: QuerySet, prefix: str = "") -> QuerySet:
    """The investigations of the host State's own authorities (`prefix`: a path to them)."""
    return investigations.filter(**{f"{prefix}authority__in": HOST_STATE_AUTHORITIES})


def progress_events(events: QuerySet) -> QuerySet:
    """The case events that are progress: host-State investigations and procedure steps."""
    return events.filter(kind__in=PROGRESS_EVENT_KINDS).filter(
        Q(investigation__isnull=True) | Q(investigation__authority__in=HOST_STATE_AUTHORITIES)
    )


# --- the case's stored fields, recomputed from its rows --------------------------------


def investigation_opened_on(case) -> date | None:
    """The day the host State's authorities first opened an investigation (or None)."""
    opened = host_state_investigations(case.investigations.filter(opened_on__isnull=False))
    return opened.order_by("opened_on").values_list("opened_on", flat=True).first()


def last_progress_on(case) -> date | None:
    """The day of the case's last progress (or None): see the module's docstring."""
    from accountability.models import ProcedureStep

    investigations = host_state_investigations(case.investigations.all()).aggregate(
        opened=Max("opened_on"), closed=Max("closed_on")
    )
    dates = [
        investigations["opened"],
        investigations["closed"],
        ProcedureStep.objects.filter(suspect__case=case).aggregate(d=Max("occurred_on"))["d"],
        progress_events(case.events.all()).aggregate(d=Max("occurred_on"))["d"],
    ]
    return max((d for d in dates if d), default=None)


# --- the rule, as one query --------------------------------------------------------------


def _latest(rows: QuerySet, group: str, column: str):
    per_case = rows.order_by().values(group).annotate(d=Max(column)).values("d")[:1]
    return Coalesce(Subquery(per_case), F("attack_date"))


def _progress_as_of(as_of: date):
    """The case's last progress on or before `as_of`, or its attack date."""
    from accountability.models import CaseEvent, Investigation, ProcedureStep

    case = OuterRef("pk")
    investigations = host_state_investigations(Investigation.objects.filter(case=case))
    return Greatest(
        F("attack_date"),
        _latest(
            ProcedureStep.objects.filter(suspect__case=case, occurred_on__lte=as_of),
            "suspect__case",
            "occurred_on",
        ),
        _latest(investigations.filter(opened_on__lte=as_of), "case", "opened_on"),
        _latest(investigations.filter(closed_on__lte=as_of), "case", "closed_on"),
        _latest(
            progress_events(CaseEvent.objects.filter(case=case, occurred_on__lte=as_of)),
            "case",
            "occurred_on",
        ),
    )


def _convicted_as_of(as_of: date):
    """A suspect of the case stands convicted on `as_of`: their latest verdict so far is a
    conviction (an acquittal on appeal undoes it)."""
    from accountability.models import ProcedureStep, Suspect

    last_verdict = Subquery(
        ProcedureStep.objects.filter(
            suspect=OuterRef("pk"), kind__in=VERDICTS, occurred_on__lte=as_of
        )
        .order_by("-occurred_on", "-id")
        .values("kind")[:1]
    )
    return Exists(
        Suspect.objects.filter(case=OuterRef("pk"))
        .annotate(verdict=last_verdict)
        .filter(verdict=ProcedureStepKind.CONVICTED)
    )


def with_impunity(cases: QuerySet, *, as_of: date | None = None) -> QuerySet:
    """The cases annotated with the rule's parts as of `as_of` (default today).

    `impunity_progress_on` (date), `impunity_convicted`, `impunity_no_investigation`,
    `impunity_no_progress` and `impunity` (booleans). Cases attacked after `as_of` are
    never in impunity on that day.
    """
    today = timezone.localdate()
    as_of = as_of or today
    if as_of >= today:
        # The stored fields are the rows' values today (the services keep them in step).
        progress = Coalesce(F("last_progress_on"), F("attack_date"))
        convicted = ExpressionWrapper(Q(has_conviction=True), output_field=BooleanField())
    else:
        progress = _progress_as_of(as_of)
        convicted = _convicted_as_of(as_of)
    deadline_days = no_investigation_days()
    # The first host-State investigation is on time only if opened within the delay,
    # itself on or before as_of whenever this part applies: the stored
    # `investigation_opened_on` is safe to read for any as_of.
    no_investigation = Q(attack_date__lte=as_of - timedelta(days=deadline_days)) & (
        Q(investigation_opened_on__isnull=True)
        | Q(investigation_opened_on__gt=F("attack_date") + timedelta(days=deadline_days))
    )
    no_progress = Q(impunity_progress_on__lte=as_of - timedelta(days=no_progress_days()))
    eligible = (Q(killed__gt=0) | Q(injured__gt=0)) & Q(attack_date__lte=as_of)
    return cases.annotate(
        impunity_progress_on=progress,
        impunity_convicted=convicted,
    ).annotate(
        impunity_no_investigation=ExpressionWrapper(no_investigation, output_field=BooleanField()),
        impunity_no_progress=ExpressionWrapper(no_progress, output_field=BooleanField()),
        impunity=ExpressionWrapper(
            eligible & Q(impunity_convicted=False) & (no_investigation | no_progress),
            output_field=BooleanField(),
        ),
    )


def impunity_cases(cases: QuerySet, *, as_of: date | None = None) -> QuerySet:
    """The cases of `cases` the rule flags as of `as_of` (default today)."""
    return with_impunity(cases, as_of=as_of).filter(impunity=True)


def impunity_exists(*, as_of: date | None = None):
    """An EXISTS that annotates any queryset of cases with the rule (one query)."""
    from accountability.models import Case

    return Exists(impunity_cases(Case.objects.filter(pk=OuterRef("pk")), as_of=as_of))


def without_investigation(cases: QuerySet, *, days: int, as_of: date | None = None) -> QuerySet:
    """The cases whose attack is at least `days` old and for which the host State's
    authorities have opened no investigation yet (a legal officer's task before the
    impunity rule's own delay runs out)."""
    as_of = as_of or timezone.localdate()
    return cases.filter(
        attack_date__lte=as_of - timedelta(days=days), investigation_opened_on__isnull=True
    )


def impunity_reasons(case) -> list[str]:
    """The reasons a case annotated by `with_impunity` is flagged, as codes (or [])."""
    if not getattr(case, "impunity", False):
        return []
    return [
        reason
        for reason, met in (
            (NO_INVESTIGATION, case.impunity_no_investigation),
            (NO_PROGRESS, case.impunity_no_progress),
        )
        if met
    ]


def case_impunity_reasons(case, *, as_of: date | None = None) -> list[str]:
    """The reasons one case is flagged as of `as_of`, as codes ([] when it is not): one
    query."""
    annotated = with_impunity(type(case).objects.filter(pk=case.pk), as_of=as_of).first()
    return impunity_reasons(annotated) if annotated else []


def case_in_impunity(case, *, as_of: date | None = None) -> bool:
    """Whether one case is flagged (one query)."""
    return impunity_cases(type(case).objects.filter(pk=case.pk), as_of=as_of).exists()


__all__ = [
    "NO_INVESTIGATION",
    "NO_PROGRESS",
    "PROGRESS_EVENT_KINDS",
    "REASONS",
    "case_impunity_reasons",
    "case_in_impunity",
    "host_state_investigations",
    "impunity_cases",
    "impunity_exists",
    "impunity_reasons",
    "investigation_opened_on",
    "last_progress_on",
    "no_investigation_days",
    "no_progress_days",
    "progress_events",
    "stops_the_clock",
    "with_impunity",
    "without_investigation",
]
