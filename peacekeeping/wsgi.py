"""WSGI entry point, served by gunicorn."""

import os

from django.core.wsgi import get_wsgi_application

from peacekeeping.gc_tuning import tune_after_startup

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peacekeeping.settings")
application = get_wsgi_application()
tune_after_startup()
