"""The dashboard every user lands on (`/`): one desk per role the user holds
(accountability/desks.py), or the tiles of the main pages for those with none.

It reads incidents and cases, so it lives in the highest of those apps; the root URLconf
mounts it. The platform package imports no app's models."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accountability import desks
from missions.choices import Role
from missions.scope import recordable_mission_ids, user_scope


@login_required
def home(request):
    user = request.user
    scope = user_scope(user)
    recordable = recordable_mission_ids(user)
    context = {
        "can_record": recordable is None or bool(recordable),
        "roles": (
            [Role.ADMINISTRATOR.label]
            if scope.is_admin
            else [label for role, label in Role.choices if scope.has_role(role)]
        ),
    }
    # Administrators see everything: the tiles lead them to it, no desk is theirs.
    if not scope.is_admin:
        staff = scope.role(Role.MISSION_STAFF)
        context["mission_staff"] = bool(staff.missions)
        if context["mission_staff"]:
            context.update(desks.staff_desk(user, staff.missions))
        context["legal_officer"] = bool(scope.role(Role.LEGAL_OFFICER))
        if context["legal_officer"]:
            context.update(desks.legal_desk(user))
        context["analyst"] = bool(scope.role(Role.ANALYST))
        if context["analyst"]:
            context.update(desks.analyst_desk(user))
        context["liaison"] = bool(scope.liaisons)
        if context["liaison"]:
            context.update(desks.liaison_desk(user))
    context["has_desk"] = any(
        context.get(role) for role in ("mission_staff", "legal_officer", "analyst", "liaison")
    )
    return render(request, "home.html", context)
