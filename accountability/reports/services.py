"""Writes of follow-up reports: request, build, notify, sweep, schedule, weekly digest.

The job's state lives in the report row (PostgreSQL), never only in the broker:

- a build claims its report with one conditional UPDATE (pending → running, or, for the
  sweeper, running with a stale heartbeat → running) and stops unless exactly one row
  changed; the claim bumps `attempts`, which fences every later write of that build, so
  a worker that lost its claim can neither report progress nor finish;
- the build heartbeats at each progress point; the sweeper re-queues a report whose
  worker died (no heartbeat for REPORT_STALE_AFTER_SECONDS) or that nobody picked up, and
  gives up after REPORT_MAX_ATTEMPTS claims;
- tasks are queued through the transactional outbox: written in the transaction that
  made them necessary, published when it commits, kept in PostgreSQL if Redis is down.
"""

import hashlib
import logging
import time
from datetime import date, timedelta

import kombu.exceptions
import redis.exceptions
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import OperationalError, connection, transaction
from django.db.models import Max
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from accountability.models import Case
from accountability.reports.content import ReportSettings, build_followup_content, content_sha256
from accountability.reports.labels import choice_label, report_labels
from accountability.reports.models import (
    REPORT_FORMATS,
    FollowUpReport,
    ImpunityDigest,
    report_file_path,
)
from accountability.reports.periods import Period, reporting_period
from accountability.reports.render import render_html, render_pdf, render_xlsx
from accountability.reports.selectors import (
    can_request_followup_report,
    responsible_legal_officers,
)
from missions.models import Country, Membership, Mission
from peacekeeping.audit import audit_record
from peacekeeping.errors import DomainError, OutOfScope
from peacekeeping.outbox import enqueue

logger = logging.getLogger(__name__)

S = FollowUpReport.Status

# Errors worth a retry: the database or the broker was briefly unreachable.
TRANSIENT_ERRORS = (
    OperationalError,
    redis.exceptions.ConnectionError,
    kombu.exceptions.OperationalError,
)


class ClaimLost(Exception):
    """Another worker claimed the report since this one did (see `attempts`)."""


# --- request --------------------------------------------------------------------------


# Through the transactional outbox (peacekeeping/outbox.py): written with the report's
# row, published on commit; a broker outage leaves the job pending in PostgreSQL.


def _enqueue_build(report_id: int, *, reclaim: bool = False) -> None:
    from accountability.tasks import build_followup_report

    enqueue(build_followup_report, report_id=report_id, reclaim=reclaim)


def _enqueue_notify(report_id: int) -> None:
    from accountability.tasks import notify_followup_report

    enqueue(notify_followup_report, report_id=report_id)


@transaction.atomic
def followup_report_create(
    *,
    host_state: Country,
    period: Period,
    requested_by=None,
    only_if_missing: bool = False,
) -> FollowUpReport | None:
    """Create the next version of the State's report for the period and queue its build.

    With `only_if_missing` (the schedule), nothing is created when a version that has not
    failed already exists, so running the schedule twice makes one report.
    """
    # Serialises versions of one State: the next version is read and written under it.
    list(Country.objects.select_for_update().filter(pk=host_state.pk).values_list("pk"))
    existing = FollowUpReport.objects.for_period(host_state=host_state, period=period)
    if only_if_missing and existing.exclude(status=S.FAILED).exists():
        return None
    version = (existing.aggregate(v=Max("version"))["v"] or 0) + 1
    user = requested_by if getattr(requested_by, "is_authenticated", False) else None
    now = timezone.now()
    report = FollowUpReport.objects.create(
        host_state=host_state,
        period_kind=period.kind,
        period_start=period.start,
        period_end=period.end,
        period_label=period.label,
        version=version,
        language=host_state.working_language,
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
            "host_state": [None, host_state.iso3],
            "period": [None, period.label],
            "version": [None, version],
            "language": [None, report.language],
        },
    )
    _enqueue_build(report.pk)
    return report


@transaction.atomic
def followup_report_request(
    *, actor, host_state: Country, period_label: str | None = None
) -> FollowUpReport:
    """A legal officer (or an administrator) asks for the State's report now.

    Without a period, the last complete month or quarter (FOLLOWUP_REPORT_PERIOD). Asking
    again for the same State and period makes the next version.
    """
    if not can_request_followup_report(actor, host_state):
        raise OutOfScope(
            f"Only the legal officers responsible for {host_state.name_en} (or an "
            "administrator) may request its follow-up report.",
            field="host_state",
        )
    today = timezone.localdate()
    if period_label:
        period = Period.parse(period_label)
    else:
        period = reporting_period(today, settings.FOLLOWUP_REPORT_PERIOD)
    if period.start > today:
        raise DomainError(
            f"The period {period.label} has not started yet; choose a past or current period.",
            field="period",
        )
    return followup_report_create(host_state=host_state, period=period, requested_by=actor)


# --- build ----------------------------------------------------------------------------


def _stale_cutoff(now):
    return now - timedelta(seconds=settings.REPORT_STALE_AFTER_SECONDS)


def followup_report_claim(*, report_id: int, reclaim: bool = False, worker: str = "") -> int | None:
    """Claim the report for this worker; the claim's number, or None if not claimable.

    Pending reports are claimable; with `reclaim` (the sweeper's re-queue), so is a report
    left running by a worker that stopped heartbeating. One compare-and-set UPDATE on the
    status and the attempt number: of two workers, exactly one changes the row.
    """
    now = timezone.now()
    row = FollowUpReport.objects.filter(pk=report_id).values("status", "attempts", "heartbeat_at")
    row = row.first()
    if row is None:
        return None
    stale = row["heartbeat_at"] is None or row["heartbeat_at"] < _stale_cutoff(now)
    if not (row["status"] == S.PENDING or (reclaim and row["status"] == S.RUNNING and stale)):
        return None
    attempt = row["attempts"] + 1
    changed = FollowUpReport.objects.filter(
        pk=report_id,
        status=row["status"],
        attempts=row["attempts"],
        heartbeat_at=row["heartbeat_at"],
    ).update(
        status=S.RUNNING,
        attempts=attempt,
        started_at=now,
        heartbeat_at=now,
        progress=1,
        progress_message="claimed",
        error="",
        worker=worker[:255],
    )
    return attempt if changed == 1 else None


def _fenced(report_id: int, attempt: int):
    return FollowUpReport.objects.filter(pk=report_id, status=S.RUNNING, attempts=attempt)


def _progress(report_id: int, attempt: int, progress: int, message: str) -> None:
    """Record progress and heartbeat; raise ClaimLost if another worker took over."""
    changed = _fenced(report_id, attempt).update(
        progress=progress, progress_message=message, heartbeat_at=timezone.now()
    )
    if changed != 1:
        raise ClaimLost(f"report {report_id}: claim {attempt} lost at {progress}%")
    pause = settings.FOLLOWUP_REPORT_PAUSE_AT
    if pause and pause[0] == progress:
        time.sleep(pause[1])  # tests only: a point at which to kill the worker


def _read_content(report: FollowUpReport, as_of) -> dict:
    period = Period(report.period_start, report.period_end, report.period_kind, report.period_label)
    # One snapshot for every query of the content: no half-applied write shows.
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            return build_followup_content(
                report.host_state, period, as_of, ReportSettings.from_settings()
            )
    return build_followup_content(report.host_state, period, as_of, ReportSettings.from_settings())


def _build(report_id: int, attempt: int) -> str:
    report = FollowUpReport.objects.select_related("host_state").get(pk=report_id)
    as_of = timezone.now().replace(microsecond=0)
    _progress(report_id, attempt, 10, "reading the cases")
    content = _read_content(report, as_of)
    digest = content_sha256(content)
    _progress(report_id, attempt, 30, "rendering the HTML page")
    html = render_html(content, version=report.version, content_sha256=digest).encode("utf-8")
    _progress(report_id, attempt, 45, "rendering the PDF")
    pdf = render_pdf(html.decode("utf-8"))
    _progress(report_id, attempt, 80, "rendering the workbook")
    xlsx = render_xlsx(content, version=report.version, content_sha256=digest)
    _progress(report_id, attempt, 95, "storing the files")

    # Named per claim: a worker that lost its claim never overwrites the winner's files.
    stem = f"followup-{report.host_state.iso3}-{report.period_label}-v{report.version}-a{attempt}"
    storage = FollowUpReport._meta.get_field("pdf").storage
    saved: dict[str, str] = {}
    try:
        for fmt, data in (("pdf", pdf), ("xlsx", xlsx), ("html", html)):
            saved[fmt] = storage.save(report_file_path(report, f"{stem}.{fmt}"), ContentFile(data))
        shas = {
            fmt: hashlib.sha256(data).hexdigest()
            for fmt, data in (("pdf", pdf), ("xlsx", xlsx), ("html", html))
        }
        with transaction.atomic():
            now = timezone.now()
            changed = _fenced(report_id, attempt).update(
                status=S.DONE,
                progress=100,
                progress_message="done",
                heartbeat_at=now,
                finished_at=now,
                as_of=as_of,
                content=content,
                content_sha256=digest,
                **{fmt: saved[fmt] for fmt in REPORT_FORMATS},
                **{f"{fmt}_sha256": shas[fmt] for fmt in REPORT_FORMATS},
            )
            if changed != 1:
                raise ClaimLost(f"report {report_id}: claim {attempt} lost before finishing")
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
    """Build the report if this worker can claim it; what happened, as a word.

    "skipped": not claimable (already running, done or failed: a duplicate delivery);
    "lost": another worker took the claim over; "done"; "failed" (the error is kept on
    the row). A transient error releases the claim and propagates, for a retry.
    """
    attempt = followup_report_claim(report_id=report_id, reclaim=reclaim, worker=worker)
    if attempt is None:
        logger.info("followup report %s not claimable; nothing to do", report_id)
        return "skipped"
    try:
        return _build(report_id, attempt)
    except ClaimLost as exc:
        logger.warning("%s", exc)
        return "lost"
    except TRANSIENT_ERRORS:
        try:
            _fenced(report_id, attempt).update(
                status=S.PENDING, progress=0, progress_message="waiting to retry"
            )
        except TRANSIENT_ERRORS:
            logger.warning("report %s: could not release the claim; the sweeper will", report_id)
        raise
    except Exception as exc:  # anything else is a bug or bad data: keep it on the row
        logger.exception("followup report %s failed", report_id)
        _fenced(report_id, attempt).update(
            status=S.FAILED,
            progress_message="failed",
            error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
        )
        return S.FAILED


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
        report = FollowUpReport.objects.select_related("host_state").get(pk=report_id)
        labels = report_labels(report.language)
        counts = report.content["summary"]["counts"]
        state = report.host_state
        state_name = state.name_fr if report.language == "fr" else state.name_en
        subject = labels["email_ready_subject"].format(state=state_name, period=report.period_label)
        body = labels["email_ready_body"].format(
            state=state_name,
            period=report.period_label,
            version=report.version,
            as_of=report.content["as_of"].replace("T", " ").replace("+00:00", " UTC"),
            open_cases=counts["open_cases"],
            impunity_cases=counts["impunity_cases"],
            overdue=counts["overdue_responses"],
            link=followup_report_url(report),
        )
        recipients = list(responsible_legal_officers(state).values_list("email", flat=True))
        for email in recipients:
            EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [email]).send()
    except BaseException:
        # Not sent: let a retry (or the sweeper) send it.
        FollowUpReport.objects.filter(pk=report_id, notified_at=now).update(notified_at=None)
        raise
    return len(recipients)


# --- sweeper and schedule -------------------------------------------------------------


@transaction.atomic
def followup_reports_sweep() -> dict[str, list[int]]:
    """Re-queue reports whose worker died or that nobody picked up; give up after
    REPORT_MAX_ATTEMPTS claims; re-send notifications that never went out."""
    now = timezone.now()
    cutoff = _stale_cutoff(now)
    max_attempts = settings.REPORT_MAX_ATTEMPTS
    result: dict[str, list[int]] = {"requeued": [], "failed": [], "renotified": []}
    stuck = FollowUpReport.objects.stale_running(before=cutoff).values(
        "pk", "attempts", "queued_at", "heartbeat_at"
    )
    waiting = FollowUpReport.objects.waiting_since(before=cutoff).values(
        "pk", "attempts", "queued_at", "heartbeat_at"
    )
    for status, rows in ((S.RUNNING, list(stuck)), (S.PENDING, list(waiting))):
        for row in rows:
            same = FollowUpReport.objects.filter(
                pk=row["pk"],
                status=status,
                attempts=row["attempts"],
                queued_at=row["queued_at"],
                heartbeat_at=row["heartbeat_at"],
            )
            if row["attempts"] >= max_attempts:
                if same.update(
                    status=S.FAILED,
                    progress_message="failed",
                    error=(
                        f"Gave up after {row['attempts']} attempts: the worker building it "
                        "stopped each time."
                    ),
                    finished_at=now,
                ):
                    result["failed"].append(row["pk"])
                continue
            if row["queued_at"] and row["queued_at"] >= cutoff:
                continue  # re-queued recently: give that message its chance
            if same.update(queued_at=now):
                _enqueue_build(row["pk"], reclaim=status == S.RUNNING)
                result["requeued"].append(row["pk"])
    unsent = FollowUpReport.objects.filter(
        status=S.DONE, notified_at__isnull=True, finished_at__lt=cutoff
    ).values_list("pk", flat=True)
    for pk in unsent:
        _enqueue_notify(pk)
        result["renotified"].append(pk)
    if result["requeued"] or result["failed"]:
        logger.warning("report sweeper: %s", result)
    return result


def host_states_with_open_cases():
    cases = Case.objects.open().filter(attack_date__gte=settings.FOLLOWUP_REPORT_ATTACKS_SINCE)
    return Country.objects.filter(pk__in=cases.values("host_state_id")).order_by("iso3")


def followup_reports_schedule(*, today: date | None = None) -> list[FollowUpReport]:
    """One report per host State with open cases, for the last complete period, unless it
    exists already (so the daily beat run, and any re-run, creates each report once)."""
    today = today or timezone.localdate()
    period = reporting_period(today, settings.FOLLOWUP_REPORT_PERIOD)
    created = []
    for state in host_states_with_open_cases():
        report = followup_report_create(host_state=state, period=period, only_if_missing=True)
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
        recipients = list(
            Membership.objects.filter(
                mission_id=mission_id, is_focal_point=True, user__is_active=True
            )
            .exclude(user__email="")
            .order_by("user__email")
            .values_list("user__email", flat=True)
            .distinct()
        )
        if not recipients:
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
            sent += _send_digest(mission, cases, recipients, start=start, end=today)
    return sent


def _send_digest(mission: Mission, cases, recipients, *, start: date, end: date) -> int:
    host = mission.host_countries.order_by("iso3").first()
    language = host.working_language if host else "en"
    labels = report_labels(language)
    lines = "\n".join(
        f"- {case.reference} ({case.attack_date.isoformat()}): "
        f"{choice_label('stage', case.stage, language)}; "
        f"{labels['days_since_progress'].lower()}: {case.days_since_last_progress(end)} — "
        f"{_case_url(case)}"
        for case in cases
    )
    subject = labels["digest_subject"].format(mission=mission.acronym, count=len(cases))
    body = labels["digest_body"].format(
        mission=mission.acronym, start=start.isoformat(), end=end.isoformat(), lines=lines
    )
    for email in recipients:
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [email]).send()
    return len(recipients)
