"""Reads about follow-up reports: the States a user may request one for, and who is told.

Who may request or download a report is the access policy's (missions.scope).
"""

from django.contrib.auth import get_user_model
from django.db.models import Q

from accountability.reports.models import FollowUpReport
from accountability.reports.querysets import liaison_state_ids, report_state_ids
from missions.choices import LiaisonBasis, Role
from missions.models import Country, Membership, Mission
from missions.scope import sees_names, user_scope


def _hosted_by(state_id: int) -> set[int]:
    return set(
        Mission.host_countries.through.objects.filter(country_id=state_id).values_list(
            "mission_id", flat=True
        )
    )


def _responsible(user, role: str, state_id: int | None, mission_id: int | None = None) -> bool:
    """Responsible for the State (by the State, a mission it hosts, or everything); for
    an undetermined list (no State), for its mission."""
    rs = user_scope(user).role(role)
    if rs.everything:
        return True
    if state_id is None:
        return mission_id in rs.missions
    if state_id in rs.countries:
        return True
    return bool(rs.missions) and bool(rs.missions & _hosted_by(state_id))


def can_request_followup_report(user, host_state: Country | None, *, mission=None) -> bool:
    """Administrators, and legal officers of the State or of a mission it hosts (of the
    mission, for its list of cases whose host State is to be determined)."""
    scope = user_scope(user)
    if scope.is_anonymous:
        return False
    state_id = host_state.pk if host_state is not None else None
    mission_id = mission.pk if mission is not None else None
    return scope.is_admin or _responsible(user, Role.LEGAL_OFFICER, state_id, mission_id)


def can_download_followup_report(user, report: FollowUpReport) -> bool:
    """The files name suspects: administrators, the State's legal officers, and its
    analysts granted names. Others in scope see the report's status, not its files."""
    scope = user_scope(user)
    if scope.is_anonymous:
        return False
    state_id, mission_id = report.host_state_id, report.mission_id
    if scope.is_admin or _responsible(user, Role.LEGAL_OFFICER, state_id, mission_id):
        return True
    if can_acknowledge_followup_report(user, report):
        return True
    # The files name suspects: the one names rule (missions.scope.sees_names) decides.
    return _responsible(user, Role.ANALYST, state_id, mission_id) and sees_names(
        user, mission_id=mission_id, country_id=state_id
    )


def can_acknowledge_followup_report(user, report: FollowUpReport) -> bool:
    """The report is addressed to its host State: that State's liaison receives it (files
    included) and acknowledges its receipt, once it is built."""
    return (
        report.status == FollowUpReport.Status.DONE
        and report.host_state_id in liaison_state_ids(user)
    )


def can_edit_report_addressee(user, host_state: Country) -> bool:
    """The addressee block is kept by those who may request the State's report."""
    return can_request_followup_report(user, host_state)


def requestable_states(user):
    """Host States the user may request a report for, by English name."""
    hosts = Country.objects.filter(hosted_missions__isnull=False).distinct().order_by("name_en")
    states = report_state_ids(user, roles=(Role.LEGAL_OFFICER,))  # None: every State
    return hosts if states is None else hosts.filter(pk__in=states)


def host_state_liaisons(host_state: Country):
    """Active users with an e-mail address who are the State's host-State liaisons."""
    memberships = Membership.objects.filter(
        role=Role.LIAISON, country=host_state, liaison_basis=LiaisonBasis.HOST_STATE
    )
    return (
        get_user_model()
        .objects.filter(is_active=True, pk__in=memberships.values("user_id"))
        .exclude(email="")
        .order_by("email", "pk")
    )


def responsible_legal_officers(host_state: Country | None, *, mission=None):
    """Active users with an e-mail address who are legal officers for the State: by the
    State itself, by a mission it hosts, or by a grant of everything (no State: for the
    mission whose undetermined cases the report lists)."""
    if host_state is None:
        where = Q(mission=mission) | Q(all_scope=True)
    else:
        where = Q(country=host_state) | Q(mission__host_countries=host_state) | Q(all_scope=True)
    memberships = Membership.objects.filter(role=Role.LEGAL_OFFICER).filter(where)
    return (
        get_user_model()
        .objects.filter(is_active=True, pk__in=memberships.values("user_id"))
        .exclude(email="")
        .order_by("email", "pk")
    )
