"""Reads of export jobs: a user sees their own; administrators see every one."""

from datetime import datetime

from missions.scope import export_job_q
from peacekeeping.jobs import DONE, JobQuerySet


class ExportJobQuerySet(JobQuerySet):
    requested_field = "created_at"

    def visible_to(self, user):
        """The exports the user may see (missions.scope.export_job_q)."""
        return self.filter(export_job_q(user))

    def expired(self, *, now: datetime):
        """Done, with a stored file past its expiry."""
        return self.filter(status=DONE, expires_at__lt=now).exclude(file="")
