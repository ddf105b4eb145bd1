"""Reads of export jobs: a user sees their own; administrators see every one."""

from datetime import datetime

from peacekeeping.jobs import DONE, JobQuerySet


class ExportJobQuerySet(JobQuerySet):
    requested_field = "created_at"

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

    def expired(self, *, now: datetime):
        """Done, with a stored file past its expiry."""
        return self.filter(status=DONE, expires_at__lt=now).exclude(file="")
