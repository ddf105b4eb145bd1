"""A small page of follow-up reports: the list in the user's scope, a request form, each
report's progress (polled by htmx) and its files."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accountability.reports.downloads import report_file_response
from accountability.reports.models import REPORT_FORMATS, FollowUpReport
from accountability.reports.selectors import requestable_states
from accountability.reports.services import followup_report_request
from missions.scope import can_download_followup_report
from peacekeeping.errors import DomainError

LIST_LIMIT = 100


def _visible(request):
    # select_related: each row shows its State and its requester.
    return FollowUpReport.objects.visible_to(request.user).select_related(
        "host_state", "requested_by"
    )


@login_required
def report_list(request):
    """The latest reports of the States in scope, and a form to request one."""
    reports = list(_visible(request).order_by("-requested_at", "-id")[:LIST_LIMIT])
    states = list(requestable_states(request.user).only("iso3", "name_en", "name_fr"))
    return render(
        request,
        "accountability/reports/followup_report_list.html",
        {"reports": reports, "states": states, "limit": LIST_LIMIT},
    )


@login_required
@require_POST
def report_request(request):
    iso3 = (request.POST.get("host_state") or "").upper()
    state = requestable_states(request.user).filter(iso3=iso3).first()
    if state is None:
        messages.error(request, _("Choose a host State you are responsible for."))
        return redirect("reports:report_list")
    try:
        report = followup_report_request(
            actor=request.user,
            host_state=state,
            period_label=(request.POST.get("period") or "").strip() or None,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("reports:report_list")
    messages.success(request, _("The report was requested; it is being built."))
    return redirect("reports:report_detail", pk=report.pk)


@login_required
def report_detail(request, pk: int):
    """A report's progress and files; htmx swaps the progress block until it is done."""
    report = get_object_or_404(_visible(request), pk=pk)
    context = {
        "report": report,
        "formats": REPORT_FORMATS,
        "can_download": can_download_followup_report(
            request.user, host_state_id=report.host_state_id
        ),
    }
    if request.headers.get("HX-Request"):
        return render(
            request, "accountability/reports/followup_report_detail.html#progress", context
        )
    return render(request, "accountability/reports/followup_report_detail.html", context)


@login_required
def report_download(request, pk: int, fmt: str):
    report = get_object_or_404(_visible(request), pk=pk)
    if fmt not in REPORT_FORMATS:
        raise Http404
    if not can_download_followup_report(request.user, host_state_id=report.host_state_id):
        raise PermissionDenied
    if report.status != FollowUpReport.Status.DONE or not report.file_for(fmt):
        raise Http404
    return report_file_response(report, fmt)
