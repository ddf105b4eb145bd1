"""WSGI entry point of the benchmark's gunicorn: the app with `bench.settings`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
application = get_wsgi_application()
