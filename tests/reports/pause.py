"""Loaded by the worker the tests kill (tests/reports/worker_settings.py, CELERY_IMPORTS):
every report build of that worker stops at 45 % ("rendering the PDF") long enough for
the test to kill it there. The project's settings hold no such test-only switch."""

import time

from accountability.reports import services

PAUSE_AT, PAUSE_SECONDS = 45, 300.0
_record_progress = services._progress


def _progress_then_pause(report_id: int, attempt: int, progress: int, message: str) -> None:
    _record_progress(report_id, attempt, progress, message)
    if progress == PAUSE_AT:
        time.sleep(PAUSE_SECONDS)


services._progress = _progress_then_pause
