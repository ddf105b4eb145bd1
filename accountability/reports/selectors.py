"""Reads about follow-up reports: the States a user may request one for, and who is told.

Who may request or download a report is the access policy's (missions.scope).
"""

from django.contrib.auth import get_user_model
from django.db.models import Q

from missions.choices import Role
from missions.models import Country, Membership
from missions.scope import report_state_ids


def requestable_states(user):
    """Host States the user may request a report for, by English name."""
    hosts = Country.objects.filter(hosted_missions__isnull=False).distinct().order_by("name_en")
    states = report_state_ids(user, roles=(Role.LEGAL_OFFICER,))  # None: every State
    return hosts if states is None else hosts.filter(pk__in=states)


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
