"""Settings of the worker the tests kill: the project's, plus tests/reports/pause.py,
which makes every report build pause at 45 % ("rendering the PDF"), long enough to kill
the worker there."""

from peacekeeping.settings import *  # noqa: F403
from peacekeeping.settings import CELERY_IMPORTS

CELERY_IMPORTS = (*CELERY_IMPORTS, "tests.reports.pause")
