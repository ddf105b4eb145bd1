"""The case page's follow-up report block: the latest report of the case's host State
(or, while none is named, its mission's list of undetermined cases), a request form, and
the block's progress fragment polled by htmx.

Part of the reports app: the case page (accountability) asks for the block through
accountability/case_page.py, where ReportsConfig.ready registers `report_context`, and
accountability's URLconf mounts case_urls.py by name."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accountability.forms import ReportRequestForm
from accountability.models import Case
from accountability.reports.models import FollowUpReport
from accountability.reports.services import followup_report_request
from missions.scope import can_request_followup_report
from peacekeeping.errors import DomainError
from peacekeeping.outbox import warn_if_delayed


def _visible_case(request, reference: str) -> Case:
    return get_object_or_404(
        Case.objects.visible_to(request.user).select_related("mission", "host_state"),
        reference=reference,
    )


def report_context(request, case: Case) -> dict:
    """The host State's latest follow-up report, and whether the user may request one."""
    latest = (
        FollowUpReport.objects.visible_to(request.user)
        .for_subject(host_state=case.host_state, mission=case.mission)
        .order_by("-requested_at", "-id")
        .first()
    )
    # No host State yet: the mission's list of undetermined cases is the case's report.
    mission = case.mission if case.host_state_id is None else None
    can_request = can_request_followup_report(request.user, case.host_state, mission=mission)
    return {
        "report": latest,
        "report_running": latest is not None
        and latest.status in (FollowUpReport.Status.PENDING, FollowUpReport.Status.RUNNING),
        "can_request_report": can_request,
        "report_form": ReportRequestForm(auto_id="id_report_%s") if can_request else None,
    }


@login_required
@require_POST
def report_request(request, reference: str):
    """Ask for the host State's follow-up report (reports step); its progress then shows
    on the case page. The service decides who may (legal officers of the State)."""
    case = _visible_case(request, reference)
    form = ReportRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The period is not valid."))
    else:
        try:
            report = followup_report_request(
                actor=request.user,
                host_state=case.host_state,
                mission=case.mission if case.host_state_id is None else None,
                period_label=form.cleaned_data["period_label"] or None,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("The follow-up report of %(state)s was requested; it is being built.")
                % {"state": report.subject_name},
            )
            warn_if_delayed(request)
    return redirect(f"{case.get_absolute_url()}#report")


@login_required
def report_status(request, reference: str):
    """The report's progress as a fragment, polled by htmx; without it, the link in the
    fragment reloads the case page."""
    case = _visible_case(request, reference)
    if not Case.objects.with_visible_suspects(request.user).filter(pk=case.pk).exists():
        raise Http404
    if not request.headers.get("HX-Request"):
        return redirect(f"{case.get_absolute_url()}#report")
    return render(
        request,
        "accountability/case_detail.html#report_status",
        {"case": case, **report_context(request, case)},
    )
