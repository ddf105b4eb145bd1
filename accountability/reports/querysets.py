"""Reads of follow-up reports: who may see them, which ones the sweeper must look at."""

from missions.choices import Role
from peacekeeping.jobs import JobQuerySet


def report_state_ids(user, *, roles=(Role.LEGAL_OFFICER, Role.ANALYST)) -> frozenset[int] | None:
    """Host States whose reports the user may see; None means every State.

    A legal officer or analyst scoped to a State sees its reports; scoped to a mission,
    the reports of the States hosting that mission.
    """
    from missions.models import Mission
    from missions.scope import user_scope

    scope = user_scope(user)
    if scope.is_anonymous:
        return frozenset()
    if scope.is_admin:
        return None
    countries: set[int] = set()
    missions: set[int] = set()
    for role in roles:
        rs = scope.role(role)
        if rs.everything:
            return None
        countries |= rs.countries
        missions |= rs.missions
    if missions:
        countries |= set(
            Mission.host_countries.through.objects.filter(mission_id__in=missions).values_list(
                "country_id", flat=True
            )
        )
    return frozenset(countries)


class FollowUpReportQuerySet(JobQuerySet):
    def visible_to(self, user):
        """Reports of the States in the user's legal-officer or analyst scope."""
        states = report_state_ids(user)
        if states is None:
            return self
        return self.filter(host_state_id__in=states) if states else self.none()

    def for_period(self, *, host_state, period):
        return self.filter(
            host_state=host_state, period_kind=period.kind, period_start=period.start
        )
