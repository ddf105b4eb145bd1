"""Shared models: the audit trail every write goes through."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from peacekeeping.choices import AuditAction


class AuditEntry(models.Model):
    """One write, by whom, to what, with what changes.

    Entries form a hash chain: each `entry_hash` covers the entry's content and the
    previous entry's hash, so any edit or deletion of history is detectable
    (`manage.py verify_audit_chain`). Nothing in the app updates or deletes them.
    """

    occurred_at = models.DateTimeField(_("when"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_entries",
        verbose_name=_("actor"),
    )
    actor_name = models.CharField(_("who"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=60)
    object_type = models.CharField(_("object type"), max_length=60)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    previous_hash = models.CharField(_("previous hash"), max_length=64, blank=True)
    entry_hash = models.CharField(_("entry hash"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("audit entry")
        ordering = ["id"]
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object")]

    def __str__(self) -> str:
        return (
            f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"
        )

    @property
    def action_label(self) -> str:
        """The action in the reader's language (peacekeeping.choices.AuditAction)."""
        return AuditAction.label_of(self.action)


class RowHistory(models.Model):
    """Every insert, update and delete of a domain row, written by a database trigger.

    On PostgreSQL, triggers installed after each migrate (peacekeeping.history) write one
    row here per changed row, whatever wrote it: a service, `QuerySet.update()`, a bulk
    import or raw SQL. Another trigger refuses any UPDATE or DELETE of this table, so the
    application's database role cannot rewrite history. On SQLite there are no triggers;
    the services' AuditEntry trail is the record there (README, "Audit").
    """

    occurred_at = models.DateTimeField(_("occurred at"), db_index=True)
    table_name = models.CharField(_("table name"), max_length=100)
    object_id = models.CharField(_("object ID"), max_length=64, blank=True)
    operation = models.CharField(_("operation"), max_length=6)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    actor_id = models.BigIntegerField(_("actor ID"), null=True, blank=True)
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    context = models.CharField(_("context"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("row history")
        ordering = ["id"]
        verbose_name_plural = _("row history")
        indexes = [models.Index(fields=["table_name", "object_id"], name="rowhistory_object")]

    def __str__(self) -> str:
        return (
            f"{self.occurred_at:%Y-%m-%d %H:%M} {self.operation} {self.table_name}#{self.object_id}"
        )

    def changed_fields(self) -> dict:
        """{column: [before, after]} for an update; every column for insert/delete."""
        before, after = self.before or {}, self.after or {}
        keys = sorted(set(before) | set(after))
        return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


class AuditCheckpoint(models.Model):
    """Where the audit chain and the row history stood at one moment.

    The hash chain shows an edited or removed entry in the middle, but not a cut: an
    emptied table, or a chain whose newest entries were removed, still links. A beat task
    (peacekeeping.checkpoints) appends one checkpoint every AUDIT_CHECKPOINT_MINUTES; the
    app's database role may INSERT and SELECT here, never UPDATE, DELETE or TRUNCATE
    (docs/operators/security-platform.md), and `audit_verify_chain` checks the history
    still holds everything the latest checkpoint saw. Each checkpoint is also logged, so a
    copy lives outside the database.
    """

    taken_at = models.DateTimeField(_("taken at"), db_index=True)
    audit_last_id = models.BigIntegerField(_("last audit entry ID"), null=True, blank=True)
    audit_last_hash = models.CharField(_("last audit entry hash"), max_length=64, blank=True)
    audit_count = models.BigIntegerField(_("audit entry count"))
    history_last_id = models.BigIntegerField(_("last history row ID"), null=True, blank=True)
    history_count = models.BigIntegerField(_("history row count"))

    class Meta:
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")
        ordering = ["id"]

    def __str__(self) -> str:
        return (
            f"{self.taken_at:%Y-%m-%d %H:%M} audit {self.audit_count} history {self.history_count}"
        )


from peacekeeping.accounts.models import UserSession  # noqa: F401,E402
from peacekeeping.outbox_models import OutboxMessage  # noqa: F401,E402
