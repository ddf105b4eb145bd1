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
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accountability import services
from accountability.choices import FollowUpChannel
from accountability.figures import is_overdue, overdue_q
from accountability.forms import FollowUpAnswerForm
from accountability.models import FollowUp
from missions.choices import SavedList
from missions.models import Country
from missions.scope import answering_state_ids
from missions.searches import panel
from peacekeeping.errors import DomainError
from peacekeeping.querystring import read_query
from peacekeeping.sorting import LIST_CONTROLS, Column, Sorting, by_label, sorted_page
from peacekeeping.storage import attachment_response, open_stored

PAGE_SIZES = (50, 25, 100)  # the first is the default
SORTING = Sorting(
    {
        "case": Column(gettext_lazy("Case"), ("case__reference",)),
        "sent_on": Column(gettext_lazy("Sent"), ("sent_on",), descending_first=True),
        "channel": Column(
            gettext_lazy("Communication"), (by_label("channel", FollowUpChannel.choices),)
        ),
        "response_due": Column(gettext_lazy("Answer due"), ("response_due",)),
        "answered": Column(
            gettext_lazy("The State's answer"), ("response_received_on",), descending_first=True
        ),
    },
    default="-sent_on",
)
STATUSES = {
    "awaiting": gettext_lazy("Awaiting an answer"),
    "overdue": gettext_lazy("Answer overdue"),
    "answered": gettext_lazy("Answered"),
}


# The register's own filters (read as they were); any other key is named as not understood.
FILTERS = ("status", "host_state")


def _status_q(status: str, today: date) -> Q:
    if status == "awaiting":
        return Q(response_received_on__isnull=True)
    if status == "overdue":
        # "Overdue" has one definition (accountability/figures.py).
        return overdue_q(today)
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
    query = read_query(request.GET, filters=FILTERS, controls=LIST_CONTROLS)
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
    rows = rows.select_related("case", "case__host_state", "response_recorded_by")
    # Sorted by any column, paged at the size chosen (peacekeeping.sorting).
    listing = sorted_page(request.GET, rows, SORTING, sizes=PAGE_SIZES, query=query)
    page = listing.page
    answering = answering_state_ids(request.user)
    for follow_up in page.object_list:
        follow_up.is_overdue = is_overdue(follow_up, today)
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
            "withheld": bool(query.unknown or set(query.errors) - {"page", "page_size", "sort"}),
            "sort_headers": listing.headers,
            "sort_key": listing.sort if "sort" in query.controls else "",
            "page_sizes": sorted(PAGE_SIZES),
            "page_size": listing.size,
            "saved": panel(
                request.user,
                list_name=SavedList.FOLLOW_UPS,
                path=request.path,
                kept=query.kept,
            ),
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
