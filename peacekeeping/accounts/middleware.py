"""Session lifetime (idle and absolute timeouts) and the two-factor gate."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY, logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from peacekeeping.accounts.network import client_ip, client_user_agent
from peacekeeping.accounts.services import (
    SESSION_LAST_SEEN,
    SESSION_SECOND_FACTOR,
    SESSION_STARTED_AT,
    session_expired_log,
    user_session_start,
    user_session_touch,
)


def _is_htmx(request) -> bool:
    # HtmxMiddleware runs after this one, so read the header itself.
    return request.headers.get("HX-Request") == "true"


class SessionTimeoutMiddleware:
    """Log out a session idle for SESSION_IDLE_TIMEOUT or older than SESSION_ABSOLUTE_TIMEOUT.

    The login time and the last activity are kept in the session itself, so a request
    costs no query for this; the last activity is rewritten (and the UserSession row
    touched) at most once a minute, which is the precision of the idle timeout.
    An expired session is flushed and the browser sent to the login page with a message.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        # Checking the session first avoids loading the user of anonymous requests.
        if session is None or BACKEND_SESSION_KEY not in session:
            return self.get_response(request)
        user = request.user
        if not user.is_authenticated:
            return self.get_response(request)

        now = time.time()
        started = session.get(SESSION_STARTED_AT)
        if started is None:
            # Logged in before this middleware existed: start counting now.
            user_session_start(
                user=user,
                session=session,
                ip_address=client_ip(request),
                user_agent=client_user_agent(request),
            )
            return self.get_response(request)

        last_seen = session.get(SESSION_LAST_SEEN, started)
        if now - last_seen > settings.SESSION_IDLE_TIMEOUT:
            return self._expire(request, reason="idle")
        if now - started > settings.SESSION_ABSOLUTE_TIMEOUT:
            return self._expire(request, reason="absolute")

        resolution = min(60, settings.SESSION_IDLE_TIMEOUT / 10)
        if now - last_seen >= resolution:
            session[SESSION_LAST_SEEN] = now
            user_session_touch(session_key=session.session_key, at=now)
        return self.get_response(request)

    def _expire(self, request, *, reason: str):
        user = request.user
        session_expired_log(user=user, reason=reason, ip_address=client_ip(request))
        # logout() sends user_logged_out, whose receiver drops the UserSession row.
        logout(request)
        if reason == "idle":
            message = _("Your session expired after a period of inactivity. Please log in again.")
        else:
            message = _("Your session reached its maximum length. Please log in again.")
        messages.warning(request, message)
        if _is_htmx(request):
            return HttpResponseClientRedirect(reverse(settings.LOGIN_URL))
        next_url = request.get_full_path() if request.method == "GET" else None
        if next_url:
            return redirect_to_login(next_url)
        return redirect(settings.LOGIN_URL)


# Pages an unverified user may still reach: the two-factor pages themselves, logging out,
# choosing a language, and the health probe.
TWO_FACTOR_EXEMPT = frozenset(
    {"two_factor_setup", "two_factor_verify", "logout", "set_language", "healthz"}
)


class TwoFactorMiddleware:
    """After the password, send users who need a second factor to verify (or set up) TOTP.

    Who needs it is decided at login (services.user_session_start): users whose role
    requires it when REQUIRE_2FA_FOR_PRIVILEGED is on, and anyone who enabled it.
    Runs after django_otp's OTPMiddleware, which provides `user.is_verified()`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is not None and match.url_name in TWO_FACTOR_EXEMPT:
            return None
        session = getattr(request, "session", None)
        if session is None or BACKEND_SESSION_KEY not in session:
            return None
        user = request.user
        if not user.is_authenticated or not session.get(SESSION_SECOND_FACTOR, False):
            return None
        if user.is_verified():
            return None

        from peacekeeping.accounts.policy import two_factor_enabled

        target = reverse("two_factor_verify" if two_factor_enabled(user) else "two_factor_setup")
        url = f"{target}?{urlencode({'next': request.get_full_path()})}"
        if _is_htmx(request):
            return HttpResponseClientRedirect(url)
        return redirect(url)
