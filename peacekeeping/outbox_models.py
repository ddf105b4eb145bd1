"""The transactional outbox's table (peacekeeping/outbox.py writes and publishes it)."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """A Celery task to send, written in the same transaction as the change that needs it.

    The row commits or rolls back with that change, so no job is queued for a change that
    never happened, and none is lost when the broker (Redis) is down at commit time: the
    row stays pending (`published_at` empty) until a publisher reaches the broker, in `id`
    order (on commit, `manage.py publish_outbox`, the beat task, a worker's start-up).
    """

    task_name = models.CharField(_("task name"), max_length=200)
    kwargs = models.JSONField(_("keyword arguments"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["id"]
        indexes = [
            # Publishers read the pending rows, oldest first: a small partial index.
            models.Index(
                fields=["id"], condition=Q(published_at__isnull=True), name="outbox_pending"
            )
        ]

    def __str__(self) -> str:
        state = "published" if self.published_at else "pending"
        return f"#{self.pk} {self.task_name} ({state})"
