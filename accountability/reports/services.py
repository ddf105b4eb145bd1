"""Writes of follow-up reports: request, build, notify, sweep, schedule, weekly digest.

The job's state lives in the report row (PostgreSQL), never only in the broker, and
follows the protocol of peacekeeping/jobs.py (shared with exports):

- a build claims its report with one conditional UPDATE and stops unless exactly one row
  changed; the claim bumps `attempts`, which fences every later write of that build, so
  a worker that lost its claim can neither report progress nor finish;
- the build heartbeats at each progress point; the sweeper re-queues a report whose
  worker died (no heartbeat for REPORT_STALE_AFTER_SECONDS) or that nobody picked up, and
  gives up after REPORT_MAX_ATTEMPTS claims;
- tasks are queued through the transactional outbox: written in the transaction that
  made them necessary, published when it commits, kept in PostgreSQL if Redis is down.
"""

import hashlib
from datetime import date, timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Max
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from accountability.models import Case
from accountability.reports.content import (
    ReportSettings,
    build_followup_content,
    content_sha256,
    report_language,
)
from accountability.reports.delivery import report_period_name, send_in_own_language
from accountability.reports.labels import (
    choice_label,
    digest_subject,
    format_date,
    report_labels,
)
from accountability.reports.models import (
    REPORT_FORMATS,
    FollowUpReport,
    ImpunityDigest,
    report_file_path,
)
from accountability.reports.periods import Period, reporting_period
from accountability.reports.render import render_html, render_pdf, render_xlsx
from accountability.reports.requests import resolve_period
from accountability.reports.selectors import host_state_liaisons, responsible_legal_officers
from missions.models import Country, Membership, Mission
from missions.scope import can_request_followup_report
from peacekeeping.audit import audit_record
from peacekeeping.errors import OutOfScope
from peacekeeping.jobs import JobTable
from peacekeeping.outbox import enqueue

S = FollowUpReport.Status

# The claim, heartbeat and sweep of report builds (peacekeeping/jobs.py).
REPORT_JOBS = JobTable(
    FollowUpReport,
    noun="report",
    stale_after_setting="REPORT_STALE_AFTER_SECONDS",
    max_attempts_setting="REPORT_MAX_ATTEMPTS",
)


# --- request --------------------------------------------------------------------------


# Through the transactional outbox (peacekeeping/outbox.py): written with the report's
# row, published on commit; a broker outage leaves the job pending in PostgreSQL.


def _enqueue_build(report_id: int, *, reclaim: bool = False) -> None:
    from accountability.reports.tasks import build_followup_report

    enqueue(build_followup_report, report_id=report_id, reclaim=reclaim)


def _enqueue_notify(report_id: int) -> None:
    from accountability.notifications.models import NotificationKind
    from accountability.notifications.services import notify_later
    from accountability.reports.tasks import notify_followup_report

    enqueue(notify_followup_report, report_id=report_id)
    # In the app as well: the State's legal officers and whoever asked for it.
    report = FollowUpReport.objects.only("period_label", "version").get(pk=report_id)
    notify_later(
        kind=NotificationKind.REPORT_READY,
        event_key=f"report:{report_id}:ready",
        report_id=report_id,
        data={"label": f"{report.period_label} v{report.version}"},
    )


@transaction.atomic
def followup_report_create(
    *,
    host_state: Country | None,
    period: Period,
    requested_by=None,
    only_if_missing: bool = False,
    mission: Mission | None = None,
) -> FollowUpReport | None:
    """The State's report for the period (host_state None: `mission`'s cases whose host
    State is to be determined): a new version, queued for its build, unless one exists
    whose content would be the same.

    The content is read now: if it equals the latest built version's, or a version is
    still being built, that version is returned (its `created` attribute False) and no
    row is added; otherwise the new version (`created` True) supersedes the old. With
    `only_if_missing` (the schedule), nothing is created when a version that has not
    failed already exists, so running the schedule twice makes one report.
    """
    # Serialises versions of one State (or mission): the next version is read and written
    # under it.
    lock = (Country, host_state.pk) if host_state is not None else (Mission, mission.pk)
    list(lock[0].objects.select_for_update().filter(pk=lock[1]).values_list("pk"))
    existing = FollowUpReport.objects.for_period(
        host_state=host_state, period=period, mission=mission
    )
    if only_if_missing and existing.exclude(status=S.FAILED).exists():
        return None
    latest = existing.exclude(status=S.FAILED).order_by("-version").first()
    if latest is not None and (
        latest.status != S.DONE
        or latest.content_sha256
        == content_sha256(_content_for(host_state, mission, period, timezone.now()))
    ):
        latest.created = False
        return latest
    version = (existing.aggregate(v=Max("version"))["v"] or 0) + 1
    user = requested_by if getattr(requested_by, "is_authenticated", False) else None
    now = timezone.now()
    report = FollowUpReport.objects.create(
        host_state=host_state,
        mission=mission,
        period_kind=period.kind,
        period_start=period.start,
        period_end=period.end,
        period_label=period.label,
        version=version,
        language=report_language(host_state, mission),
        requested_by=user,
        requested_at=now,
        queued_at=now,
        progress_message="queued",
    )
    audit_record(
        actor=requested_by,
        action="followup_report.request",
        obj=report,
        changes={
            "host_state": [None, host_state.iso3 if host_state else None],
            "mission": [None, mission.acronym if mission else None],
            "period": [None, period.label],
            "version": [None, version],
            "language": [None, report.language],
        },
    )
    _enqueue_build(report.pk)
    report.created = True
    return report


@transaction.atomic
def followup_report_request(
    *,
    actor,
    host_state: Country | None,
    period_label: str | None = None,
    mission: Mission | None = None,
) -> FollowUpReport:
    """A legal officer (or an administrator) asks for the State's report now (host_state
    None: the mission's cases whose host State is to be determined).

    Without a period, the last complete month or quarter (FOLLOWUP_REPORT_PERIOD). Asking
    again for the same State and period returns the existing version if the content is
    unchanged, or makes the next version (see followup_report_create).
    """
    if not can_request_followup_report(actor, host_state, mission=mission):
        subject = host_state.name_en if host_state else mission.acronym
        raise OutOfScope(
            f"Only the legal officers responsible for {subject} (or an "
            "administrator) may request its follow-up report.",
            field="host_state",
        )
    period = resolve_period(period_label)
    return followup_report_create(
        host_state=host_state, period=period, requested_by=actor, mission=mission
    )


# --- build ----------------------------------------------------------------------------


def followup_report_claim(*, report_id: int, reclaim: bool = False, worker: str = "") -> int | None:
    """Claim the report for this worker; the claim's number, or None if not claimable."""
    return REPORT_JOBS.claim(report_id, reclaim=reclaim, worker=worker)


def _progress(report_id: int, attempt: int, progress: int, message: str) -> None:
    """Record progress and heartbeat; raise ClaimLost if another worker took over."""
    REPORT_JOBS.progress(report_id, attempt, progress, message)


def _content_for(host_state, mission, period: Period, as_of) -> dict:
    read = partial(
        build_followup_content,
        host_state,
        period,
        as_of,
        ReportSettings.from_settings(),
        mission=mission,
    )
    # One snapshot for every query of the content: no half-applied write shows.
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            return read()
    return read()


def _read_content(report: FollowUpReport, as_of) -> dict:
    period = Period(report.period_start, report.period_end, report.period_kind, report.period_label)
    return _content_for(report.host_state, report.mission, period, as_of)


def _build(report_id: int, attempt: int) -> str:
    report = FollowUpReport.objects.select_related("host_state", "mission").get(pk=report_id)
    as_of = timezone.now().replace(microsecond=0)
    _progress(report_id, attempt, 10, "reading the cases")
    content = _read_content(report, as_of)
    digest = content_sha256(content)
    _progress(report_id, attempt, 30, "rendering the HTML page")
    html = render_html(content, version=report.version, content_sha256=digest)
    _progress(report_id, attempt, 45, "rendering the PDF")
    pdf = render_pdf(content, version=report.version, content_sha256=digest)
    _progress(report_id, attempt, 80, "rendering the workbook")
    xlsx = render_xlsx(content, version=report.version, content_sha256=digest)
    _progress(report_id, attempt, 95, "storing the files")
    files = {"pdf": pdf, "xlsx": xlsx, "html": html.encode("utf-8")}
    shas = {fmt: hashlib.sha256(data).hexdigest() for fmt, data in files.items()}

    # Named per claim: a worker that lost its claim never overwrites the winner's files.
    stem = f"followup-{report.subject_code}-{report.period_label}-v{report.version}-a{attempt}"
    storage = FollowUpReport._meta.get_field("pdf").storage
    saved: dict[str, str] = {}
    try:
        for fmt, data in files.items():
            saved[fmt] = storage.save(report_file_path(report, f"{stem}.{fmt}"), ContentFile(data))
        with transaction.atomic():
            REPORT_JOBS.finish(
                report_id,
                attempt,
                as_of=as_of,
                content=content,
                content_sha256=digest,
                **{fmt: saved[fmt] for fmt in REPORT_FORMATS},
                **{f"{fmt}_sha256": shas[fmt] for fmt in REPORT_FORMATS},
            )
            audit_record(
                actor=None,
                action="followup_report.done",
                obj=report,
                changes={
                    "as_of": [None, as_of.isoformat()],
                    "content_sha256": [None, digest],
                    **{f"{fmt}_sha256": [None, shas[fmt]] for fmt in REPORT_FORMATS},
                    "attempt": [None, attempt],
                },
            )
            _enqueue_notify(report_id)
    except BaseException:
        for name in saved.values():
            storage.delete(name)
        raise
    return S.DONE


def followup_report_build(*, report_id: int, reclaim: bool = False, worker: str = "") -> str:
    """Build the report if this worker can claim it; what happened, as a word ("skipped",
    "lost", "done" or "failed": see JobTable.run)."""
    return REPORT_JOBS.run(report_id, _build, reclaim=reclaim, worker=worker)


# --- notification ---------------------------------------------------------------------


def _absolute(viewname: str, fallback: str, **kwargs) -> str:
    try:
        path = reverse(viewname, kwargs=kwargs)
    except NoReverseMatch:
        path = fallback
    return f"{settings.SITE_URL}{path}"


def followup_report_url(report: FollowUpReport) -> str:
    return _absolute("reports:report_detail", f"/reports/{report.pk}/", pk=report.pk)


def followup_report_notify(*, report_id: int) -> int:
    """E-mail the State's legal officers that the report is ready (once); how many."""
    now = timezone.now()
    claimed = FollowUpReport.objects.filter(
        pk=report_id, status=S.DONE, notified_at__isnull=True
    ).update(notified_at=now)
    if claimed != 1:
        return 0
    try:
        report = FollowUpReport.objects.select_related("host_state", "mission").get(pk=report_id)
        counts = report.content["summary"]["counts"]
        state = report.host_state
        # The State, or "host State to be determined (MISSION)" for an undetermined list.
        subject_names = report.content["host_state"]

        def compose(language: str) -> tuple[str, str]:
            # Each recipient reads it in their own interface language.
            labels = report_labels(language)
            state_name = subject_names["name_fr" if language == "fr" else "name_en"]
            period = report_period_name(report, language)
            subject = labels["email_ready_subject"].format(state=state_name, period=period)
            body = labels["email_ready_body"].format(
                state=state_name,
                period=period,
                version=report.version,
                as_of=report.content["as_of"].replace("T", " ").replace("+00:00", " UTC"),
                open_cases=counts["open_cases"],
                impunity_cases=counts["impunity_cases"],
                overdue=counts["overdue_responses"],
                link=followup_report_url(report),
            )
            return subject, body

        # The State's legal officers, and its host-State liaisons, who receive it.
        officers = responsible_legal_officers(state, mission=report.mission)
        recipients = {u.pk: u for u in officers}
        if state is not None:
            recipients |= {u.pk: u for u in host_state_liaisons(state)}
        sent = send_in_own_language(
            sorted(recipients.values(), key=lambda u: (u.email, u.pk)), compose
        )
    except BaseException:
        # Not sent: let a retry (or the sweeper) send it.
        FollowUpReport.objects.filter(pk=report_id, notified_at=now).update(notified_at=None)
        raise
    return sent


# --- sweeper and schedule -------------------------------------------------------------


@transaction.atomic
def followup_reports_sweep() -> dict[str, list[int]]:
    """Re-queue reports whose worker died or that nobody picked up; give up after
    REPORT_MAX_ATTEMPTS claims; re-send notifications that never went out."""
    result = {**REPORT_JOBS.sweep(_enqueue_build), "renotified": []}
    cutoff = REPORT_JOBS.stale_cutoff(timezone.now())
    unsent = FollowUpReport.objects.filter(
        status=S.DONE, notified_at__isnull=True, finished_at__lt=cutoff
    ).values_list("pk", flat=True)
    for pk in unsent:
        _enqueue_notify(pk)
        result["renotified"].append(pk)
    return result


def host_states_with_open_cases():
    cases = Case.objects.open().filter(attack_date__gte=settings.FOLLOWUP_REPORT_ATTACKS_SINCE)
    return Country.objects.filter(pk__in=cases.values("host_state_id")).order_by("iso3")


def missions_with_undetermined_cases():
    """Missions with cases whose host State is to be determined (since the start date)."""
    cases = Case.objects.filter(
        host_state__isnull=True, attack_date__gte=settings.FOLLOWUP_REPORT_ATTACKS_SINCE
    )
    return Mission.objects.filter(pk__in=cases.values("mission_id")).order_by("acronym")


def followup_reports_schedule(*, today: date | None = None) -> list[FollowUpReport]:
    """One report per host State with open cases, and one list per mission with cases
    whose host State is to be determined, for the last complete period, unless it exists
    already (so the daily beat run, and any re-run, creates each report once)."""
    today = today or timezone.localdate()
    period = reporting_period(today, settings.FOLLOWUP_REPORT_PERIOD)
    created = []
    subjects = [(state, None) for state in host_states_with_open_cases()]
    subjects += [(None, mission) for mission in missions_with_undetermined_cases()]
    for state, mission in subjects:
        report = followup_report_create(
            host_state=state, period=period, only_if_missing=True, mission=mission
        )
        if report is not None:
            created.append(report)
    return created


# --- weekly impunity digest -----------------------------------------------------------


def impunity_cases_crossed(*, today: date, days: int = 7):
    """Cases in impunity today that were not a week ago: they crossed a threshold."""
    before = Case.objects.impunity(as_of=today - timedelta(days=days)).values("pk")
    return Case.objects.impunity(as_of=today).exclude(pk__in=before)


def _case_url(case: Case) -> str:
    return _absolute(
        "accountability:case_detail", f"/cases/{case.reference}/", reference=case.reference
    )


def impunity_digest_send(*, today: date | None = None) -> int:
    """To each mission's focal points, the cases that crossed an impunity threshold in
    the last week; at most one digest per mission and week. How many e-mails were sent."""
    today = today or timezone.localdate()
    week = today - timedelta(days=today.weekday())
    start = today - timedelta(days=7)
    crossed = (
        impunity_cases_crossed(today=today)
        .select_related("mission")
        .order_by("mission__acronym", "attack_date", "reference")
    )
    by_mission: dict[int, list[Case]] = {}
    for case in crossed:
        by_mission.setdefault(case.mission_id, []).append(case)
    sent = 0
    for mission_id, cases in by_mission.items():
        mission = cases[0].mission
        focal_points = Membership.objects.filter(
            mission_id=mission_id, is_focal_point=True, user__is_active=True
        ).values("user_id")
        users = list(
            get_user_model()
            .objects.filter(pk__in=focal_points)
            .exclude(email="")
            .order_by("email", "pk")
        )
        recipients = list(dict.fromkeys(user.email for user in users))
        if not users:
            continue
        with transaction.atomic():
            # The row is the claim: a second run in the same week finds it and stops.
            digest, created = ImpunityDigest.objects.get_or_create(
                mission=mission,
                week=week,
                defaults={"cases": [case.reference for case in cases], "recipients": recipients},
            )
            if not created:
                continue
            sent += _send_digest(mission, cases, users, start=start, end=today)
    return sent


def _send_digest(mission: Mission, cases, users, *, start: date, end: date) -> int:
    """The digest, to each focal point in their own interface language."""

    def compose(language: str) -> tuple[str, str]:
        labels = report_labels(language)
        lines = "\n".join(
            f"- {case.reference} ({format_date(case.attack_date, labels)}): "
            f"{choice_label('stage', case.stage, language)}; "
            f"{labels['days_since_progress'].lower()}{labels['colon']} "
            f"{case.days_since_last_progress(end)} — {_case_url(case)}"
            for case in cases
        )
        subject = digest_subject(mission.acronym, len(cases))
        body = labels["digest_body"].format(
            mission=mission.acronym,
            start=format_date(start, labels),
            end=format_date(end, labels),
            lines=lines,
        )
        return subject, body

    return send_in_own_language(users, compose)
