"""Writes of the accounts machinery: sessions, deactivation, failed logins, TOTP devices.

Every function here is audited (peacekeeping.audit) and logs one structured line on the
`peacekeeping.accounts` logger.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime, timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from peacekeeping.accounts.models import UserPreference, UserSession
from peacekeeping.accounts.policy import (
    is_administrator,
    second_factor_needed,
    two_factor_required,
)
from peacekeeping.audit import audit_record
from peacekeeping.errors import DomainError, IllegalTransition

logger = logging.getLogger("peacekeeping.accounts")

# Keys this package keeps in the session (epoch seconds; JSON-serialisable).
SESSION_STARTED_AT = "_accounts_started_at"
SESSION_LAST_SEEN = "_accounts_last_seen"
SESSION_TRACKED_KEY = "_accounts_session_key"
# Whether this login must pass a TOTP check: decided once at login, so that ordinary
# requests cost no query for it.
SESSION_SECOND_FACTOR = "_accounts_second_factor"


def _session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


# --- Sessions ---------------------------------------------------------------------------


@transaction.atomic
def user_session_start(
    *, user, session, ip_address: str | None = None, user_agent: str = ""
) -> UserSession:
    """Record a fresh login: timestamps in the session, and a UserSession row.

    Called on Django's `user_logged_in` signal, i.e. after `login()` has rotated the
    session key, so the row names the new key.
    """
    if not session.session_key:
        session.save()
    now = time.time()
    previous_key = session.get(SESSION_TRACKED_KEY)
    if previous_key and previous_key != session.session_key:
        # The same user logged in again without logging out: the key was cycled.
        UserSession.objects.filter(session_key=previous_key).delete()
    # Rows older than the absolute limit name sessions that can no longer be used.
    stale_before = timezone.now() - timedelta(seconds=settings.SESSION_ABSOLUTE_TIMEOUT)
    UserSession.objects.filter(user=user, last_seen__lt=stale_before).delete()

    session[SESSION_STARTED_AT] = now
    session[SESSION_LAST_SEEN] = now
    session[SESSION_TRACKED_KEY] = session.session_key
    session[SESSION_SECOND_FACTOR] = second_factor_needed(user)
    row, _created = UserSession.objects.update_or_create(
        session_key=session.session_key,
        defaults={
            "user": user,
            "created_at": timezone.now(),
            "last_seen": timezone.now(),
            "ip": ip_address,
            "user_agent": user_agent[:255],
        },
    )
    logger.info(
        "login",
        extra={
            "event": "login",
            "user_id": user.pk,
            "username": user.get_username(),
            "ip": ip_address,
        },
    )
    return row


def user_session_touch(*, session_key: str, at: float) -> None:
    """Note activity on a session (called at most once a minute per session)."""
    UserSession.objects.filter(session_key=session_key).update(
        last_seen=datetime.fromtimestamp(at, tz=UTC)
    )


def user_session_forget(*, session_key: str | None) -> None:
    """The session is over (logout or timeout): drop its row."""
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


def session_expired_log(*, user, reason: str, ip_address: str | None) -> None:
    logger.info(
        "session_expired",
        extra={
            "event": "session_expired",
            "reason": reason,
            "user_id": user.pk,
            "username": user.get_username(),
            "ip": ip_address,
        },
    )


@transaction.atomic
def user_end_other_sessions(
    *, user, keep_session_key: str | None = None, actor=None, reason: str = ""
) -> int:
    """End every session of `user` except `keep_session_key`, and delete all API tokens.

    Returns how many sessions were ended. Other browsers of the user find themselves
    logged out at their next request; API clients must obtain a new token.
    """
    rows = UserSession.objects.filter(user=user)
    if keep_session_key:
        rows = rows.exclude(session_key=keep_session_key)
    keys = list(rows.values_list("session_key", flat=True))
    store = _session_store()()
    for key in keys:
        store.delete(key)
    UserSession.objects.filter(session_key__in=keys).delete()
    tokens, _details = Token.objects.filter(user=user).delete()
    audit_record(
        actor=actor or user,
        action="sessions_ended",
        obj=user,
        changes={"reason": reason, "sessions": len(keys), "tokens": tokens},
    )
    logger.info(
        "sessions_ended",
        extra={
            "event": "sessions_ended",
            "reason": reason,
            "user_id": user.pk,
            "sessions": len(keys),
            "tokens": tokens,
        },
    )
    return len(keys)


@transaction.atomic
def user_password_changed(
    *, user, via: str, session=None, previous_session_key: str | None = None
) -> int:
    """After a password change (`via="change"`, from `session`) or a reset (`via="reset"`).

    A change keeps the session it was made from (whose key Django has just cycled, from
    `previous_session_key`) and ends every other one; a reset ends them all. All API
    tokens end either way. Returns how many sessions were ended.
    """
    keep = None
    if session is not None and session.session_key:
        keep = session.session_key
        if previous_session_key and previous_session_key != keep:
            UserSession.objects.filter(session_key=previous_session_key).update(session_key=keep)
            session[SESSION_TRACKED_KEY] = keep
    audit_record(actor=user, action="password_changed", obj=user, changes={"via": via})
    return user_end_other_sessions(user=user, keep_session_key=keep, reason=f"password_{via}")


@transaction.atomic
def user_deactivate(*, actor, user) -> None:
    """Deactivate an account: it can no longer log in, and every session and token ends."""
    if actor is not None and not is_administrator(actor):
        raise DomainError(_("Only an administrator may deactivate an account."), code="forbidden")
    if actor is not None and actor.pk == user.pk:
        raise IllegalTransition(_("You cannot deactivate your own account."))
    # Lock the row: two administrators deactivating at once must not both succeed.
    locked = get_user_model().objects.select_for_update().get(pk=user.pk)
    if not locked.is_active:
        raise IllegalTransition(_("This account is already deactivated."))
    locked.is_active = False
    locked.save(update_fields=["is_active"])
    user.is_active = False
    audit_record(
        actor=actor, action="user_deactivated", obj=locked, changes={"is_active": [True, False]}
    )
    user_end_other_sessions(user=locked, actor=actor, reason="deactivated")


# --- Failed logins ----------------------------------------------------------------------


def login_failure_record(
    *,
    username: str | None,
    ip_address: str | None,
    user_agent: str = "",
    failures: int | None = None,
    locked_out: bool = False,
) -> None:
    """Log and audit one failed login (called by the throttling handler for each one)."""
    user = None
    if username:
        user_model = get_user_model()
        user = user_model.objects.filter(**{user_model.USERNAME_FIELD: username}).first()
    logger.warning(
        "login_failed",
        extra={
            "event": "login_failed",
            "username": username or "",
            "user_id": user.pk if user else None,
            "ip": ip_address,
            "failures": failures,
            "locked_out": locked_out,
        },
    )
    audit_record(
        actor=None,
        action="login_failed",
        object_type="auth.user",
        object_id=str(user.pk) if user else "",
        changes={
            "username": (username or "")[:150],
            "failures": failures,
            "locked_out": locked_out,
            "user_agent": user_agent[:255],
        },
        ip_address=ip_address,
    )


# --- Two-factor authentication ------------------------------------------------------------


@transaction.atomic
def two_factor_device_for_setup(*, user) -> TOTPDevice:
    """The unconfirmed TOTP device the setup page shows (one per user, reused on reload)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    return device


@transaction.atomic
def two_factor_confirm(*, user, device: TOTPDevice, token: str, ip_address: str | None = None):
    """Confirm a new device with its first token. Returns the device, or None if refused."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    if device.user_id != user.pk or device.confirmed:
        raise IllegalTransition(_("This device cannot be confirmed."))
    if not device.verify_token(token):
        _two_factor_failure(user=user, ip_address=ip_address, stage="setup")
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    audit_record(
        actor=user,
        action="two_factor_enabled",
        obj=user,
        changes={"device": device.name},
        ip_address=ip_address,
    )
    logger.info("two_factor_enabled", extra={"event": "two_factor_enabled", "user_id": user.pk})
    return device


def two_factor_verify(*, user, token: str, ip_address: str | None = None):
    """Check a token against the user's confirmed devices. Returns the device, or None.

    Each device throttles itself after a failure (django-otp's ThrottlingMixin), so the
    six digits cannot be guessed by brute force.
    """
    with transaction.atomic():
        # Rows locked, so two concurrent guesses cannot both slip under the throttle.
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if device.verify_token(token):
                logger.info(
                    "two_factor_verified",
                    extra={"event": "two_factor_verified", "user_id": user.pk},
                )
                return device
        _two_factor_failure(user=user, ip_address=ip_address, stage="verify")
    return None


def _two_factor_failure(*, user, ip_address: str | None, stage: str) -> None:
    logger.warning(
        "two_factor_failed",
        extra={"event": "two_factor_failed", "stage": stage, "user_id": user.pk, "ip": ip_address},
    )
    audit_record(
        actor=user,
        action="two_factor_failed",
        obj=user,
        changes={"stage": stage},
        ip_address=ip_address,
    )


@transaction.atomic
def two_factor_disable(*, actor, user, ip_address: str | None = None) -> int:
    """Remove the user's devices. Refused while policy requires a second factor of them."""
    if two_factor_required(user):
        raise IllegalTransition(_("Your role requires two-factor authentication."))
    removed = 0
    for device in devices_for_user(user, confirmed=None):
        device.delete()
        removed += 1
    if not removed:
        raise IllegalTransition(_("Two-factor authentication is not enabled."))
    audit_record(
        actor=actor,
        action="two_factor_disabled",
        obj=user,
        changes={"devices": removed},
        ip_address=ip_address,
    )
    logger.info("two_factor_disabled", extra={"event": "two_factor_disabled", "user_id": user.pk})
    return removed


# --- Preferences --------------------------------------------------------------------------


@transaction.atomic
def user_preference_set_language(*, user, language: str) -> UserPreference:
    """Remember the language the user chose, for their next logins anywhere."""
    if language not in dict(settings.LANGUAGES):
        raise DomainError(
            _("“%(language)s” is not a language of this site.") % {"language": language},
            field="language",
        )
    preference, _created = UserPreference.objects.select_for_update().get_or_create(user=user)
    if preference.language != language:
        before = preference.language or None
        preference.language = language
        preference.save(update_fields=["language", "updated_at"])
        audit_record(
            actor=user,
            action="user.set_language",
            obj=preference,
            changes={"language": [before, language]},
        )
    return preference


def user_preferred_language(*, user) -> str | None:
    """The language the user last chose, if they chose one."""
    return (
        UserPreference.objects.filter(user=user).values_list("language", flat=True).first() or None
    )
