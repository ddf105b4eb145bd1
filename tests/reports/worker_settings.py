"""Settings of the worker the tests kill: the project's, plus a pause in the middle of
every report build (at 45 %, "rendering the PDF"), long enough to kill it there."""

from peacekeeping.settings import *  # noqa: F403

FOLLOWUP_REPORT_PAUSE_AT = (45, 300.0)
