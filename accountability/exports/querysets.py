"""Reads of export jobs: a user sees their own; administrators see every one."""

from datetime import datetime

from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce


class ExportJobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The user's own exports (the data was read in their scope, with their masking);
        administrators see all. Users who may not export see none."""
        from missions.scope import can_export, user_scope

        scope = user_scope(user)
        if scope.is_anonymous or not can_export(user):
            return self.none()
        if scope.is_admin:
            return self
        return self.filter(user_id=scope.user_id)

    def stale_running(self, *, before: datetime):
        """Running, but no heartbeat since `before`: its worker is presumed dead."""
        return self.filter(status="running").filter(
            Q(heartbeat_at__lt=before) | Q(heartbeat_at__isnull=True)
        )

    def waiting_since(self, *, before: datetime):
        """Pending, and neither requested nor re-queued since `before`."""
        return (
            self.filter(status="pending")
            .alias(last_queued=Coalesce("queued_at", "created_at"))
            .filter(last_queued__lt=before)
        )

    def expired(self, *, now: datetime):
        """Done, with a stored file past its expiry."""
        return self.filter(status="done", expires_at__lt=now).exclude(file="")
