"""The follow-up register: the UN's communications with host States and their answers.

Legal officers read every communication of the cases in their scope and the answers the
States gave; a host State's liaison reads those of its State's cases and answers them
(`followup_answer`). Every list starts from `FollowUp.objects.visible_to(user)`; a
communication a liaison may not answer is a 404 on the answer page, as is one outside
the user's scope.
"""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accountability import services
from accountability.forms import FollowUpAnswerForm
from accountability.models import FollowUp
from missions.models import Country
from missions.scope import answering_state_ids
from peacekeeping.errors import DomainError
from peacekeeping.querystring import page_number, read_query
from peacekeeping.storage import attachment_response, open_stored

PAGE_SIZE = 50
REGISTER_FILTERS = ("status", "host_state")
STATUSES = {
    "awaiting": gettext_lazy("Awaiting an answer"),
    "overdue": gettext_lazy("Answer overdue"),
    "answered": gettext_lazy("Answered"),
}


def _status_q(status: str, today: date) -> Q:
    if status == "awaiting":
        return Q(response_received_on__isnull=True)
    if status == "overdue":
        return Q(response_received_on__isnull=True, response_due__lt=today)
    if status == "answered":
        return Q(response_received_on__isnull=False)
    return Q()


@login_required
def followup_register(request):
    """Communications in scope, newest first, with the State's answer; filter by status
    and by host State (only the States of the communications the user sees)."""
    today = date.today()
    visible = FollowUp.objects.visible_to(request.user)
    # One reading of the address (peacekeeping.querystring): a key or a value the register
    # cannot use is named above the list, which then shows nothing rather than more.
    query = read_query(request.GET, filters=REGISTER_FILTERS, controls=("page",))
    status = query.filters.get("status", "")
    if status and status not in STATUSES:
        query.refuse("status", _("choose one of: %(choices)s") % {"choices": ", ".join(STATUSES)})
    # The State filter offers only the States of the communications in scope.
    states = list(
        Country.objects.filter(pk__in=visible.values("case__host_state_id")).order_by("name_en")
    )
    state = query.filters.get("host_state", "")
    if state and state not in {str(s.pk) for s in states}:
        query.refuse("host_state", _("no host State of the communications you see has this id"))
    rows = visible.filter(_status_q(status, today)) if query.understood else visible.none()
    if state and query.understood:
        rows = rows.filter(case__host_state_id=state)
    # select_related: each row shows its case, the case's State and who recorded the answer.
    rows = rows.select_related("case", "case__host_state", "response_recorded_by").order_by(
        "-sent_on", "-id"
    )
    paginator = Paginator(rows, PAGE_SIZE)
    page = paginator.page(page_number(query, paginator))
    answering = answering_state_ids(request.user)
    for follow_up in page.object_list:
        follow_up.is_overdue = bool(
            follow_up.response_due
            and follow_up.response_due < today
            and follow_up.response_received_on is None
        )
        follow_up.can_answer = (
            follow_up.response_received_on is None and follow_up.case.host_state_id in answering
        )
    return render(
        request,
        "accountability/followup_register.html",
        {
            "page_obj": page,
            "follow_ups": page.object_list,
            "statuses": list(STATUSES.items()),
            "status": status,
            "states": [(str(s.pk), s.name) for s in states],
            "state": state,
            "is_liaison": bool(answering),
            "query": query,
            "withheld": bool(query.unknown or set(query.errors) - {"page"}),
        },
    )


def _answerable(request, pk: int) -> FollowUp:
    """A communication the user answers for its State: any other is a 404."""
    return get_object_or_404(
        FollowUp.objects.visible_to(request.user)
        .filter(case__host_state_id__in=answering_state_ids(request.user))
        .select_related("case", "case__host_state"),
        pk=pk,
    )


@login_required
def followup_answer(request, pk: int):
    """The host State's liaison answers a communication, with a document if any."""
    follow_up = _answerable(request, pk)
    if request.method == "POST":
        form = FollowUpAnswerForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.followup_answer(
                    actor=request.user,
                    follow_up=follow_up,
                    answered_on=form.cleaned_data["answered_on"],
                    text=form.cleaned_data["text"],
                    document=form.cleaned_data.get("document"),
                )
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(
                    request,
                    _(
                        "Your answer on case %(reference)s was recorded; "
                        "the legal officers are told."
                    )
                    % {"reference": follow_up.case.reference},
                )
                return redirect("accountability:followup_register")
    else:
        form = FollowUpAnswerForm(initial={"answered_on": date.today()})
    return render(
        request,
        "accountability/followup_answer.html",
        {"follow_up": follow_up, "case": follow_up.case, "form": form},
        status=200 if request.method == "GET" or form.is_valid() else 400,
    )


@login_required
def followup_document(request, pk: int):
    """The document attached to a State's answer, to whoever sees the communication."""
    follow_up = get_object_or_404(FollowUp.objects.visible_to(request.user), pk=pk)
    if not follow_up.response_document:
        raise Http404
    return attachment_response(
        open_stored(follow_up.response_document),
        filename=follow_up.response_document_name or "answer",
        content_type=follow_up.response_document_type or "application/octet-stream",
    )
