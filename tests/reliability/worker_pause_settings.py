"""Settings of a worker whose report builds pause for a few seconds at 45 % (rendering),
long enough to restart Redis in the middle of one (tests/reliability/test_broker_restart)."""

from peacekeeping.settings import *  # noqa: F403

FOLLOWUP_REPORT_PAUSE_AT = (45, 6.0)
