"""Reads about follow-up reports: who may request and download them, and who is told."""

from django.contrib.auth import get_user_model
from django.db.models import Q

from accountability.reports.models import FollowUpReport
from accountability.reports.querysets import liaison_state_ids, report_state_ids
from missions.choices import LiaisonBasis, Role
from missions.models import Country, Membership, Mission
from missions.scope import user_scope


def _hosted_by(state_id: int) -> set[int]:
    return set(
        Mission.host_countries.through.objects.filter(country_id=state_id).values_list(
            "mission_id", flat=True
        )
    )


def _responsible(user, role: str, state_id: int) -> bool:
    rs = user_scope(user).role(role)
    if rs.everything or state_id in rs.countries:
        return True
    return bool(rs.missions) and bool(rs.missions & _hosted_by(state_id))


def can_request_followup_report(user, host_state: Country) -> bool:
    """Administrators, and legal officers of the State or of a mission it hosts."""
    scope = user_scope(user)
    if scope.is_anonymous:
        return False
    return scope.is_admin or _responsible(user, Role.LEGAL_OFFICER, host_state.pk)


def can_download_followup_report(user, report: FollowUpReport) -> bool:
    """The files name suspects: administrators, the State's legal officers, and its
    analysts granted names. Others in scope see the report's status, not its files."""
    scope = user_scope(user)
    if scope.is_anonymous:
        return False
    if scope.is_admin or _responsible(user, Role.LEGAL_OFFICER, report.host_state_id):
        return True
    if can_acknowledge_followup_report(user, report):
        return True
    return scope.role(Role.ANALYST).see_names and _responsible(
        user, Role.ANALYST, report.host_state_id
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


def responsible_legal_officers(host_state: Country):
    """Active users with an e-mail address who are legal officers for the State: by the
    State itself, by a mission it hosts, or by a grant of everything."""
    memberships = Membership.objects.filter(role=Role.LEGAL_OFFICER).filter(
        Q(country=host_state) | Q(mission__host_countries=host_state) | Q(all_scope=True)
    )
    return (
        get_user_model()
        .objects.filter(is_active=True, pk__in=memberships.values("user_id"))
        .exclude(email="")
        .order_by("email", "pk")
    )
