"""Reads of follow-up reports: who may see them, which ones the sweeper must look at."""

from missions.scope import report_state_ids
from peacekeeping.jobs import JobQuerySet


class FollowUpReportQuerySet(JobQuerySet):
    def visible_to(self, user):
        """Reports of the States in the user's legal-officer or analyst scope
        (missions.scope.report_state_ids)."""
        states = report_state_ids(user)
        if states is None:
            return self
        return self.filter(host_state_id__in=states) if states else self.none()

    def for_period(self, *, host_state, period):
        return self.filter(
            host_state=host_state, period_kind=period.kind, period_start=period.start
        )
