"""Reads about follow-up reports: the States a user may request one for, and who is told.

Who may request, see, download or acknowledge a report is the access policy's
(missions/scope.py); its capabilities are importable from here as well.
"""

from django.contrib.auth import get_user_model

from missions.choices import Role
from missions.models import Country, Membership
from missions.scope import (
    can_acknowledge_followup_report,
    can_download_followup_report,
    can_request_followup_report,
    report_state_ids,
    state_legal_officers_q,
    state_liaisons_q,
)

__all__ = [
    "can_acknowledge_followup_report",
    "can_download_followup_report",
    "can_edit_report_addressee",
    "can_request_followup_report",
    "host_state_liaisons",
    "requestable_states",
    "responsible_legal_officers",
]

# The addressee block is kept by those who may request the State's report.
can_edit_report_addressee = can_request_followup_report


def requestable_states(user):
    """Host States the user may request a report for, by English name."""
    hosts = Country.objects.filter(hosted_missions__isnull=False).distinct().order_by("name_en")
    states = report_state_ids(user, roles=(Role.LEGAL_OFFICER,))  # None: every State
    return hosts if states is None else hosts.filter(pk__in=states)


def _active_with_email(memberships):
    return (
        get_user_model()
        .objects.filter(is_active=True, pk__in=memberships.values("user_id"))
        .exclude(email="")
        .order_by("email", "pk")
    )


def host_state_liaisons(host_state: Country):
    """Active users with an e-mail address who are the State's host-State liaisons."""
    return _active_with_email(Membership.objects.filter(state_liaisons_q(host_state.pk)))


def responsible_legal_officers(host_state: Country | None, *, mission=None):
    """Active users with an e-mail address who are legal officers for the State: by the
    State itself, by a mission it hosts, or by a grant of everything (no State: for the
    mission whose undetermined cases the report lists)."""
    where = state_legal_officers_q(
        host_state.pk if host_state is not None else None,
        mission_id=mission.pk if mission is not None else None,
    )
    return _active_with_email(Membership.objects.filter(where))
