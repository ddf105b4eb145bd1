"""The dashboard every user lands on (`/`): for mission staff, their missions' incidents,
drafts, this year's toll and cases by stage.

It reads incidents and cases, so it lives in the highest of those apps; the root URLconf
mounts it. The platform package imports no app's models."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import render
from django.utils import timezone

from accountability.choices import CaseStage
from accountability.models import Case
from incidents.choices import IncidentStatus, Outcome
from incidents.listing import html_rows
from incidents.models import Casualty, Incident
from missions.choices import Role
from missions.models import Mission
from missions.scope import recordable_mission_ids, user_scope

RECENT = 10


def _mission_staff_dashboard(request, mission_ids: frozenset[int]) -> dict:
    """Their missions' recent incidents, drafts, this year's toll and cases by stage."""
    user = request.user
    incidents = Incident.objects.visible_to(user).filter(mission_id__in=mission_ids)
    year = timezone.localdate().year
    # Submitted and verified incidents only: a draft's figures are not yet reported.
    toll = (
        Casualty.objects.visible_to(user)
        .filter(
            incident__mission_id__in=mission_ids,
            incident__occurred_at__year=year,
        )
        .exclude(incident__status=IncidentStatus.DRAFT)
        .aggregate(
            killed=Count("pk", filter=Q(outcome=Outcome.KILLED)),
            injured=Count("pk", filter=Q(outcome=Outcome.INJURED)),
        )
    )
    # Stage counts only: mission staff never see suspects.
    counts = dict(
        Case.objects.visible_to(user)
        .filter(mission_id__in=mission_ids)
        .order_by()
        .values_list("stage")
        .annotate(n=Count("pk"))
    )
    return {
        "missions": list(Mission.objects.filter(pk__in=mission_ids).only("acronym", "name_en")),
        "recent": html_rows(incidents.list_values().order_by("-occurred_at", "-id")[:RECENT]),
        "drafts": list(
            incidents.filter(status=IncidentStatus.DRAFT)
            .select_related("mission")
            .order_by("-updated_at")[:RECENT]
        ),
        "year": year,
        "killed": toll["killed"],
        "injured": toll["injured"],
        "cases_by_stage": [(label, counts.get(stage, 0)) for stage, label in CaseStage.choices],
        "cases_total": sum(counts.values()),
    }


@login_required
def home(request):
    scope = user_scope(request.user)
    staff = scope.role(Role.MISSION_STAFF)
    recordable = recordable_mission_ids(request.user)
    context = {
        "can_record": recordable is None or bool(recordable),
        "roles": (
            [Role.ADMINISTRATOR.label]
            if scope.is_admin
            else [label for role, label in Role.choices if scope.has_role(role)]
        ),
        "mission_staff": bool(staff.missions) and not scope.is_admin,
    }
    if context["mission_staff"]:
        context.update(_mission_staff_dashboard(request, staff.missions))
    context["liaison"] = bool(scope.liaisons) and not scope.is_admin
    if context["liaison"]:
        from accountability.desks import liaison_desk

        context.update(liaison_desk(request.user))
    return render(request, "home.html", context)
