"""A notification to one user, and each user's choice of e-mail per kind."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    CASE_OPENED = "case_opened", _("A case was opened in my scope")
    STEP_RECORDED = "step_recorded", _("A step was recorded on a case I follow")
    STATE_ANSWERED = "state_answered", _("The host State answered a communication")
    COMMUNICATION_DUE = "communication_due", _("A communication is due or overdue")
    REPORT_READY = "report_ready", _("A report or an export is ready")
    DETENTION = "detention", _("A suspect is detained without trial past the threshold")


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("E-mail at once")
    DIGEST = "digest", _("One e-mail a day (digest)")
    NONE = "none", _("No e-mail (in the app only)")


# Kinds that tell of a suspect's procedure or of the follow-up with the State: shown only
# to users who see a case's suspects (never mission staff, missions/scope.py).
SUSPECT_KINDS = (
    NotificationKind.STEP_RECORDED,
    NotificationKind.STATE_ANSWERED,
    NotificationKind.COMMUNICATION_DUE,
    NotificationKind.DETENTION,
)


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The user's own notifications about what the user may still see: a case that
        left their scope (or a report, an export) takes its notifications with it."""
        from accountability.models import Case

        # The report and the export apps sit above this one: their models are reached
        # through the notification's own foreign keys, not imported.
        FollowUpReport = self.model._meta.get_field("report").related_model
        ExportJob = self.model._meta.get_field("export").related_model
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        cases = Case.objects.visible_to(user).values("pk")
        with_suspects = Case.objects.with_visible_suspects(user).values("pk")
        return self.filter(recipient_id=user.pk).filter(
            Q(case__isnull=True)
            | (~Q(kind__in=SUSPECT_KINDS) & Q(case__in=cases))
            | (Q(kind__in=SUSPECT_KINDS) & Q(case__in=with_suspects)),
            Q(report__isnull=True) | Q(report__in=FollowUpReport.objects.visible_to(user)),
            Q(export__isnull=True) | Q(export__in=ExportJob.objects.visible_to(user)),
        )

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """Something that needs one user: an event on a case, a report or an export.

    The text is not stored: `kind` and `data` (references, dates, no one's name) are
    rendered in the reader's language when shown or e-mailed. `event_key` names the
    event, so a task delivered twice notifies once.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NotificationKind.choices)
    case = models.ForeignKey(
        "accountability.Case",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("case"),
    )
    report = models.ForeignKey(
        "reports.FollowUpReport",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("follow-up report"),
    )
    export = models.ForeignKey(
        "exports.ExportJob",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("export"),
    )
    data = models.JSONField(_("data"), default=dict, blank=True)
    event_key = models.CharField(_("event key"), max_length=120)
    created_at = models.DateTimeField(_("date"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "event_key"], name="notification_once_per_event"
            )
        ]
        indexes = [
            # The list and the header's count read one user's notifications, newest first.
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient"),
            # The digest reads the few not yet e-mailed.
            models.Index(
                fields=["recipient"],
                condition=Q(emailed_at__isnull=True),
                name="notification_not_emailed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} {self.kind} {self.event_key}"


class NotificationPreference(models.Model):
    """How a user hears of one kind of notification beyond the app (default: digest)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NotificationKind.choices)
    delivery = models.CharField(
        _("e-mail"), max_length=10, choices=Delivery.choices, default=Delivery.DIGEST
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.kind}: {self.delivery}"
