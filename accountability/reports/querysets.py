"""Reads of follow-up reports: the ones a user may see (the rule is missions/scope.py's),
which ones the sweeper must look at."""

from missions.scope import answering_state_ids, followup_report_q
from missions.scope import report_mission_ids as report_mission_ids  # importable here too
from peacekeeping.jobs import JobQuerySet

# The host States whose liaison the user is: they receive that State's reports.
liaison_state_ids = answering_state_ids


class FollowUpReportQuerySet(JobQuerySet):
    def visible_to(self, user):
        """The reports the user may see (missions.scope.followup_report_q): of the States
        and missions in the user's scope, and the finished ones addressed to the State
        whose liaison the user is."""
        q = followup_report_q(user)
        return self if q is None else self.filter(q)

    def for_subject(self, *, host_state, mission=None):
        """The reports of a State, or (host_state None) the mission's undetermined lists."""
        if host_state is None:
            return self.filter(host_state__isnull=True, mission=mission)
        return self.filter(host_state=host_state)

    def for_period(self, *, host_state, period, mission=None):
        return self.for_subject(host_state=host_state, mission=mission).filter(
            period_kind=period.kind, period_start=period.start
        )
