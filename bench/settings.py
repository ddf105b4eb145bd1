"""Settings of the benchmark: the app's own, plus a URLconf with a minimal view.

The app's settings are imported unchanged (same middleware, same database options), so
the minimal view and the app's pages pay the same framework costs on the same gunicorn.
DEBUG is off, as in production: with it on, Django keeps every SQL query in memory.
"""

import warnings

from peacekeeping.settings import *  # noqa: F403
from peacekeeping.settings import REST_FRAMEWORK

DEBUG = False
# The test client (figures B4, B5, B7) calls itself "testserver".
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]  # noqa: F405
ROOT_URLCONF = "bench.urls"
WSGI_APPLICATION = "bench.wsgi.application"
# wrk sends thousands of requests a second from one user: the throttles stay in the
# request path (their cost is part of every API call) but never refuse.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {
        **REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
        "user": "100000000/hour",
        "anon": "100000000/hour",
    },
}
# Pages are measured without their static files (no collectstatic needed).
warnings.filterwarnings("ignore", "No directory at", UserWarning)
