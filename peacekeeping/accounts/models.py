"""Which sessions each user has open, so that they can be ended from elsewhere."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserSession(models.Model):
    """One signed-in browser session of a user.

    Django's session store cannot be searched by user, so each login records its session
    key here. Ending a user's sessions (logout, password change, deactivation) deletes
    the sessions these rows name, then the rows.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="tracked_sessions",
        verbose_name=_("user"),
    )
    # Django's session keys are at most 40 characters (django_session.session_key).
    session_key = models.CharField(_("session key"), max_length=40, unique=True)
    created_at = models.DateTimeField(_("signed in"), default=timezone.now)
    last_seen = models.DateTimeField(_("last seen"), default=timezone.now)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=255, blank=True)

    class Meta:
        ordering = ["-last_seen"]
        verbose_name = _("user session")
        verbose_name_plural = _("user sessions")

    def __str__(self) -> str:
        return f"{self.user} since {self.created_at:%Y-%m-%d %H:%M}"


class UserPreference(models.Model):
    """A user's own settings that follow them from browser to browser.

    `language` is set when the user switches language and applied when they log in, so a
    French-speaking officer gets French on any machine without switching again.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="preference",
        verbose_name=_("user"),
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, blank=True
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("user preference")
        verbose_name_plural = _("user preferences")

    def __str__(self) -> str:
        return f"{self.user}: {self.language or '-'}"


def preferred_language(user) -> str:
    """The language `user` chose in the app ("" if never): for what is sent to them."""
    try:
        return user.preference.language
    except UserPreference.DoesNotExist:
        return ""


def recipient_language(user, fallback: str | None = None) -> str:
    """The language every e-mail to `user` is written in: the one they chose in the app;
    if they never chose, `fallback` (a host State's working language, where the sender
    knows one), else the site's default."""
    languages = dict(settings.LANGUAGES)
    for language in (preferred_language(user), fallback):
        if language in languages:
            return language
    return settings.LANGUAGE_CODE


# Connect the login/logout receivers once the model exists (this module is imported while
# the app registry loads, through peacekeeping/models.py).
from peacekeeping.accounts import receivers  # noqa: E402, F401
