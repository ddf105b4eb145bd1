"""Settings of the background work: follow-up reports, exports, notifications, the
outbox and retention, and Celery (broker, queues, routes, beat schedule).
Docs: docs/operators/background-jobs.md."""

from datetime import date

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

from peacekeeping.env import env_choice, env_date, env_int, env_str
from peacekeeping.settings.base import REDIS_URL

# --- Follow-up reports -----------------------------------------------------------------
# Docs: docs/users/follow-up-reports.md. Code: accountability/reports/ (its tasks.py names
# its tasks accountability.tasks.*, as before it was an app).
# A report covers one month or one quarter (the last complete one when scheduled).
FOLLOWUP_REPORT_PERIOD = env_choice("FOLLOWUP_REPORT_PERIOD", "month", {"month", "quarter"})
# Attacks before this date are left out (the period the UN's accountability figures cover).
FOLLOWUP_REPORT_ATTACKS_SINCE = env_date("FOLLOWUP_REPORT_ATTACKS_SINCE", date(2013, 1, 1))
# A suspect held this many days without a trial opened is listed as detained without trial.
FOLLOWUP_DETENTION_THRESHOLD_DAYS = env_int("FOLLOWUP_DETENTION_THRESHOLD_DAYS", 180, minimum=1)
# A report 'running' without a heartbeat for this long, or 'pending' and not picked up for
# this long, is re-queued by the sweeper (from PostgreSQL, not Redis's visibility timeout).
REPORT_STALE_AFTER_SECONDS = env_int("REPORT_STALE_AFTER_SECONDS", 120, minimum=1)
# Claims of one report before the sweeper gives up and marks it failed.
REPORT_MAX_ATTEMPTS = env_int("REPORT_MAX_ATTEMPTS", 3, minimum=1)
FOLLOWUP_REPORT_SOFT_TIME_LIMIT = env_int("FOLLOWUP_REPORT_SOFT_TIME_LIMIT", 300, minimum=1)
FOLLOWUP_REPORT_TIME_LIMIT = env_int("FOLLOWUP_REPORT_TIME_LIMIT", 330, minimum=1)
if FOLLOWUP_REPORT_TIME_LIMIT <= FOLLOWUP_REPORT_SOFT_TIME_LIMIT:
    raise ImproperlyConfigured(
        "FOLLOWUP_REPORT_TIME_LIMIT must be greater than FOLLOWUP_REPORT_SOFT_TIME_LIMIT."
    )
# Absolute links in e-mails (no request to read the host from).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"SITE_URL must start with http:// or https://, not {SITE_URL!r}.")
# --- Exports ---------------------------------------------------------------------------
# Docs: docs/users/exports.md. Code: accountability/exports/.
# Exports of more rows than this (counted first, cheaply) are built by a Celery worker and
# downloaded when done; smaller ones are served at once.
EXPORT_ASYNC_THRESHOLD = env_int("EXPORT_ASYNC_THRESHOLD", 50_000, minimum=0)
# Hours a background export's file is kept; a beat task deletes it afterwards.
EXPORT_RETENTION_HOURS = env_int("EXPORT_RETENTION_HOURS", 72, minimum=1)
# Rows fetched per round trip when rows are written from Python (XLSX, JSON, SQLite).
EXPORT_CHUNK_SIZE = env_int("EXPORT_CHUNK_SIZE", 2000, minimum=100)
# An export job 'running' without a heartbeat, or 'pending' and not picked up, for this
# long is re-queued by the sweeper; after EXPORT_MAX_ATTEMPTS claims it is marked failed.
EXPORT_STALE_AFTER_SECONDS = env_int("EXPORT_STALE_AFTER_SECONDS", 300, minimum=1)
EXPORT_MAX_ATTEMPTS = env_int("EXPORT_MAX_ATTEMPTS", 3, minimum=1)
EXPORT_SOFT_TIME_LIMIT = env_int("EXPORT_SOFT_TIME_LIMIT", 1800, minimum=1)
EXPORT_TIME_LIMIT = env_int("EXPORT_TIME_LIMIT", 1860, minimum=1)
if EXPORT_TIME_LIMIT <= EXPORT_SOFT_TIME_LIMIT:
    raise ImproperlyConfigured("EXPORT_TIME_LIMIT must be greater than EXPORT_SOFT_TIME_LIMIT.")

# --- Notifications ---------------------------------------------------------------------
# See docs/users/desks-and-notifications.md. Code: accountability/notifications/.
# A communication whose answer is due within this many days is notified as "due soon".
FOLLOWUP_DUE_SOON_DAYS = env_int("FOLLOWUP_DUE_SOON_DAYS", 7, minimum=0)
# --- end of Notifications --------------------------------------------------------------

# --- Reliability -----------------------------------------------------------------------
# Docs: docs/operators/reliability.md. Code: peacekeeping/outbox.py, retention.py,
# unavailable.py (503 when the database is down), incidents/tasks.py.
# Seconds a broker health check (one Redis PING) is trusted: pages that queue work say
# "background work is delayed" while the broker is down, without a PING per request.
BROKER_HEALTH_CACHE_SECONDS = env_int("BROKER_HEALTH_CACHE_SECONDS", 5, minimum=0)
# Seconds between two runs of the beat task that publishes jobs left in the outbox.
OUTBOX_PUBLISH_INTERVAL = env_int("OUTBOX_PUBLISH_INTERVAL", 30, minimum=1)
# Personal data of closed matters are anonymised this many years after the matter ended
# (UN Personal Data Protection and Privacy Principles: retention;
# docs/operators/backup-and-retention.md).
RETENTION_YEARS = env_int("RETENTION_YEARS", 10, minimum=1)

# --- Celery: broker, queues, routes, time limits, beat schedule --------------------------
# Docs: docs/operators/background-jobs.md, docs/operators/scaling.md.
# Without a broker, tasks run in-process at once (eager), so every feature still works.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 600, minimum=1)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 660, minimum=1)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
# A worker reconnects to a broker that restarts or is down for a while, for ever (the
# default gives up after 100 attempts and exits); see also peacekeeping/celery_fixes.py.
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_TIMEZONE = "UTC"

# Celery queues by kind of work, each consumed by workers scaled on their own
# (docker-compose.yml: worker-reports, worker-exports, worker-notifications):
#   reports        follow-up report builds (WeasyPrint: CPU and memory, minutes)
#   exports        background exports (long database reads, large files)
#   notifications  e-mails (short, many, must not wait behind a report)
#   celery         the default: beat's sweepers, schedule, outbox, retention (tiny)
# A worker started without -Q consumes all four (local use, tests).
CELERY_TASK_DEFAULT_QUEUE = "celery"
# Each queue bound by its own routing key: a task routed to "reports" lands there only.
CELERY_TASK_QUEUES = [
    Queue(name, routing_key=name) for name in ("celery", "reports", "exports", "notifications")
]
CELERY_TASK_ROUTES = {
    "accountability.tasks.build_*": {"queue": "reports"},
    "accountability.exports.tasks.build_*": {"queue": "exports"},
    "*.notify_*": {"queue": "notifications"},
    "*.send_*": {"queue": "notifications"},
}
# The worker imports the export and notification tasks (the apps' tasks modules are
# found by autodiscovery; these are not an app's tasks.py).
CELERY_IMPORTS = ("accountability.exports.tasks", "accountability.notifications.tasks")

# Exactly one `celery beat` runs (docker-compose.yml: deploy.replicas 1). Its
# entries are idempotent, so a beat restarted elsewhere after a failure is harmless.
CELERY_BEAT_SCHEDULE = {
    # Daily and idempotent: the last complete period's report is created once per
    # State, so a beat that was down on the 1st catches up the next day.
    "followup-reports": {
        "task": "accountability.tasks.schedule_followup_reports",
        "schedule": crontab(minute=0, hour=5),
    },
    "sweep-stalled-reports": {
        "task": "accountability.tasks.sweep_stalled_reports",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    "impunity-digest": {
        "task": "accountability.tasks.send_impunity_digest",
        "schedule": crontab(minute=0, hour=6, day_of_week="mon"),
    },
    "purge-expired-exports": {
        "task": "accountability.exports.tasks.purge_expired_exports",
        "schedule": crontab(minute=20),
    },
    "sweep-stalled-exports": {
        "task": "accountability.exports.tasks.sweep_stalled_exports",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    "publish-outbox": {
        "task": "peacekeeping.tasks.publish_outbox",
        "schedule": float(OUTBOX_PUBLISH_INTERVAL),
        "options": {"expires": max(OUTBOX_PUBLISH_INTERVAL - 1, 1)},
    },
    "apply-retention": {
        "task": "peacekeeping.tasks.apply_retention",
        "schedule": crontab(minute=30, hour=3),
    },
    # A checkpoint of the audit chain's head: a cut history then shows.
    "audit-checkpoint": {
        "task": "peacekeeping.tasks.audit_checkpoint",
        "schedule": 60.0 * env_int("AUDIT_CHECKPOINT_MINUTES", 5, minimum=1),
    },
    "notification-deadlines": {
        "task": "accountability.notifications.tasks.scan_notification_deadlines",
        "schedule": crontab(minute=30, hour=5),
    },
    "notification-digest": {
        "task": "accountability.notifications.tasks.send_notification_digest",
        "schedule": crontab(minute=0, hour=7),
    },
}
