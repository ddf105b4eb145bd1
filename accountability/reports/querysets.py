"""Reads of follow-up reports: who may see them, which ones the sweeper must look at."""

from django.db.models import Q

from missions.choices import Role
from missions.scope import report_state_ids
from peacekeeping.jobs import JobQuerySet


def report_mission_ids(user, *, roles=(Role.LEGAL_OFFICER, Role.ANALYST)) -> frozenset[int]:
    """Missions in the user's legal-officer or analyst scope (by mission, or by a State
    that hosts them): their undetermined lists are the user's to see."""
    from missions.models import Mission
    from missions.scope import user_scope

    scope = user_scope(user)
    if scope.is_anonymous:
        return frozenset()
    missions: set[int] = set()
    countries: set[int] = set()
    for role in roles:
        missions |= scope.role(role).missions
        countries |= scope.role(role).countries
    if countries:
        missions |= set(
            Mission.host_countries.through.objects.filter(country_id__in=countries).values_list(
                "mission_id", flat=True
            )
        )
    return frozenset(missions)


def liaison_state_ids(user) -> frozenset[int]:
    """Host States whose liaison the user is: they receive that State's reports."""
    from missions.choices import LiaisonBasis
    from missions.scope import user_scope

    return frozenset(
        country_id
        for country_id, basis, _names in user_scope(user).liaisons
        if basis == LiaisonBasis.HOST_STATE
    )


class FollowUpReportQuerySet(JobQuerySet):
    def visible_to(self, user):
        """Reports of the States in the user's legal-officer or analyst scope; lists of
        cases whose host State is to be determined, of the missions in that scope; and the
        finished reports addressed to the State whose host-State liaison the user is."""
        states = report_state_ids(user)
        if states is None:
            return self
        missions = report_mission_ids(user)
        q = Q(host_state_id__in=states) | Q(host_state__isnull=True, mission_id__in=missions)
        if received := liaison_state_ids(user):
            q |= Q(host_state_id__in=received, status="done")
        return self.filter(q)

    def for_subject(self, *, host_state, mission=None):
        """The reports of a State, or (host_state None) the mission's undetermined lists."""
        if host_state is None:
            return self.filter(host_state__isnull=True, mission=mission)
        return self.filter(host_state=host_state)

    def for_period(self, *, host_state, period, mission=None):
        return self.for_subject(host_state=host_state, mission=mission).filter(
            period_kind=period.kind, period_start=period.start
        )
