"""The Celery application. Settings come from Django's settings (CELERY_* names)."""

import os

from celery import Celery

from peacekeeping import celery_fixes

# Workers survive a broker restart (peacekeeping/celery_fixes.py).
celery_fixes.apply()

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peacekeeping.settings")

app = Celery("peacekeeping")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
