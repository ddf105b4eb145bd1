"""Who must use a second factor. Reads only; the writes are in services.py."""

from django.conf import settings
from django_otp import user_has_device

# The roles are the missions app's, above the platform: it registers (MissionsConfig.ready)
# who is an administrator and who is privileged, both read from missions/scope.py.
_roles: dict = {}


def roles_register(*, is_administrator, is_privileged) -> None:
    _roles.update(is_administrator=is_administrator, is_privileged=is_privileged)


def is_administrator(user) -> bool:
    """An active superuser, or an administrator by membership."""
    return _roles["is_administrator"](user)


def is_privileged(user) -> bool:
    """Administrators (superuser or administrator membership) and legal officers."""
    return _roles["is_privileged"](user)


def two_factor_required(user) -> bool:
    """The user may not work without a verified TOTP device."""
    return bool(settings.REQUIRE_2FA_FOR_PRIVILEGED) and is_privileged(user)


def two_factor_enabled(user) -> bool:
    """The user has a confirmed device (set up voluntarily or because required)."""
    return user_has_device(user, confirmed=True)


def second_factor_needed(user) -> bool:
    """After the password, must this user pass a TOTP check before anything else?"""
    return two_factor_required(user) or two_factor_enabled(user)
