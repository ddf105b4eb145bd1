"""Settings, driven by the environment (see .env.example), by subject: `base` (Django,
database, cache, accounts, languages, files, e-mail, security, map, domain rules,
logging), `api` (the REST API), `jobs` (reports, exports, notifications, Celery).

Local development needs no variable at all: SQLite, in-process background jobs, DEBUG on.
Production is DEBUG=false and must name SECRET_KEY and ALLOWED_HOSTS.
"""

from peacekeeping.settings.api import *  # noqa: F403
from peacekeeping.settings.base import *  # noqa: F403
from peacekeeping.settings.jobs import *  # noqa: F403
