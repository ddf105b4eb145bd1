"""Who must use a second factor. Reads only; the writes are in services.py."""

from django.conf import settings
from django_otp import user_has_device


def is_privileged(user) -> bool:
    """Administrators (superuser or administrator membership) and legal officers."""
    from missions.choices import Role
    from missions.scope import user_scope

    scope = user_scope(user)
    return scope.is_admin or scope.has_role(Role.LEGAL_OFFICER)


def two_factor_required(user) -> bool:
    """The user may not work without a verified TOTP device."""
    return bool(settings.REQUIRE_2FA_FOR_PRIVILEGED) and is_privileged(user)


def two_factor_enabled(user) -> bool:
    """The user has a confirmed device (set up voluntarily or because required)."""
    return user_has_device(user, confirmed=True)


def second_factor_needed(user) -> bool:
    """After the password, must this user pass a TOTP check before anything else?"""
    return two_factor_required(user) or two_factor_enabled(user)
