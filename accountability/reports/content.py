"""The content of a follow-up report: a pure function of the data, the State, the period
and the as-of time.

Everything is read as plain values (codes, integers, ISO dates) and sorted on explicit
keys, so the same data, period and as-of time give the same dict, the same canonical
JSON and the same SHA-256, whatever the database returns first. Labels and language are
the renderer's business (render.py); the content only names the language.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.db.models import Count, Q, Sum

from accountability.choices import ProcedureStepKind
from accountability.models import (
    CapacitySupport,
    Case,
    FollowUp,
    Investigation,
    ProcedureStep,
    Suspect,
)
from accountability.reports.case_details import add_case_details, sources_coverage
from accountability.reports.models import FollowUpReport, report_addressee_lines
from accountability.reports.periods import Period
from missions.models import Country

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
SUMMARY_ROWS = (
    "fatalities",
    "investigations_opened",
    "suspects_detained",
    "trials",
    "convictions",
)


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


def previous_report(*, host_state: Country, period: Period, as_of: datetime):
    """The latest complete report of the State on an earlier period, read before as_of."""
    return (
        FollowUpReport.objects.filter(
            host_state=host_state,
            status=FollowUpReport.Status.DONE,
            period_start__lt=period.start,
            as_of__lt=as_of,
        )
        .order_by("-period_start", "-version", "-as_of")
        .only("period_label", "version", "as_of")
        .first()
    )


def build_followup_content(
    host_state: Country,
    period: Period,
    as_of: datetime,
    report_settings: ReportSettings | None = None,
) -> dict:
    """The canonical content of the State's report for `period`, with data as of `as_of`."""
    cfg = report_settings or ReportSettings.from_settings()
    as_of = _utc(as_of)
    today = as_of.date()
    period_until = min(period.end, today)
    covered = Case.objects.filter(
        host_state=host_state, attack_date__gte=cfg.attacks_since, attack_date__lte=today
    )
    covered_ids = covered.values("pk")
    previous = previous_report(host_state=host_state, period=period, as_of=as_of)

    cases = _open_cases(covered, today=today, cfg=cfg)
    at_large = _suspects_at_large(covered_ids)
    detained = _detained_without_trial(covered_ids, today=today, cfg=cfg)
    communications = _communications(covered_ids, today=today)
    # Cumulative since the start date: what the UN has provided, not only this month.
    support = _capacity_support(host_state, start=cfg.attacks_since, until=period_until)
    changes = _changes(
        covered_ids,
        start=period.start,
        until=period_until,
        as_of=as_of,
        since=_utc(previous.as_of) if previous else None,
    )
    summary = _summary(
        covered,
        covered_ids,
        period_start=period.start,
        period_until=period_until,
        cfg=cfg,
        today=today,
    )
    summary["counts"] = {
        "open_cases": len(cases),
        "impunity_cases": sum(1 for case in cases if case["impunity"]),
        "suspects_at_large": len(at_large),
        "suspects_detained_without_trial": len(detained),
        "outstanding_communications": len(communications),
        "overdue_responses": sum(1 for item in communications if item["overdue"]),
        "capacity_support": len(support),
        "changes": len(changes),
    }
    return {
        "schema": SCHEMA_VERSION,
        "host_state": {
            "iso3": host_state.iso3,
            "name_en": host_state.name_en,
            "name_fr": host_state.name_fr,
        },
        "language": host_state.working_language,
        "addressee": report_addressee_lines(host_state),
        "sources": sources_coverage(host_state),
        "period": period.as_dict(),
        "as_of": as_of.replace(microsecond=0).isoformat(),
        "as_of_date": today.isoformat(),
        "parameters": cfg.as_dict(),
        "previous_report": (
            {
                "period": previous.period_label,
                "version": previous.version,
                "as_of": _utc(previous.as_of).replace(microsecond=0).isoformat(),
            }
            if previous
            else None
        ),
        "summary": summary,
        "cases": cases,
        "suspects_at_large": at_large,
        "suspects_detained_without_trial": detained,
        "communications": communications,
        "capacity_support": support,
        "changes": changes,
    }


def _impunity_reasons(case: Case, *, today: date, cfg: ReportSettings) -> list[str]:
    # The same two tests as CaseQuerySet.impunity(), to say which one the case meets.
    reasons = []
    deadline = case.attack_date + timedelta(days=cfg.impunity_no_investigation_days)
    if deadline <= today and (
        case.investigation_opened_on is None or case.investigation_opened_on > deadline
    ):
        reasons.append("no_investigation")
    if (case.last_progress_on or case.attack_date) <= today - timedelta(
        days=cfg.impunity_no_progress_days
    ):
        reasons.append("no_progress")
    return reasons


def _open_cases(covered, *, today: date, cfg: ReportSettings) -> list[dict]:
    impunity = set(covered.impunity(as_of=today).values_list("pk", flat=True))
    # select_related: each row names its mission; the suspect count is an annotation.
    rows = (
        covered.open()
        .select_related("mission")
        .annotate(suspect_count=Count("suspects", distinct=True))
        .order_by("pk")
    )
    cases = []
    for case in rows:
        is_impunity = case.pk in impunity
        cases.append(
            {
                "reference": case.reference,
                "mission": case.mission.acronym,
                "attack_date": case.attack_date.isoformat(),
                "killed": int(case.killed),
                "injured": int(case.injured),
                "stage": case.stage,
                "investigation_status": case.investigation_status,
                "investigation_opened_on": _iso(case.investigation_opened_on),
                "last_progress_on": _iso(case.last_progress_on),
                "days_since_attack": case.days_since_attack(today),
                "days_since_progress": case.days_since_last_progress(today),
                "suspects": int(case.suspect_count),
                "impunity": is_impunity,
                "impunity_reasons": (
                    _impunity_reasons(case, today=today, cfg=cfg) if is_impunity else []
                ),
            }
        )
    cases.sort(
        key=lambda c: (
            not c["impunity"],
            -c["days_since_progress"],
            c["attack_date"],
            c["reference"],
        )
    )
    return add_case_details(cases, as_of_date=today)


def _suspect_row(suspect: Suspect) -> dict:
    return {
        "case": suspect.case.reference,
        "name": suspect.name,
        "alias": suspect.alias,
        "armed_group": suspect.armed_group.name if suspect.armed_group_id else "",
        "status": suspect.status,
        "status_since": _iso(suspect.status_since),
    }


def _suspects_at_large(covered_ids) -> list[dict]:
    # select_related: each row names its case and armed group.
    suspects = (
        Suspect.objects.filter(case__in=covered_ids)
        .at_large()
        .select_related("case", "armed_group")
    )
    rows = [_suspect_row(suspect) for suspect in suspects]
    rows.sort(key=lambda r: (r["case"], r["name"], r["status_since"] or "", r["alias"]))
    return rows


def _detained_without_trial(covered_ids, *, today: date, cfg: ReportSettings) -> list[dict]:
    suspects = (
        Suspect.objects.filter(case__in=covered_ids)
        .detained_without_trial(days=cfg.detention_threshold_days, as_of=today)
        .select_related("case", "armed_group")
    )
    rows = []
    for suspect in suspects:
        row = _suspect_row(suspect)
        row["custody_since"] = _iso(suspect.custody_since)
        row["days_in_custody"] = (today - suspect.custody_since).days
        rows.append(row)
    rows.sort(key=lambda r: (-r["days_in_custody"], r["case"], r["name"], r["alias"]))
    return rows


def _communications(covered_ids, *, today: date) -> list[dict]:
    follow_ups = FollowUp.objects.filter(
        case__in=covered_ids, response_received_on__isnull=True, sent_on__lte=today
    ).select_related("case")
    rows = []
    for follow_up in follow_ups:
        due = follow_up.response_due
        overdue = due is not None and due < today
        rows.append(
            {
                "case": follow_up.case.reference,
                "sent_on": follow_up.sent_on.isoformat(),
                "channel": follow_up.channel,
                "summary": follow_up.summary,
                "response_due": _iso(due),
                "overdue": overdue,
                "days_overdue": (today - due).days if overdue else 0,
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


def _window(*, date_field: str, recorded_field: str, start, until, as_of, since) -> Q:
    """Dated within the period, or recorded since the previous report; never after as_of."""
    q = Q(**{f"{date_field}__gte": start, f"{date_field}__lte": until})
    if since is not None:
        q |= Q(**{f"{recorded_field}__gt": since, f"{recorded_field}__lte": as_of})
    return q & Q(**{f"{date_field}__lte": as_of.date()})


def _changes(covered_ids, *, start, until, as_of, since) -> list[dict]:
    rows = []
    investigations = (
        Investigation.objects.filter(case__in=covered_ids, opened_on__isnull=False)
        .filter(
            _window(
                date_field="opened_on",
                recorded_field="created_at",
                start=start,
                until=until,
                as_of=as_of,
                since=since,
            )
        )
        .select_related("case")
    )
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
    steps = (
        ProcedureStep.objects.filter(suspect__case__in=covered_ids, kind__in=CHANGE_OF_STEP)
        .filter(
            _window(
                date_field="occurred_on",
                recorded_field="recorded_at",
                start=start,
                until=until,
                as_of=as_of,
                since=since,
            )
        )
        .select_related("suspect__case")
    )
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


def _summary(covered, covered_ids, *, period_start, period_until, cfg, today) -> dict:
    """The Security Council's five figures, in the period and since the start date."""
    ranges = {"in_period": (period_start, period_until), "cumulative": (cfg.attacks_since, today)}
    steps = ProcedureStep.objects.filter(suspect__case__in=covered_ids)
    rows = []
    for key in SUMMARY_ROWS:
        row = {"key": key}
        for column, (first, last) in ranges.items():
            if key == "fatalities":
                value = covered.filter(attack_date__gte=first, attack_date__lte=last).aggregate(
                    n=Sum("killed")
                )["n"]
            elif key == "investigations_opened":
                value = Investigation.objects.filter(
                    case__in=covered_ids, opened_on__gte=first, opened_on__lte=last
                ).count()
            else:
                kinds, distinct = {
                    "suspects_detained": ([K.ARRESTED, K.DETAINED], "suspect_id"),
                    "trials": ([K.TRIAL_OPENED], "suspect__case_id"),
                    "convictions": ([K.CONVICTED], "suspect_id"),
                }[key]
                value = (
                    steps.filter(kind__in=kinds, occurred_on__gte=first, occurred_on__lte=last)
                    .values(distinct)
                    .distinct()
                    .count()
                )
            row[column] = int(value or 0)
        rows.append(row)
    return {"rows": rows}
