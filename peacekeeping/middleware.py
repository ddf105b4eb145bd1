"""Shared middleware."""

import zoneinfo

from django.conf import settings
from django.utils import timezone
from django.utils.csp import build_policy


class BaselineSecurityHeadersMiddleware:
    """The pages' security headers on every answer, whoever produced it.

    First in MIDDLEWARE, so it sees every response last: the probes (answered by
    ProbeMiddleware before anything else) and static files (answered by WhiteNoise
    before the CSP and X-Frame-Options middleware) get the same headers as pages. It only
    fills in what is missing; a page keeps its own (its CSP carries a nonce).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.headers = {
            "Content-Security-Policy": build_policy(settings.SECURE_CSP),
            "X-Content-Type-Options": "nosniff",
            "X-Frame-Options": settings.X_FRAME_OPTIONS,
            "Referrer-Policy": settings.SECURE_REFERRER_POLICY,
            "Cross-Origin-Opener-Policy": settings.SECURE_CROSS_ORIGIN_OPENER_POLICY,
        }
        hsts = getattr(settings, "SECURE_HSTS_SECONDS", 0)
        self.hsts = ""
        if hsts:
            self.hsts = f"max-age={hsts}"
            if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
                self.hsts += "; includeSubDomains"
            if settings.SECURE_HSTS_PRELOAD:
                self.hsts += "; preload"

    def __call__(self, request):
        response = self.get_response(request)
        for header, value in self.headers.items():
            response.headers.setdefault(header, value)
        if self.hsts and request.is_secure():
            response.headers.setdefault("Strict-Transport-Security", self.hsts)
        return response


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
