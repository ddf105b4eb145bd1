"""Actions of legal officers on several cases ticked on the case board.

Name the mission focal point of several cases, or record the same request for follow-up
with the host State of each. A plain POST form (no JavaScript needed); each case goes
through the one-case service (`case_update`, `followup_record`), so it is checked,
audited and refused exactly as if done alone, with its own reason. A case outside the
cases the user manages is refused as not found. A form that cannot be read is shown
again with the ticked cases and what was typed: nothing is lost.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accountability import services
from accountability.forms import CaseBulkForm
from accountability.models import Case
from missions.models import Membership
from missions.scope import can_manage_case, managed_case_q
from peacekeeping.bulk import MAX_ITEMS, apply_each, asked_for, redirect_back

BULK_FORM_ID = "case-bulk-form"


def managed_cases(user):
    """The cases in the user's scope they may change (legal officers of their missions):
    a legal officer who also sees other missions' cases, as an analyst say, manages only
    those of their own missions (missions.scope.managed_case_q)."""
    return Case.objects.visible_to(user).filter(managed_case_q(user)).select_related("mission")


def focal_point_candidates(cases):
    """Active members of the missions of these cases: the focal points offered (each
    case's service still checks that its focal point belongs to its own mission)."""
    members = Membership.objects.filter(
        mission_id__in=cases.order_by().values("mission_id")
    ).values("user_id")
    return get_user_model().objects.filter(is_active=True, pk__in=members).order_by("username")


@login_required
@require_POST
def case_bulk(request):
    asked = asked_for(request.POST.getlist("case"))[:MAX_ITEMS]
    cases = managed_cases(request.user)
    form = CaseBulkForm(request.POST, candidates=focal_point_candidates(cases))
    if not asked:
        messages.error(request, _("Tick at least one case."))
        return redirect_back(request, reverse("accountability:case_board"))
    if not form.is_valid():
        return render(
            request,
            "accountability/case_bulk.html",
            {"form": form, "asked": asked, "next": request.POST.get("next", "")},
            status=400,
        )
    found = {
        case.reference: case
        for case in cases.filter(reference__in=asked)
        if can_manage_case(request.user, case)
    }
    data = form.cleaned_data
    if data["action"] == CaseBulkForm.FOCAL_POINT:
        result = apply_each(
            asked,
            found,
            lambda case: services.case_update(
                actor=request.user, case=case, focal_point=data["focal_point"]
            ),
        )
        result.tell(
            request,
            done_message=_("%(user)s is now the focal point of: %(items)s."),
            user=data["focal_point"].get_username(),
        )
    else:
        result = apply_each(
            asked,
            found,
            lambda case: services.followup_record(
                actor=request.user,
                case=case,
                sent_on=data["sent_on"],
                channel=data["channel"],
                summary=data["summary"],
                response_due=data["response_due"],
            ),
        )
        result.tell(request, done_message=_("Follow-up recorded for: %(items)s."))
    return redirect_back(request, reverse("accountability:case_board"))
