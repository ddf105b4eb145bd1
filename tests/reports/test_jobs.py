"""The jobs, run in-process (as without a broker): request, build, claim, sweep, schedule,
notify, weekly digest, and the management command."""

import hashlib
from datetime import date, timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import OperationalError
from django.utils import timezone

from accountability.reports import services
from accountability.reports.content import content_sha256
from accountability.reports.models import REPORT_FORMATS, FollowUpReport, ImpunityDigest
from accountability.reports.periods import Period, reporting_period
from accountability.reports.services import (
    followup_report_build,
    followup_report_claim,
    followup_report_create,
    followup_report_request,
    followup_reports_schedule,
    followup_reports_sweep,
    impunity_digest_send,
)
from accountability.reports.tasks import build_followup_report, sweep_stalled_reports
from peacekeeping.accounts.services import user_preference_set_language
from peacekeeping.celery import app
from peacekeeping.errors import DomainError, OutOfScope
from peacekeeping.jobs import ClaimLost
from peacekeeping.models import AuditEntry
from tests.reports.conftest import attack, stored_files

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.reports.urls")]

S = FollowUpReport.Status
LAST_MONTH = Period.containing(date.today(), "month").previous()


@pytest.fixture
def queued(report_world, django_capture_on_commit_callbacks):
    """A pending CAF report whose queued task was dropped (as if the broker lost it)."""
    with django_capture_on_commit_callbacks(execute=False):
        return followup_report_create(host_state=report_world.caf, period=LAST_MONTH)


def make_stale(report, *, seconds=600, status=S.RUNNING, attempts=1):
    FollowUpReport.objects.filter(pk=report.pk).update(
        status=status,
        attempts=attempts,
        heartbeat_at=timezone.now() - timedelta(seconds=seconds),
        queued_at=timezone.now() - timedelta(seconds=seconds),
        requested_at=timezone.now() - timedelta(seconds=seconds),
    )


# --- request and build -----------------------------------------------------------------


def test_a_legal_officer_requests_a_report_built_at_once_and_emailed(
    report_world, eager, media_root, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://peacekeeping.example.org"
    officer = report_world.users["legal_caf"]
    user_preference_set_language(user=officer, language="fr")

    with django_capture_on_commit_callbacks(execute=True):
        report = followup_report_request(actor=officer, host_state=report_world.caf)

    report.refresh_from_db()
    assert (report.status, report.progress, report.attempts) == (S.DONE, 100, 1)
    assert report.period_label == reporting_period(date.today(), "month").label
    assert report.language == "fr"
    assert report.requested_by == officer
    assert report.as_of is not None and report.started_at <= report.finished_at
    assert report.content_sha256 == content_sha256(report.content)
    for fmt in REPORT_FORMATS:
        data = (media_root / getattr(report, fmt).name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == getattr(report, f"{fmt}_sha256")
        assert getattr(report, fmt).name.startswith(f"reports/CAF/{report.period_label}/")
    # The State's legal officers and its host-State liaison, each in their own language.
    sent = {message.to[0]: message for message in mail.outbox}
    assert sorted(sent) == [
        "legal_caf@example.org",
        "legal_minusca@example.org",
        "liaison_caf@example.org",
    ]
    assert sent["legal_caf@example.org"].subject.startswith("Rapport de suivi disponible")
    assert sent["legal_minusca@example.org"].subject.startswith("Follow-up report ready")
    message = sent["legal_caf@example.org"]
    assert f"https://peacekeeping.example.org/reports/{report.pk}/" in message.body
    assert AuditEntry.objects.filter(action="followup_report.request").count() == 1
    done = AuditEntry.objects.get(action="followup_report.done")
    assert done.changes["pdf_sha256"] == [None, report.pdf_sha256]


def test_a_request_while_a_version_is_being_built_returns_that_version(
    report_world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        first = followup_report_request(
            actor=report_world.users["admin"], host_state=report_world.ssd, period_label="2026-Q1"
        )
        second = followup_report_request(
            actor=report_world.users["legal_ssd"],
            host_state=report_world.ssd,
            period_label="2026-q1",
        )

    assert (first.version, second.version) == (1, 1)
    assert (first.created, second.created) == (True, False)
    assert FollowUpReport.objects.filter(host_state=report_world.ssd).count() == 1
    assert (second.period_kind, second.period_start) == ("quarter", date(2026, 1, 1))
    assert second.language == "en"


@pytest.mark.parametrize("persona", ["legal_ssd", "analyst_caf", "staff_minusca", "liaison_caf"])
def test_only_the_states_legal_officers_and_administrators_may_request(report_world, persona):
    with pytest.raises(OutOfScope):
        followup_report_request(actor=report_world.users[persona], host_state=report_world.caf)

    assert not FollowUpReport.objects.exists()


def test_a_legal_officer_of_a_mission_may_request_for_its_host_state(
    report_world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        report = followup_report_request(
            actor=report_world.users["legal_minusca"], host_state=report_world.caf
        )

    assert report.status == S.PENDING


def test_it_refuses_a_period_that_has_not_started(report_world):
    next_year = f"{date.today().year + 1}-01"

    with pytest.raises(DomainError, match="has not started"):
        followup_report_request(
            actor=report_world.users["admin"], host_state=report_world.caf, period_label=next_year
        )


def test_running_the_same_task_twice_builds_one_report(queued, eager, media_root):
    first = build_followup_report.delay(report_id=queued.pk).get()
    second = build_followup_report.delay(report_id=queued.pk).get()

    queued.refresh_from_db()
    assert (first, second) == ("done", "skipped")
    assert (queued.status, queued.attempts) == (S.DONE, 1)
    assert FollowUpReport.objects.count() == 1
    assert len(stored_files(media_root)) == 3


def test_a_running_report_with_a_live_worker_is_not_claimed_again(queued):
    assert followup_report_claim(report_id=queued.pk) == 1

    assert followup_report_claim(report_id=queued.pk) is None
    assert followup_report_claim(report_id=queued.pk, reclaim=True) is None


def test_the_sweeper_may_reclaim_a_report_whose_worker_stopped(queued, media_root):
    make_stale(queued)

    assert followup_report_build(report_id=queued.pk) == "skipped"
    assert followup_report_build(report_id=queued.pk, reclaim=True) == "done"
    queued.refresh_from_db()
    assert (queued.status, queued.attempts) == (S.DONE, 2)


def test_a_worker_that_lost_its_claim_neither_finishes_nor_leaves_files(queued, media_root):
    """The first worker stalls in the PDF; the sweeper's worker takes over and finishes;
    the first one then finds its claim gone, stops, and removes what it wrote."""
    real_render_pdf = services.render_pdf
    outcomes = []
    overtaken = []

    def stall_then_be_overtaken(content, **kwargs):
        if not overtaken:
            overtaken.append(True)
            make_stale(queued, attempts=1)
            outcomes.append(followup_report_build(report_id=queued.pk, reclaim=True))
        return real_render_pdf(content, **kwargs)

    with mock.patch.object(services, "render_pdf", side_effect=stall_then_be_overtaken):
        first = followup_report_build(report_id=queued.pk)

    queued.refresh_from_db()
    assert (first, outcomes) == ("lost", ["done"])
    assert (queued.status, queued.attempts) == (S.DONE, 2)
    assert len(stored_files(media_root)) == 3
    assert all("-a2." in name for name in stored_files(media_root))


def test_progress_of_a_lost_claim_is_refused(queued):
    followup_report_claim(report_id=queued.pk)
    make_stale(queued, attempts=1)
    followup_report_claim(report_id=queued.pk, reclaim=True)

    with pytest.raises(ClaimLost):
        services._progress(queued.pk, 1, 50, "too late")


def test_a_failing_build_keeps_its_error(queued, media_root):
    with mock.patch.object(services, "render_xlsx", side_effect=ValueError("bad cell")):
        assert followup_report_build(report_id=queued.pk) == "failed"

    queued.refresh_from_db()
    assert queued.status == S.FAILED
    assert queued.error == "ValueError: bad cell"
    assert not (media_root / "reports").exists() or stored_files(media_root) == []


def test_a_transient_error_releases_the_claim_for_a_retry(queued, media_root):
    with (
        mock.patch.object(services, "render_pdf", side_effect=OperationalError("db gone")),
        pytest.raises(OperationalError),
    ):
        followup_report_build(report_id=queued.pk)

    queued.refresh_from_db()
    assert (queued.status, queued.attempts) == (S.PENDING, 1)
    assert followup_report_build(report_id=queued.pk) == "done"


def test_the_build_task_retries_only_named_transient_errors():
    retried = set(build_followup_report.autoretry_for)

    assert OperationalError in retried
    assert ValueError not in retried and Exception not in retried
    assert build_followup_report.retry_jitter and build_followup_report.retry_backoff
    assert build_followup_report.acks_late and build_followup_report.reject_on_worker_lost
    assert build_followup_report.soft_time_limit < build_followup_report.time_limit


# --- sweeper ---------------------------------------------------------------------------


def test_the_sweeper_requeues_a_report_left_running_by_a_dead_worker(
    queued, eager, media_root, django_capture_on_commit_callbacks
):
    make_stale(queued)

    with django_capture_on_commit_callbacks(execute=True):
        result = sweep_stalled_reports.delay().get()

    queued.refresh_from_db()
    assert result["requeued"] == [queued.pk]
    assert (queued.status, queued.attempts) == (S.DONE, 2)


def test_the_sweeper_requeues_a_report_nobody_picked_up(
    queued, eager, media_root, django_capture_on_commit_callbacks
):
    make_stale(queued, status=S.PENDING, attempts=0)

    with django_capture_on_commit_callbacks(execute=True):
        result = followup_reports_sweep()

    queued.refresh_from_db()
    assert result["requeued"] == [queued.pk]
    assert (queued.status, queued.attempts) == (S.DONE, 1)


def test_the_sweeper_leaves_live_and_recently_queued_reports_alone(
    queued, django_capture_on_commit_callbacks
):
    followup_report_claim(report_id=queued.pk)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        result = followup_reports_sweep()

    assert result == {"requeued": [], "failed": [], "renotified": []}
    assert callbacks == []


def test_the_sweeper_gives_up_after_the_maximum_attempts(queued, settings):
    settings.REPORT_MAX_ATTEMPTS = 3
    make_stale(queued, attempts=3)

    result = followup_reports_sweep()

    queued.refresh_from_db()
    assert result["failed"] == [queued.pk]
    assert queued.status == S.FAILED
    assert "3 attempts" in queued.error


def test_the_sweeper_sends_a_notification_that_never_went(
    queued, eager, media_root, django_capture_on_commit_callbacks
):
    followup_report_build(report_id=queued.pk)
    FollowUpReport.objects.filter(pk=queued.pk).update(
        finished_at=timezone.now() - timedelta(hours=1)
    )
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        result = followup_reports_sweep()

    assert result["renotified"] == [queued.pk]
    assert len(mail.outbox) == 3  # two legal officers and the host State's liaison
    with django_capture_on_commit_callbacks(execute=True):
        assert followup_reports_sweep()["renotified"] == []


# --- schedule and command ----------------------------------------------------------------


def test_the_schedule_makes_one_report_per_host_state_with_open_cases_once(
    report_world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        first = followup_reports_schedule()
        again = followup_reports_schedule()

    assert sorted(r.host_state.iso3 for r in first) == ["CAF", "COD", "SSD"]
    assert again == []
    assert {r.period_label for r in first} == {reporting_period(date.today(), "month").label}


def test_the_schedule_tries_again_after_a_failure(report_world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        first = followup_reports_schedule()
        FollowUpReport.objects.filter(pk=first[0].pk).update(status=S.FAILED)
        again = followup_reports_schedule()

    assert [(r.host_state_id, r.version) for r in again] == [(first[0].host_state_id, 2)]


def test_the_beat_schedule_names_registered_tasks(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE

    for entry in ("followup-reports", "sweep-stalled-reports", "impunity-digest"):
        assert schedule[entry]["task"] in app.tasks
    assert schedule["sweep-stalled-reports"]["schedule"] == 60.0


# Real commits, as on the command line: each report is built as its transaction commits.
@pytest.mark.django_db(transaction=True)
def test_the_command_builds_a_states_report_in_process(report_world, eager, media_root, capsys):
    call_command("build_followup_reports", "--state", "ssd", "--period", LAST_MONTH.label)

    report = FollowUpReport.objects.get()
    assert (report.host_state.iso3, report.period_label, report.status) == (
        "SSD",
        LAST_MONTH.label,
        S.DONE,
    )
    assert f"SSD {LAST_MONTH.label} v1: built" in capsys.readouterr().out


def test_the_command_refuses_an_unknown_state_or_period(report_world):
    with pytest.raises(CommandError, match="No State"):
        call_command("build_followup_reports", "--state", "XXX")
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("build_followup_reports", "--period", "2026-13")


# --- weekly digest ----------------------------------------------------------------------


def test_the_focal_point_gets_the_cases_that_crossed_a_threshold_this_week(report_world):
    user_preference_set_language(user=report_world.users["focal_minusca"], language="fr")
    crossed = attack(report_world.users["admin"], report_world.minusca, report_world.caf, days=93)

    sent = impunity_digest_send()
    again = impunity_digest_send()

    assert (sent, again) == (1, 0)
    [message] = mail.outbox
    assert message.to == ["focal_minusca@example.org"]
    assert crossed.reference in message.body
    assert report_world.case_old.reference not in message.body  # crossed long ago
    assert report_world.case_recent.reference not in message.body  # not in impunity
    assert "Synthèse impunité, MINUSCA" in message.subject
    assert ImpunityDigest.objects.get().cases == [crossed.reference]


# --- concurrency (PostgreSQL) ---------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_requests_at_the_same_moment_make_one_version(needs_postgres, report_world):
    import threading

    from django.db import connection

    officers = ["legal_caf", "legal_minusca", "admin", "legal_caf"]
    barrier = threading.Barrier(len(officers))
    errors: list[BaseException] = []

    def request(username):
        try:
            barrier.wait()
            followup_report_request(
                actor=report_world.users[username],
                host_state=report_world.caf,
                period_label=LAST_MONTH.label,
            )
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    enqueue_build = services._enqueue_build
    # No build is queued. Patched once, here: four threads each patching and restoring the
    # module's attribute would interleave and could leave a mock in place for the rest of
    # the pytest process (the real-worker tests then waited for builds never queued).
    with mock.patch.object(services, "_enqueue_build"):
        threads = [threading.Thread(target=request, args=(name,)) for name in officers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert errors == []
    assert services._enqueue_build is enqueue_build  # the next tests queue real builds
    versions = FollowUpReport.objects.filter(host_state=report_world.caf).values_list(
        "version", flat=True
    )
    # The first request's version is still being built: the others get it, no new row.
    assert sorted(versions) == [1]
