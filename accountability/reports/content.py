"""The content of a follow-up report: a pure function of the data, the State and the
period.

A report for period P is as of P's last day (or today, for the period under way): attacks
after that day are left out, and stages, custody, days elapsed, overdue communications
and the impunity rule are computed from the steps and events dated up to that day
(accountability/replay.py, accountability/impunity.py, accountability/figures.py). When
the report is built does not matter: building a past period again gives the same content.

Everything is read as plain values (codes, integers, ISO dates) and sorted on explicit
keys, so the same data and period give the same dict, the same canonical JSON and the
same SHA-256, whatever the database returns first. Labels and language are the
renderer's business (render.py); the content only names the language.

A report whose host State is to be determined (`host_state` None) lists, for one
mission, the cases no State has yet been named for: the same format and the same rule,
for the UN's legal officers.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings

from accountability.choices import ProcedureStepKind
from accountability.figures import (
    FIGURES,
    figure_count,
    figure_rows,
    is_overdue,
    outstanding_q,
)
from accountability.impunity import impunity_reasons, with_impunity
from accountability.models import (
    CapacitySupport,
    Case,
    FollowUp,
    Investigation,
    ProcedureStep,
)
from accountability.querysets import AT_LARGE, PRE_TRIAL
from accountability.replay import cases_as_of
from accountability.reports.case_details import add_case_details, sources_coverage
from accountability.reports.models import FollowUpReport, report_addressee_lines
from accountability.reports.periods import Period
from incidents.models import Incident
from missions.models import Country, Mission

# 2: as of the period's last day; cases closed without a conviction; undetermined lists.
SCHEMA_VERSION = 2
K = ProcedureStepKind

# Which procedure steps count as which change, and as which Security Council figure.
CHANGE_OF_STEP = {
    K.ARRESTED: "arrest",
    K.DETAINED: "arrest",
    K.CHARGED: "charge",
    K.COMMITTED_FOR_TRIAL: "charge",
    K.TRIAL_OPENED: "trial",
    K.CONVICTED: "verdict",
    K.ACQUITTED: "verdict",
}
CHANGE_ORDER = ("investigation", "arrest", "charge", "trial", "verdict")
SUMMARY_ROWS = FIGURES


@dataclass(frozen=True)
class ReportSettings:
    """The settings a report depends on; recorded in the content."""

    attacks_since: date
    detention_threshold_days: int
    impunity_no_investigation_days: int
    impunity_no_progress_days: int

    @classmethod
    def from_settings(cls) -> "ReportSettings":
        return cls(
            attacks_since=settings.FOLLOWUP_REPORT_ATTACKS_SINCE,
            detention_threshold_days=settings.FOLLOWUP_DETENTION_THRESHOLD_DAYS,
            impunity_no_investigation_days=settings.IMPUNITY_NO_INVESTIGATION_DAYS,
            impunity_no_progress_days=settings.IMPUNITY_NO_PROGRESS_DAYS,
        )

    def as_dict(self) -> dict:
        return {
            "attacks_since": self.attacks_since.isoformat(),
            "detention_threshold_days": self.detention_threshold_days,
            "impunity_no_investigation_days": self.impunity_no_investigation_days,
            "impunity_no_progress_days": self.impunity_no_progress_days,
        }


def canonical_json(content: dict) -> bytes:
    """The one byte string of a content dict: sorted keys, no spaces, UTF-8."""
    return json.dumps(
        content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def content_sha256(content: dict) -> str:
    return hashlib.sha256(canonical_json(content)).hexdigest()


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def report_day(period: Period, as_of: datetime) -> date:
    """The day a report of `period` is as of: the period's last day, or the build's day
    while the period is under way."""
    return min(period.end, _utc(as_of).date())


def previous_report(*, host_state: Country | None, period: Period, mission: Mission | None = None):
    """The latest complete report of the same State (or undetermined list) on an earlier
    period."""
    return (
        FollowUpReport.objects.for_subject(host_state=host_state, mission=mission)
        .filter(status=FollowUpReport.Status.DONE, period_start__lt=period.start)
        .order_by("-period_start", "-version")
        .only("period_label", "version", "as_of", "content")
        .first()
    )


def covered_cases(host_state: Country | None, *, day: date, cfg, mission: Mission | None = None):
    """The cases a report covers: of the State (or, undetermined, of the mission with no
    State named), attacked between the reports' start date and `day`."""
    cases = Case.objects.filter(attack_date__gte=cfg.attacks_since, attack_date__lte=day)
    if host_state is None:
        return cases.filter(host_state__isnull=True, mission=mission)
    return cases.filter(host_state=host_state)


def _subject(host_state: Country | None, mission: Mission | None) -> dict:
    if host_state is not None:
        return {
            "iso3": host_state.iso3,
            "name_en": host_state.name_en,
            "name_fr": host_state.name_fr,
        }
    return {
        "iso3": "",
        "name_en": f"Host State to be determined ({mission.acronym})",
        "name_fr": f"État hôte à déterminer ({mission.acronym})",
    }


def report_language(host_state: Country | None, mission: Mission | None = None) -> str:
    """The State's working language; for an undetermined list, the one its mission's host
    States share (English when they differ)."""
    if host_state is not None:
        return host_state.working_language
    languages = set(mission.host_countries.values_list("working_language", flat=True))
    return languages.pop() if len(languages) == 1 else "en"


def build_followup_content(
    host_state: Country | None,
    period: Period,
    as_of: datetime,
    report_settings: ReportSettings | None = None,
    *,
    mission: Mission | None = None,
) -> dict:
    """The canonical content of the State's report for `period` (or, with `host_state`
    None, of `mission`'s cases whose host State is to be determined), as of the period's
    last day (`as_of` only caps it, while the period is under way)."""
    cfg = report_settings or ReportSettings.from_settings()
    day = report_day(period, as_of)
    covered = covered_cases(host_state, day=day, cfg=cfg, mission=mission)
    covered_ids = covered.values("pk")
    previous = previous_report(host_state=host_state, period=period, mission=mission)

    replayed = cases_as_of(covered, day=day)
    cases, closed = _cases(covered, replayed, day=day)
    # Place, victims, each suspect's history, communications and the UN's requests.
    cases = add_case_details(cases, as_of_date=day)
    closed = add_case_details(closed, as_of_date=day)
    at_large, detained = _suspects(replayed, day=day, cfg=cfg)
    communications = _communications(covered_ids, day=day)
    # Cumulative since the horizon: what the UN has provided, not only this period's.
    support = (
        _capacity_support(host_state, start=cfg.attacks_since, until=day) if host_state else []
    )
    changes = _changes(covered_ids, start=period.start, until=day)
    summary = _summary(host_state, mission, covered, period_start=period.start, day=day, cfg=cfg)
    summary["counts"] = {
        "open_cases": len(cases),
        "closed_without_conviction": len(closed),
        "impunity_cases": sum(1 for case in (*cases, *closed) if case["impunity"]),
        "suspects_at_large": len(at_large),
        "suspects_detained_without_trial": len(detained),
        "outstanding_communications": len(communications),
        "overdue_responses": sum(1 for item in communications if item["overdue"]),
        "capacity_support": len(support),
        "changes": len(changes),
    }
    return {
        "schema": SCHEMA_VERSION,
        "host_state": _subject(host_state, mission),
        "host_state_to_be_determined": host_state is None,
        "mission": mission.acronym if mission is not None else "",
        "language": report_language(host_state, mission),
        "addressee": report_addressee_lines(host_state) if host_state is not None else [],
        "sources": sources_coverage(host_state),
        "period": period.as_dict(),
        "as_of": datetime.combine(day, time(23, 59, 59), tzinfo=UTC).isoformat(),
        "as_of_date": day.isoformat(),
        "parameters": cfg.as_dict(),
        "previous_report": (
            {
                "period": previous.period_label,
                "version": previous.version,
                "as_of": (previous.content or {}).get("as_of")
                or _utc(previous.as_of).replace(microsecond=0).isoformat(),
            }
            if previous
            else None
        ),
        "summary": summary,
        "cases": cases,
        "closed_cases": closed,
        "suspects_at_large": at_large,
        "suspects_detained_without_trial": detained,
        "communications": communications,
        "capacity_support": support,
        "changes": changes,
    }


def _case_row(case: Case, state, *, day: date) -> dict:
    progress_on = case.impunity_progress_on
    return {
        "reference": case.reference,
        "mission": case.mission.acronym,
        "attack_date": case.attack_date.isoformat(),
        "killed": int(case.killed),
        "injured": int(case.injured),
        "stage": state.stage,
        "investigation_status": state.investigation_status,
        "investigation_opened_on": _iso(state.investigation_opened_on),
        "last_progress_on": _iso(progress_on) if progress_on != case.attack_date else None,
        "days_since_attack": (day - case.attack_date).days,
        "days_since_progress": (day - progress_on).days,
        "suspects": len(state.suspects),
        "impunity": bool(case.impunity),
        "impunity_reasons": impunity_reasons(case),
    }


def _cases(covered, replayed: dict, *, day: date) -> tuple[list[dict], list[dict]]:
    """The open cases, and the cases closed without a conviction (with the reason), as
    of `day`; the rule's flag and reasons on each (accountability/impunity.py)."""
    # select_related: each row names its mission; the rule's parts are annotations.
    rows = with_impunity(covered, as_of=day).select_related("mission").order_by("pk")
    open_cases, closed = [], []
    for case in rows:
        state = replayed[case.pk]
        row = _case_row(case, state, day=day)
        if state.is_open:
            open_cases.append(row)
        elif state.closed_reason:
            row["closed_reason"] = state.closed_reason
            row["closed_on"] = _iso(state.closed_on)
            closed.append(row)
    key = lambda c: (  # noqa: E731
        not c["impunity"],
        -c["days_since_progress"],
        c["attack_date"],
        c["reference"],
    )
    return sorted(open_cases, key=key), sorted(closed, key=key)


def _suspects(replayed: dict, *, day: date, cfg) -> tuple[list[dict], list[dict]]:
    """Suspects at large, and suspects detained without trial for longer than the
    threshold, as of `day` (from their steps dated up to it)."""
    from accountability.models import Suspect

    ids = [pk for state in replayed.values() for pk in state.suspects]
    # select_related: each row names its case and armed group.
    suspects = {
        s.pk: s for s in Suspect.objects.filter(pk__in=ids).select_related("case", "armed_group")
    }
    at_large, detained = [], []
    for state in replayed.values():
        for pk, procedure in state.suspects.items():
            suspect, last = suspects[pk], procedure.last
            row = {
                "case": suspect.case.reference,
                "name": suspect.name,
                "alias": suspect.alias,
                "armed_group": suspect.armed_group.name if suspect.armed_group_id else "",
                "status": last.kind,
                "status_since": _iso(last.occurred_on),
            }
            if last.kind in AT_LARGE and not procedure.in_custody:
                at_large.append(row)
            elif (
                procedure.in_custody
                and last.kind in PRE_TRIAL
                and procedure.custody_since <= day - timedelta(days=cfg.detention_threshold_days)
            ):
                row["custody_since"] = _iso(procedure.custody_since)
                row["days_in_custody"] = (day - procedure.custody_since).days
                detained.append(row)
    at_large.sort(key=lambda r: (r["case"], r["name"], r["status_since"] or "", r["alias"]))
    detained.sort(key=lambda r: (-r["days_in_custody"], r["case"], r["name"], r["alias"]))
    return at_large, detained


def _communications(covered_ids, *, day: date) -> list[dict]:
    """Communications awaiting a response at the end of `day`; overdue ones first."""
    follow_ups = FollowUp.objects.filter(outstanding_q(day), case__in=covered_ids).select_related(
        "case"
    )
    rows = []
    for follow_up in follow_ups:
        due = follow_up.response_due
        overdue = is_overdue(follow_up, day)
        rows.append(
            {
                "case": follow_up.case.reference,
                "sent_on": follow_up.sent_on.isoformat(),
                "channel": follow_up.channel,
                "summary": follow_up.summary,
                "response_due": _iso(due),
                "overdue": overdue,
                "days_overdue": (day - due).days if overdue else 0,
            }
        )
    rows.sort(
        key=lambda r: (not r["overdue"], -r["days_overdue"], r["sent_on"], r["case"], r["summary"])
    )
    return rows


def _capacity_support(host_state: Country, *, start: date, until: date) -> list[dict]:
    # select_related: the mission's acronym; the cases' references come in one query.
    supports = (
        CapacitySupport.objects.filter(
            host_state=host_state, provided_on__gte=start, provided_on__lte=until
        )
        .select_related("mission")
        .prefetch_related("cases")
    )
    rows = [
        {
            "date": support.provided_on.isoformat(),
            "institution": support.institution,
            "kind": support.kind,
            "description": support.description,
            "mission": support.mission.acronym if support.mission_id else "",
            "cases": sorted(case.reference for case in support.cases.all()),
        }
        for support in supports
    ]
    rows.sort(key=lambda r: (r["date"], r["institution"], r["kind"], r["description"]))
    return rows


def _changes(covered_ids, *, start: date, until: date) -> list[dict]:
    """What moved in the period: steps and investigations dated within it."""
    rows = []
    investigations = Investigation.objects.filter(
        case__in=covered_ids, opened_on__gte=start, opened_on__lte=until
    ).select_related("case")
    for investigation in investigations:
        rows.append(
            {
                "kind": "investigation",
                "date": investigation.opened_on.isoformat(),
                "case": investigation.case.reference,
                "suspect": "",
                "step": "",
                "authority": investigation.authority,
                "detail": investigation.authority_name,
            }
        )
    steps = ProcedureStep.objects.filter(
        suspect__case__in=covered_ids,
        kind__in=CHANGE_OF_STEP,
        occurred_on__gte=start,
        occurred_on__lte=until,
    ).select_related("suspect__case")
    for step in steps:
        rows.append(
            {
                "kind": CHANGE_OF_STEP[step.kind],
                "date": step.occurred_on.isoformat(),
                "case": step.suspect.case.reference,
                "suspect": step.suspect.name,
                "step": step.kind,
                "authority": "",
                "detail": " — ".join(part for part in (step.legal_term, step.sentence) if part),
            }
        )
    rows.sort(
        key=lambda r: (
            r["date"],
            CHANGE_ORDER.index(r["kind"]),
            r["case"],
            r["suspect"],
            r["step"],
            r["authority"],
            r["detail"],
        )
    )
    return rows


def _summary(host_state, mission, covered, *, period_start, day, cfg) -> dict:
    """The Security Council's five figures (accountability/figures.py), in the period and
    since the reports' start date: the fatalities of attacks in the State (for an
    undetermined list: of the mission's attacks placed in no State), the other figures
    of the covered cases."""
    if host_state is not None:
        incidents = Incident.objects.filter(country=host_state)
    else:
        incidents = Incident.objects.filter(mission=mission, country__isnull=True)
    ranges = {"in_period": (period_start, day), "cumulative": (cfg.attacks_since, day)}
    rows = []
    for key in FIGURES:
        row = {"key": key}
        for column, (first, last) in ranges.items():
            figure = figure_rows(key, incidents=incidents, cases=covered, first=first, last=last)
            row[column] = figure_count(figure, key)
        rows.append(row)
    return {"rows": rows}
