"""A small page of follow-up reports: the list in the user's scope, a request form, each
report's progress (polled by htmx) and its files."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accountability.reports.delivery import followup_report_acknowledge, report_addressee_set
from accountability.reports.downloads import report_file_response
from accountability.reports.models import (
    REPORT_FORMATS,
    FollowUpReport,
    ReportAcknowledgement,
    ReportAddressee,
)
from accountability.reports.selectors import can_edit_report_addressee, requestable_states
from accountability.reports.services import followup_report_request
from accountability.reports.versions import version_context
from missions.scope import can_acknowledge_followup_report, can_download_followup_report
from peacekeeping.errors import DomainError
from peacekeeping.jobs import JobStatus
from peacekeeping.sorting import Column, Sorting, by_label, sorted_page

PAGE_SIZES = (50, 25, 100)  # the first is the default
SORTING = Sorting(
    {
        "host_state": Column(
            gettext_lazy("Host State"), (Coalesce("host_state__name_en", "mission__acronym"),)
        ),
        "period": Column(gettext_lazy("Period"), ("period_start", "period_end")),
        "version": Column(gettext_lazy("Version"), ("version",), descending_first=True),
        "status": Column(gettext_lazy("Status"), (by_label("status", JobStatus.choices),)),
        "requested_at": Column(gettext_lazy("Requested"), ("requested_at",), descending_first=True),
        "as_of": Column(gettext_lazy("Data as of"), ("as_of",), descending_first=True),
        "acknowledged": Column(
            gettext_lazy("Receipt acknowledged"),
            ("acknowledgement__received_on",),
            descending_first=True,
        ),
    },
    default="-requested_at",
)


def _visible(request):
    # select_related: each row shows its State, its requester and its acknowledgement.
    return FollowUpReport.objects.visible_to(request.user).select_related(
        "host_state", "mission", "requested_by", "acknowledgement"
    )


@login_required
def report_list(request):
    """The latest reports of the States in scope, and a form to request one."""
    # Sorted by any column, paged at the size chosen (peacekeeping.sorting).
    listing = sorted_page(request.GET, _visible(request), SORTING, sizes=PAGE_SIZES)
    states = list(requestable_states(request.user).only("iso3", "name_en", "name_fr"))
    return render(
        request,
        "accountability/reports/followup_report_list.html",
        {
            "reports": listing.page.object_list,
            "page_obj": listing.page,
            "states": states,
            "query": listing.query,
            "sort_headers": listing.headers,
            "sort_key": listing.sort if "sort" in listing.query.controls else "",
            "page_sizes": sorted(PAGE_SIZES),
            "page_size": listing.size,
        },
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
    if not getattr(report, "created", True) and report.status == FollowUpReport.Status.DONE:
        messages.info(
            request,
            _("Nothing changed since version %(version)s: it remains the current report.")
            % {"version": report.version},
        )
    else:
        messages.success(request, _("The report was requested; it is being built."))
    return redirect("reports:report_detail", pk=report.pk)


@login_required
def report_detail(request, pk: int):
    """A report's progress and files; htmx swaps the progress block until it is done."""
    report = get_object_or_404(_visible(request), pk=pk)
    context = {
        "report": report,
        "formats": REPORT_FORMATS,
        "can_download": can_download_followup_report(request.user, report),
        **version_context(report),
        "acknowledgement": ReportAcknowledgement.objects.filter(report=report)
        .select_related("acknowledged_by")
        .first(),
        "can_acknowledge": can_acknowledge_followup_report(request.user, report),
        "today": timezone.localdate(),
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
    if not can_download_followup_report(request.user, report):
        raise PermissionDenied
    if report.status != FollowUpReport.Status.DONE or not report.file_for(fmt):
        raise Http404
    return report_file_response(report, fmt)


@login_required
@require_POST
def report_acknowledge(request, pk: int):
    """The host State's liaison acknowledges receipt of the report."""
    report = get_object_or_404(_visible(request), pk=pk)
    received_on = parse_date((request.POST.get("received_on") or "").strip())
    if received_on is None:
        messages.error(request, _("Give the date the report was received (YYYY-MM-DD)."))
        return redirect("reports:report_detail", pk=report.pk)
    try:
        followup_report_acknowledge(
            actor=request.user,
            report=report,
            received_on=received_on,
            note=request.POST.get("note") or "",
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("reports:report_detail", pk=report.pk)
    messages.success(request, _("Receipt acknowledged; the legal officers are told."))
    return redirect("reports:report_detail", pk=report.pk)


@login_required
def addressee_edit(request, iso3: str):
    """The address block of a host State's reports, kept by its legal officers."""
    state = get_object_or_404(requestable_states(request.user), iso3=iso3.upper())
    if not can_edit_report_addressee(request.user, state):
        raise Http404
    current = ReportAddressee.objects.filter(host_state=state).first()
    lines = current.lines if current else ""
    if request.method == "POST":
        lines = request.POST.get("lines") or ""
        try:
            report_addressee_set(actor=request.user, host_state=state, lines=lines)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The addressee was saved; the next reports carry it."))
            return redirect("reports:report_list")
    return render(
        request,
        "accountability/reports/addressee_form.html",
        {"state": state, "lines": lines, "current": current},
    )
