"""Redis restarted with jobs queued: none lost.

- With append-only persistence (as docker-compose.yml runs Redis:
  `redis-server --appendonly yes --appendfsync everysec`; here `always`), jobs queued
  before Redis crashed (SIGKILL) are still queued after it restarts, and a worker that
  starts then runs them all.
- Without persistence Redis loses them; the job state in PostgreSQL does not: the
  reports' sweeper re-queues a report nobody picked up, and it is built.
"""

import time
from datetime import UTC, date, datetime, timedelta

import pytest

from accountability.reports.models import FollowUpReport
from accountability.reports.periods import Period
from accountability.reports.services import followup_report_create, followup_reports_sweep
from incidents.choices import AttackType, IncidentType, Outcome
from incidents.services import casualty_add, incident_record, incident_submit
from missions.choices import PersonnelCategory
from peacekeeping.celery import app
from peacekeeping.models import AuditEntry
from tests.reliability.conftest import RedisServer, broker_at, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.redis, pytest.mark.postgres]

LAST_MONTH = Period.containing(date.today(), "month").previous()


def queue_of(task: str) -> str:
    return app.amqp.router.route({}, task)["queue"].name


def submit_attack(world, place: str) -> int:
    """Mission staff submit a deadly ambush: a case opens, its e-mail job is queued."""
    actor = world.users["staff_a"]
    incident = incident_record(
        actor=actor,
        mission=world.mission_a,
        occurred_at=datetime.now(UTC) - timedelta(days=3),
        incident_type=IncidentType.MALICIOUS_ACT,
        attack_type=AttackType.AMBUSH,
        place=place,
    )
    casualty_add(
        actor=actor,
        incident=incident,
        category=PersonnelCategory.MILITARY_CONTINGENT,
        outcome=Outcome.KILLED,
    )
    incident_submit(actor=actor, incident=incident)
    return incident.case_link.case_id


def notified(case_ids) -> bool:
    return AuditEntry.objects.filter(
        action="case.notify_opened", object_id__in=[str(pk) for pk in case_ids]
    ).count() == len(case_ids)


def test_jobs_queued_before_redis_crashed_all_run_after_it_restarts(
    needs_postgres, world, own_redis, start_worker, media_root
):
    own_redis.start()
    with broker_at(own_redis.url):
        cases = [submit_attack(world, place) for place in ("Bria", "Ndélé", "Obo")]
        report = followup_report_create(host_state=world.host_a, period=LAST_MONTH)
        client = own_redis.client()
        notify_queue = queue_of("incidents.tasks.notify_case_opened")
        report_queue = queue_of("accountability.tasks.build_followup_report")
        # Per case: the e-mail to the legal officers and the in-app notifications.
        assert client.llen(notify_queue) == 6 and client.llen(report_queue) == 1

        own_redis.crash()  # no shutdown, no final save
        own_redis.start()  # same port, same folder: replays the append-only file

        assert own_redis.client().llen(notify_queue) == 6
        assert own_redis.client().llen(report_queue) == 1
        worker = start_worker(own_redis.url)
        wait_for(lambda: notified(cases), timeout=120, what="the 3 e-mail jobs", log=worker.log)
        wait_for(
            lambda: FollowUpReport.objects.get(pk=report.pk).status == "done",
            timeout=180,
            what="the report",
            log=worker.log,
        )


def test_a_job_redis_lost_is_requeued_from_postgresql_by_the_sweeper(
    needs_postgres, world, redis_server_binary, tmp_path, start_worker, media_root, settings
):
    volatile = RedisServer(tmp_path, appendonly=False).start()  # no persistence at all
    try:
        with broker_at(volatile.url):
            report = followup_report_create(host_state=world.host_a, period=LAST_MONTH)
            report_queue = queue_of("accountability.tasks.build_followup_report")
            assert volatile.client().llen(report_queue) == 1

            volatile.crash()
            volatile.start()
            assert volatile.client().llen(report_queue) == 0  # lost by Redis

            worker = start_worker(volatile.url)
            time.sleep(3)
            assert FollowUpReport.objects.get(pk=report.pk).status == "pending"  # nobody knows

            settings.REPORT_STALE_AFTER_SECONDS = 1
            time.sleep(1.5)
            assert followup_reports_sweep()["requeued"] == [report.pk]  # beat, every minute
            wait_for(
                lambda: FollowUpReport.objects.get(pk=report.pk).status == "done",
                timeout=180,
                what="the report re-queued by the sweeper",
                log=worker.log,
            )
    finally:
        volatile.stop()
