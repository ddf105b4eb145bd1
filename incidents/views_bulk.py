"""Actions on several incidents from the list: mission staff submit several drafts.

A plain POST form of checkboxes (no JavaScript needed). Each incident goes through
`incident_submit`, as from its own page: audited alone, refused alone with its reason.
Only incidents in the user's scope, of missions they record for, are found; any other
reference is refused as not found.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from incidents.models import Incident
from incidents.services import incident_submit
from missions.scope import recordable_mission_ids
from peacekeeping.bulk import MAX_ITEMS, apply_each, asked_for, redirect_back
from peacekeeping.outbox import warn_if_delayed


@login_required
@require_POST
def incident_bulk_submit(request):
    """Submit each draft ticked on the list."""
    asked = asked_for(request.POST.getlist("incident"))[:MAX_ITEMS]
    editable = Incident.objects.visible_to(request.user).select_related("mission")
    ids = recordable_mission_ids(request.user)
    if ids is not None:
        editable = editable.filter(mission_id__in=ids)
    found = {i.reference: i for i in editable.filter(reference__in=asked)}
    if not asked:
        messages.error(request, _("Tick at least one draft to submit."))
    result = apply_each(asked, found, lambda i: incident_submit(actor=request.user, incident=i))
    result.tell(request, done_message=_("Submitted: %(items)s."))
    if result.done:
        warn_if_delayed(request)
    return redirect_back(request, reverse("incidents:incident_list"))
