"""What each role's dashboard shows: one desk per role.

Read-only selectors over `visible_to(user)`, each figure from the module that holds its
rule: scope from missions/scope.py, impunity and "no investigation" from
accountability/impunity.py, "overdue" and "due" and the Council figures from
accountability/figures.py, "detained without trial" and "at large" from the suspects'
queryset. A desk lists only what the user's memberships reach, so a nationality or
contributor liaison sees the cases where its nationals or contingents were harmed, and a
host State's liaison the cases of its State, the communications it is to answer and the
reports addressed to it.

- mission staff: their drafts, incidents awaiting verification, the mission's figures;
- legal officers: cases without investigation, procedure steps awaited (a trial for the
  detained, an arrest for those at large), communications due and overdue, reports;
- analysts: the Council's figures this year, cases and impunity cases, latest exports;
- liaisons: the State's cases by stage, impunity cases, communications awaiting the
  State's answer, reports received and to acknowledge.

Reports and exports are apps above this one: their models are asked for by label
(`apps.get_model`), a dependency on their tables, not on their code
(docs/developers/architecture.md).
"""

from datetime import date

from django.apps import apps
from django.conf import settings
from django.db.models import Count, F, Q
from django.utils import timezone

from accountability.choices import CaseStage
from accountability.figures import FIGURES, due_soon_q, figure_count, figure_rows, overdue_q
from accountability.impunity import without_investigation
from accountability.models import Case, FollowUp, Suspect
from incidents.choices import IncidentStatus, Outcome
from incidents.listing import html_rows
from incidents.models import Casualty, Incident
from incidents.querysets import TABLE_VALUES
from missions.models import Country, Mission
from missions.scope import answering_state_ids, managed_case_q, user_scope
from peacekeeping.jobs import DONE

DESK_ROWS = 10
RECENT = 10


def _impunity_q() -> Q:
    return Q(pk__in=Case.objects.impunity().values("pk"))


def _count_beyond(rows: list, queryset) -> int:
    """How many in all: the rows shown when fewer than a page, else one COUNT."""
    return len(rows) if len(rows) < DESK_ROWS else queryset.count()


# --- mission staff ------------------------------------------------------------------------


def staff_desk(user, mission_ids: frozenset[int]) -> dict:
    """Their missions' drafts, incidents awaiting verification, recent incidents, this
    year's toll and cases by stage (stage only: mission staff never see suspects)."""
    incidents = Incident.objects.visible_to(user).filter(mission_id__in=mission_ids)
    year = timezone.localdate().year
    # Submitted and verified incidents only: a draft's figures are not yet reported.
    toll = (
        Casualty.objects.visible_to(user)
        .filter(incident__mission_id__in=mission_ids, incident__occurred_at__year=year)
        .exclude(incident__status=IncidentStatus.DRAFT)
        .aggregate(
            killed=Count("pk", filter=Q(outcome=Outcome.KILLED)),
            injured=Count("pk", filter=Q(outcome=Outcome.INJURED)),
        )
    )
    counts = dict(
        Case.objects.visible_to(user)
        .filter(mission_id__in=mission_ids)
        .order_by()
        .values_list("stage")
        .annotate(n=Count("pk"))
    )
    awaiting = incidents.filter(status=IncidentStatus.SUBMITTED)
    # select_related: each line names its mission.
    awaiting_rows = list(awaiting.select_related("mission").order_by("submitted_at", "id")[:RECENT])
    missions = list(Mission.objects.filter(pk__in=mission_ids).only("acronym", "name_en"))
    return {
        "missions": missions,
        "recent": html_rows(
            incidents.list_values(TABLE_VALUES).order_by("-occurred_at", "-id")[:RECENT],
            missions={mission.pk: mission.acronym for mission in missions},
        ),
        "drafts": list(
            incidents.filter(status=IncidentStatus.DRAFT)
            .select_related("mission")
            .order_by("-updated_at")[:RECENT]
        ),
        "to_verify": awaiting_rows,
        "to_verify_total": _count_beyond(awaiting_rows, awaiting),
        "year": year,
        "killed": toll["killed"],
        "injured": toll["injured"],
        "cases_by_stage": [(label, counts.get(stage, 0)) for stage, label in CaseStage.choices],
        "cases_total": sum(counts.values()),
    }


# --- legal officers -----------------------------------------------------------------------


def legal_desk(user) -> dict:
    """The legal officer's tasks on the cases it manages (missions/scope.py)."""
    today = date.today()
    managed = Case.objects.visible_to(user).filter(managed_case_q(user))
    days = settings.TASK_NO_INVESTIGATION_DAYS
    # Tracked cases only: the UN file's historical records have no investigation on
    # record by construction; the board lists them (filter "Origin").
    no_investigation = without_investigation(
        managed.open().filter(opened_by_import=False), days=days, as_of=today
    ).select_related("host_state")
    no_investigation_rows = list(no_investigation.order_by("attack_date", "id")[:DESK_ROWS])
    suspects = Suspect.objects.filter(case__in=managed.values("pk"))
    detention_days = settings.FOLLOWUP_DETENTION_THRESHOLD_DAYS
    detained = suspects.detained_without_trial(days=detention_days, as_of=today)
    # select_related: each line names its case.
    detained_rows = list(
        detained.select_related("case").order_by("custody_since", "id")[:DESK_ROWS]
    )
    at_large = suspects.at_large()
    at_large_rows = list(at_large.select_related("case").order_by("status_since", "id")[:DESK_ROWS])
    communications = FollowUp.objects.filter(case__in=managed.values("pk")).select_related("case")
    overdue = communications.filter(overdue_q(today))
    overdue_rows = list(overdue.order_by("response_due", "id")[:DESK_ROWS])
    due = communications.filter(due_soon_q(today, settings.FOLLOWUP_DUE_SOON_DAYS))
    due_rows = list(due.order_by("response_due", "id")[:DESK_ROWS])
    # select_related: each line names its State and says whether receipt was acknowledged.
    reports = list(
        apps.get_model("reports", "FollowUpReport")
        .objects.visible_to(user)
        .filter(status=DONE)
        .select_related("host_state", "mission", "acknowledgement")
        .order_by("-finished_at", "-id")[:5]
    )
    for report in reports:
        report.acknowledged = getattr(report, "acknowledgement", None)
    return {
        "task_days": days,
        "detention_days": detention_days,
        "due_days": settings.FOLLOWUP_DUE_SOON_DAYS,
        "no_investigation": no_investigation_rows,
        "no_investigation_total": _count_beyond(no_investigation_rows, no_investigation),
        "detained": detained_rows,
        "detained_total": _count_beyond(detained_rows, detained),
        "at_large": at_large_rows,
        "at_large_total": _count_beyond(at_large_rows, at_large),
        "overdue": overdue_rows,
        "overdue_total": _count_beyond(overdue_rows, overdue),
        "due": due_rows,
        "due_total": _count_beyond(due_rows, due),
        "reports": reports,
    }


# --- analysts -----------------------------------------------------------------------------


def analyst_desk(user) -> dict:
    """The Council's five figures since 1 January, the cases and impunity cases, and the
    user's latest exports: everything in the user's scope."""
    today = timezone.localdate()
    first = today.replace(month=1, day=1)
    incidents = Incident.objects.visible_to(user)
    cases = Case.objects.visible_to(user)
    suspect_cases = Case.objects.with_visible_suspects(user)
    figures = {
        key: figure_count(
            figure_rows(
                key,
                incidents=incidents,
                cases=cases,
                suspect_cases=suspect_cases,
                first=first,
                last=today,
            ),
            key,
        )
        for key in FIGURES
    }
    totals = cases.order_by().aggregate(
        n=Count("pk"),
        open=Count("pk", filter=~Q(stage__in=[CaseStage.VERDICT, CaseStage.CLOSED])),
        impunity=Count("pk", filter=_impunity_q()),
    )
    return {
        "figures_year": today.year,
        "council_figures": figures,
        "analyst_cases": totals["n"],
        "analyst_open": totals["open"],
        "analyst_impunity": totals["impunity"],
        "exports": list(
            apps.get_model("exports", "ExportJob")
            .objects.visible_to(user)
            .filter(user=user)
            .order_by("-created_at", "-id")[:5]
        ),
    }


# --- liaisons -----------------------------------------------------------------------------


def liaison_desk(user) -> dict:
    """The liaison's States, their cases by stage with the impunity cases among them, the
    impunity cases themselves, the communications awaiting the State's answer and the
    reports addressed to the State."""
    scope = user_scope(user)
    cases = Case.objects.visible_to(user)
    impunity = _impunity_q()
    # One query: per stage, the cases and the impunity cases.
    figures = {
        stage: (n, n_impunity)
        for stage, n, n_impunity in cases.order_by()
        .values_list("stage")
        .annotate(n=Count("pk"), n_impunity=Count("pk", filter=impunity))
    }
    answering = answering_state_ids(user)
    awaiting = (
        FollowUp.objects.visible_to(user)
        .filter(case__host_state_id__in=answering, response_received_on__isnull=True)
        # select_related: each line names its case.
        .select_related("case")
        .order_by(F("response_due").asc(nulls_last=True), "sent_on", "id")
    )
    awaiting_rows = list(awaiting[:DESK_ROWS])
    context = {
        "liaison_states": list(
            Country.objects.filter(pk__in=[c for c, _b, _s in scope.liaisons]).order_by("name_en")
        ),
        "desk_by_stage": [
            (label, *figures.get(stage, (0, 0))) for stage, label in CaseStage.choices
        ],
        "desk_cases_total": sum(n for n, _i in figures.values()),
        "desk_impunity_total": sum(i for _n, i in figures.values()),
        "desk_impunity": list(
            cases.filter(impunity)
            .select_related("host_state")
            .order_by("attack_date", "id")[:DESK_ROWS]
        ),
        "desk_awaiting": awaiting_rows,
        "desk_awaiting_total": _count_beyond(awaiting_rows, awaiting),
        "desk_answers": bool(answering),
    }
    if answering:
        # The finished reports addressed to the State (FollowUpReport.visible_to gives a
        # host State's liaison those only); select_related: the State and the receipt.
        reports = (
            apps.get_model("reports", "FollowUpReport")
            .objects.visible_to(user)
            .filter(host_state_id__in=answering, status=DONE)
        )
        received = list(
            reports.select_related("host_state", "acknowledgement").order_by("-finished_at", "-id")[
                :DESK_ROWS
            ]
        )
        for report in received:
            report.acknowledged = getattr(report, "acknowledgement", None)
        context["desk_reports"] = received
        context["desk_reports_to_acknowledge"] = (
            sum(1 for r in received if not r.acknowledged)
            if len(received) < DESK_ROWS
            else reports.filter(acknowledgement__isnull=True).count()
        )
    return context
