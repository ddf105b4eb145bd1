"""WSGI entry point of the benchmark's gunicorn: the app with `bench.settings`."""

import os

from django.core.wsgi import get_wsgi_application

from peacekeeping.gc_tuning import tune_after_startup

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
application = get_wsgi_application()
tune_after_startup()
