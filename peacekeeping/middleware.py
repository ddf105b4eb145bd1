"""Shared middleware."""

import zoneinfo

from django.conf import settings
from django.utils import timezone


class UserTimezoneMiddleware:
    """Show times in the user's zone; they are stored and computed in UTC.

    The zone comes from the session (set on the profile page) or DISPLAY_TIME_ZONE.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name = None
        if hasattr(request, "session"):
            name = request.session.get("timezone")
        try:
            timezone.activate(zoneinfo.ZoneInfo(name or settings.DISPLAY_TIME_ZONE))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
