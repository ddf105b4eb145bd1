"""Login throttling with django-axes, plus our own log line and audit entry per failure.

Settings (peacekeeping/settings/base.py, accounts block): AXES_FAILURE_LIMIT failures of one
username from one client IP lock that pair; LOGIN_ADDRESS_FAILURE_LIMIT failures from one
IP, whatever the usernames, lock the IP (password spraying); both until AXES_COOLOFF_TIME
has passed since the last failure.

Why not per username alone: anyone anywhere could then lock a named user out by typing
five wrong passwords. Why not per IP alone at five: one office behind one NAT address
would lock itself out. Attempts refused during a lockout are not recorded
(AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False), so the right password typed by a
locked-out user never counts as a failure nor prolongs the lock.
"""

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from django.db.models import Sum


class ThrottledLoginBackend(AxesStandaloneBackend):
    """Refuses every authentication attempt while its username or IP is locked out.

    Axes raises when `authenticate()` is called without a request. Every HTTP login
    path (the login page, the admin, DRF) passes one; only programmatic calls such as
    Django's test `Client.login()` do not, and there is no client to throttle then.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class AuditedAxesHandler(AxesDatabaseHandler):
    """Axes' database handler with two limits; each failure is also logged and audited."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        """Failures of this username from this address, or the limit once the address
        has passed its own (higher) limit.

        Axes compares one count to one limit (AXES_FAILURE_LIMIT) for every lockout
        parameter; AXES_LOCKOUT_PARAMETERS lists [username + IP, IP], in that order.
        """
        from django.conf import settings

        pair, address = (
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        if address >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            return max(pair, get_failure_limit(request, credentials))
        return pair

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        result = super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None:
            from peacekeeping.accounts.services import login_failure_record

            login_failure_record(
                username=get_client_username(request, credentials),
                ip_address=getattr(request, "axes_ip_address", None),
                user_agent=getattr(request, "axes_user_agent", ""),
                failures=getattr(request, "axes_failures_since_start", None),
                locked_out=bool(getattr(request, "axes_locked_out", False)),
            )
        return result


def axes_username(request, credentials: dict | None) -> str | None:
    """The username axes records, cut to the longest a username can be (150).

    Axes stores it in a 255-character column: a login posted with a longer "username"
    (found by fuzzing the login form) must be refused, not crash on the insert.
    """
    from django.conf import settings

    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        username = credentials.get(field)
    else:
        username = request.POST.get(field) if request is not None else None
    return username[:150] if isinstance(username, str) else username
