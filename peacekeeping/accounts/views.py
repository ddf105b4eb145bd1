"""Account pages: Django's auth views, plus the account page and the two-factor pages.

Views stay thin: each write is a call to peacekeeping.accounts.services.
"""

import base64
from base64 import b32encode

import django_otp
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import i18n
from django.views.decorators.http import require_POST

from peacekeeping.accounts import services
from peacekeeping.accounts.forms import TokenForm
from peacekeeping.accounts.models import UserSession, recipient_language
from peacekeeping.accounts.network import client_ip
from peacekeeping.accounts.policy import two_factor_enabled, two_factor_required
from peacekeeping.errors import DomainError


def _next_url(request, default: str = "") -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default or reverse(settings.LOGIN_REDIRECT_URL)


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def locked_out(request, original_response=None, credentials=None):
    """The page django-axes answers a locked-out login with (429 Too Many Requests)."""
    return render(
        request,
        "accounts/locked_out.html",
        {
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "minutes": max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)),
        },
        status=429,
    )


# --- Django's views, with the session rules added ---------------------------------------


def _set_language_cookie(response, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


class LoginView(auth_views.LoginView):
    """Django's login, which also brings back the language the user last chose."""

    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        language = services.user_preferred_language(user=form.get_user())
        if language:
            _set_language_cookie(response, language)
        return response


def set_language(request):
    """Django's language switch (cookie, redirect to `next`), remembered for the user.

    Anyone may switch (the login page has the switch too); a signed-in user's choice is
    also saved, and applied again at their next login on any browser.
    """
    response = i18n.set_language(request)
    language = request.POST.get(i18n.LANGUAGE_QUERY_PARAMETER, "")
    if (
        request.method == "POST"
        and request.user.is_authenticated
        and language in dict(settings.LANGUAGES)
    ):
        services.user_preference_set_language(user=request.user, language=language)
    return response


class LogoutView(auth_views.LogoutView):
    """Logging out anywhere ends every session of the user, and their API tokens."""

    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            services.user_end_other_sessions(
                user=request.user, keep_session_key=request.session.session_key, reason="logout"
            )
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You have been logged out."))
        # The offline outbox and the pages kept for offline use go with the session
        # (static/js/offline.js also deletes them before posting the logout).
        response["Clear-Site-Data"] = '"storage"'
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """The current session stays signed in; every other one, and every token, ends."""

    def form_valid(self, form):
        # super() saves the password and cycles this session's key (update_session_auth_hash).
        old_key = self.request.session.session_key
        response = super().form_valid(form)
        services.user_password_changed(
            user=form.user,
            session=self.request.session,
            previous_session_key=old_key,
            via="change",
        )
        return response


class PasswordResetForm(auth_forms.PasswordResetForm):
    """The reset e-mail is written in the account holder's language (the one they chose
    in the app), not the language of whoever asked for it."""

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        fallback = translation.get_language()
        with translation.override(recipient_language(context["user"], fallback)):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """A reset password ends every session and token of the account."""

    def form_valid(self, form):
        response = super().form_valid(form)
        services.user_password_changed(user=form.user, via="reset")
        return response


# --- The account page ----------------------------------------------------------------------


@login_required
def account(request):
    memberships = (
        # The scope's mission or country is printed for each membership.
        request.user.memberships.all().select_related("mission", "country").order_by("role", "id")
    )
    sessions = UserSession.objects.filter(user=request.user).order_by("-last_seen")
    return render(
        request,
        "accounts/account.html",
        {
            "memberships": memberships,
            "sessions": sessions,
            "current_session_key": request.session.session_key,
            "two_factor_enabled": two_factor_enabled(request.user),
            "two_factor_required": two_factor_required(request.user),
        },
    )


@login_required
@require_POST
def end_other_sessions(request):
    ended = services.user_end_other_sessions(
        user=request.user, keep_session_key=request.session.session_key, reason="user_request"
    )
    messages.success(
        request,
        ngettext(
            "Signed out of %(count)d other session.",
            "Signed out of %(count)d other sessions.",
            ended,
        )
        % {"count": ended},
    )
    return redirect("account")


# --- Two-factor authentication ---------------------------------------------------------------


def _qr_data_uri(text: str) -> str:
    """The otpauth URI as an inline SVG image (data: URI): no external service, no script."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode()


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_required
def two_factor_setup(request):
    user = request.user
    if two_factor_enabled(user):
        if not user.is_verified():
            # A second device must never be a way around the first one.
            return redirect(_with_next("two_factor_verify", reverse("account")))
        messages.info(request, _("Two-factor authentication is already enabled."))
        return redirect("account")

    device = services.two_factor_device_for_setup(user=user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        confirmed = services.two_factor_confirm(
            user=user,
            device=device,
            token=form.cleaned_data["token"],
            ip_address=client_ip(request),
        )
        if confirmed is not None:
            django_otp.login(request, confirmed)
            request.session[services.SESSION_SECOND_FACTOR] = True
            messages.success(request, _("Two-factor authentication is now enabled."))
            return redirect(_next_url(request, reverse("account")))
        form.add_error("token", _("That code is not valid. Check your device's clock and retry."))

    secret = b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "secret": _grouped(secret),
            "otpauth_uri": device.config_url,
            "qr_data_uri": _qr_data_uri(device.config_url),
            "required": two_factor_required(user),
            "next": _next_url(request, reverse("account")),
        },
    )


@login_required
def two_factor_verify(request):
    user = request.user
    next_url = _next_url(request)
    if user.is_verified():
        return redirect(next_url)
    if not two_factor_enabled(user):
        return redirect(_with_next("two_factor_setup", next_url))

    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.two_factor_verify(
            user=user, token=form.cleaned_data["token"], ip_address=client_ip(request)
        )
        if device is not None:
            django_otp.login(request, device)
            return redirect(next_url)
        form.add_error(
            "token", _("That code is not valid, or too many attempts: wait a little and retry.")
        )
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": next_url})


@login_required
@require_POST
def two_factor_disable(request):
    try:
        services.two_factor_disable(
            actor=request.user, user=request.user, ip_address=client_ip(request)
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        request.session[services.SESSION_SECOND_FACTOR] = False
        messages.success(request, _("Two-factor authentication is now disabled."))
    return redirect("account")
