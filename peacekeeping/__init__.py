"""Project package: settings, URLs, Celery app, WSGI/ASGI and truly shared helpers."""

from peacekeeping.celery import app as celery_app

__all__ = ("celery_app",)
