"""The legal officers' pages: the case board, a case, and the forms that record each step.

Every page starts from `Case.objects.visible_to(user)`: a case outside the user's scope
is a 404. Only `can_manage_case` users see and post the forms (anyone else who can see
the case gets a 403 on a form URL). Suspects, follow-ups and the procedure are shown only
where `Case.objects.with_visible_suspects(user)` reaches the case (never mission staff),
with names masked per `sees_names`; each such view is written to the audit trail.
Writes go through accountability.services; a refused step (DomainError) is shown on the form
with everything typed kept.
"""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Window
from django.db.models.functions import Coalesce, RowNumber
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accountability import services
from accountability.choices import CaseStage
from accountability.filtersets import CaseFilterSet
from accountability.forms import (
    BOARD_SORTS,
    BoardFilterForm,
    CapacitySupportForm,
    FollowUpForm,
    FollowUpResponseForm,
    InvestigationOpenForm,
    InvestigationStatusForm,
    ProcedureStepForm,
    ReportRequestForm,
    SuspectIdentifyForm,
)
from accountability.models import (
    CapacitySupport,
    Case,
    FollowUp,
    Investigation,
    ProcedureStep,
    Suspect,
)
from accountability.reports.models import FollowUpReport
from accountability.reports.services import followup_report_request
from accountability.selectors import case_timeline
from missions.scope import can_manage_case, can_request_followup_report, mask, sees_names
from peacekeeping.accounts.network import client_ip
from peacekeeping.audit import audit_record
from peacekeeping.errors import DomainError
from peacekeeping.models import AuditEntry
from peacekeeping.outbox import warn_if_delayed

# The board shows at most this many cases per stage; "show all" pages through one stage.
STAGE_LIMIT = 25
PAGE_SIZE = 50
HISTORY_LIMIT = 50


def _ordering(sort_key: str) -> list:
    return [
        F(name[1:]).desc() if name.startswith("-") else F(name).asc()
        for name in BOARD_SORTS[sort_key][1]
    ]


def _board_queryset(cases):
    # select_related: each row shows its mission and host State. The impunity flag and
    # the date of last progress are annotations, so the board is one query per section.
    return cases.select_related("mission", "host_state").annotate(
        progress=Coalesce("last_progress_on", "attack_date"),
        in_impunity=Exists(Case.objects.impunity().filter(pk=OuterRef("pk"))),
    )


def _query_with(request, **values) -> str:
    """The current query string with some parameters replaced (and no page number)."""
    query = request.GET.copy()
    query.pop("page", None)
    for key, value in values.items():
        query[key] = value
    return query.urlencode()


@login_required
def case_board(request):
    """Cases in scope, one section per stage, impunity cases flagged; filter and sort."""
    form = BoardFilterForm(request.GET or None)
    sort_key = form.sort_key
    filterset = CaseFilterSet(
        request.GET or None, queryset=Case.objects.visible_to(request.user), request=request
    )
    cases = filterset.qs
    only_stage = filterset.form.cleaned_data.get("stage") if filterset.is_valid() else ""
    ordering = _ordering(sort_key)
    counts = dict(cases.order_by().values_list("stage").annotate(n=Count("pk")))
    labels = dict(CaseStage.choices)
    page = None
    if only_stage:
        # One stage, paged: a COUNT and one page of rows.
        paginator = Paginator(_board_queryset(cases).order_by(*ordering), PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
        rows = list(page.object_list)
    else:
        # Every stage at once, the first STAGE_LIMIT of each: one windowed query.
        rows = list(
            _board_queryset(cases)
            .annotate(stage_row=Window(RowNumber(), partition_by=[F("stage")], order_by=ordering))
            .filter(stage_row__lte=STAGE_LIMIT)
            .order_by(*ordering)
        )
    by_stage: dict[str, list] = {stage: [] for stage in CaseStage.values}
    for case in rows:
        by_stage[case.stage].append(case)
    today = date.today()
    sections = [
        {
            "stage": stage,
            "label": labels[stage],
            "count": counts.get(stage, 0),
            "cases": [
                {
                    "case": case,
                    "days_since_attack": case.days_since_attack(today),
                    "days_since_progress": case.days_since_last_progress(today),
                }
                for case in by_stage[stage]
            ],
            "more": counts.get(stage, 0) > len(by_stage[stage]) and not only_stage,
            "more_query": _query_with(request, stage=stage),
        }
        for stage in CaseStage.values
        if not only_stage or stage == only_stage
    ]
    return render(
        request,
        "accountability/case_board.html",
        {
            "form": form,
            "filter_errors": filterset.errors if filterset.is_bound else {},
            "sections": sections,
            "total": sum(counts.values()),
            "page": page,
            "sort_key": sort_key,
            "query": _query_with(request),
            "sort_links": {
                "reference": _query_with(request, sort="reference"),
                "mission": _query_with(request, sort="mission"),
                "host_state": _query_with(request, sort="host_state"),
                "attack_date": _query_with(
                    request, sort="attack_date" if sort_key == "-attack_date" else "-attack_date"
                ),
                "killed": _query_with(request, sort="-killed"),
                "progress": _query_with(request, sort="progress"),
            },
            "stage_limit": STAGE_LIMIT,
        },
    )


# --- the case page ----------------------------------------------------------------------


def _visible_case(request, reference: str) -> Case:
    return get_object_or_404(
        Case.objects.visible_to(request.user).select_related("mission", "host_state"),
        reference=reference,
    )


def _managed_case(request, reference: str) -> Case:
    """The case, if the user may record steps on it: 404 out of scope, 403 read-only."""
    case = _visible_case(request, reference)
    if not can_manage_case(request.user, case):
        raise PermissionDenied(_("You may read this case but not record steps on it."))
    return case


def _sees_suspects(user, case: Case) -> bool:
    return Case.objects.with_visible_suspects(user).filter(pk=case.pk).exists()


def _event_labels() -> dict[str, str]:
    # The services name their case events by kind; these are the kinds' labels.
    return {
        "case_opened": _("Case opened"),
        "incident_joined": _("Incident joined"),
        "investigation_opened": _("Investigation opened"),
        "investigation_status": _("Investigation status"),
        "follow_up": _("Follow-up"),
        "follow_up_response": _("Response of the host State"),
        "capacity_support": _("Capacity support"),
    }


def _timeline(case: Case, *, names_visible: bool) -> list:
    """case_timeline, with suspects' names masked where the user may not read them."""
    entries = case_timeline(case)
    labels = _event_labels()
    for entry in entries:
        if entry.suspect is None:
            entry.label = labels.get(entry.kind, entry.label)
            continue
        step = entry.item
        entry.description = (
            mask(entry.suspect.name, names_visible)
            + (f" ({step.legal_term})" if step.legal_term else "")
            + (f", {step.sentence}" if step.sentence else "")
            + (f". {step.note}" if step.note else "")
        )
    return entries


def _history(case: Case, suspects, investigations, follow_ups) -> list[AuditEntry]:
    """The audit trail of the case and its rows, newest first (one query)."""
    objects = [
        ("accountability.case", [case.pk]),
        ("accountability.suspect", [s.pk for s in suspects]),
        ("accountability.procedurestep", [step.pk for s in suspects for step in s.steps.all()]),
        ("accountability.investigation", [i.pk for i in investigations]),
        ("accountability.followup", [f.pk for f in follow_ups]),
    ]
    q = Q(pk__in=[])
    for object_type, pks in objects:
        if pks:
            q |= Q(object_type=object_type, object_id__in=[str(pk) for pk in pks])
    return list(
        AuditEntry.objects.filter(q)
        .exclude(action="view_case_suspects")
        .only("occurred_at", "actor_name", "action", "object_type", "object_repr")
        .order_by("-id")[:HISTORY_LIMIT]
    )


def _report_context(request, case: Case) -> dict:
    """The host State's latest follow-up report, and whether the user may request one."""
    latest = (
        FollowUpReport.objects.visible_to(request.user)
        .filter(host_state_id=case.host_state_id)
        .order_by("-requested_at", "-id")
        .first()
    )
    can_request = can_request_followup_report(request.user, host_state_id=case.host_state_id)
    return {
        "report": latest,
        "report_running": latest is not None
        and latest.status in (FollowUpReport.Status.PENDING, FollowUpReport.Status.RUNNING),
        "can_request_report": can_request,
        "report_form": ReportRequestForm(auto_id="id_report_%s") if can_request else None,
    }


@login_required
def case_detail(request, reference: str):
    """A case: mission staff see its stage; the others its whole path to justice."""
    case = _visible_case(request, reference)
    user = request.user
    context = {
        "case": case,
        "today": date.today(),
        "days_since_attack": case.days_since_attack(),
        "days_since_progress": case.days_since_last_progress(),
        "in_impunity": Case.objects.impunity().filter(pk=case.pk).exists(),
        # select_related: each incident shows its country.
        "incidents": case.incidents.select_related("country").order_by("occurred_at"),
    }
    if not _sees_suspects(user, case):
        return render(request, "accountability/case_detail_reduced.html", context)

    manage = can_manage_case(user, case)
    names_visible = sees_names(user, mission_id=case.mission_id, country_id=case.host_state_id)
    # Prefetch: each suspect shows its steps; select_related: group and nationality.
    suspects = list(
        case.suspects.select_related("armed_group", "nationality").prefetch_related(
            Prefetch("steps", queryset=ProcedureStep.objects.order_by("occurred_on", "id"))
        )
    )
    for suspect in suspects:
        suspect.shown_name = mask(suspect.name, names_visible)
        suspect.shown_alias = mask(suspect.alias, names_visible) if suspect.alias else ""
        if manage:
            suspect.step_form = ProcedureStepForm(auto_id=f"id_step{suspect.pk}_%s")
    investigations = list(case.investigations.all())
    follow_ups = list(case.follow_ups.all())
    today = context["today"]
    for follow_up in follow_ups:
        follow_up.is_overdue = bool(
            follow_up.response_due
            and follow_up.response_due < today
            and follow_up.response_received_on is None
        )
        if manage and follow_up.response_received_on is None:
            follow_up.response_form = FollowUpResponseForm(auto_id=f"id_response{follow_up.pk}_%s")
    if manage:
        for investigation in investigations:
            investigation.status_form = InvestigationStatusForm(
                auto_id=f"id_investigation{investigation.pk}_%s"
            )
    audit_record(
        actor=user,
        action="view_case_suspects",
        obj=case,
        changes={"suspects": len(suspects), "names_visible": names_visible},
        ip_address=client_ip(request),
    )
    context.update(
        {
            "manage": manage,
            "names_visible": names_visible,
            "suspects": suspects,
            "investigations": investigations,
            "follow_ups": follow_ups,
            # select_related: each line names the mission that gave the support.
            "capacity_support": CapacitySupport.objects.visible_to(user)
            .filter(cases=case)
            .select_related("mission"),
            "timeline": _timeline(case, names_visible=names_visible),
            "history": _history(case, suspects, investigations, follow_ups) if manage else [],
            **_report_context(request, case),
        }
    )
    if manage:
        context["forms"] = {
            "investigation": InvestigationOpenForm(auto_id="id_investigation_%s"),
            "suspect": SuspectIdentifyForm(auto_id="id_suspect_%s", user=user),
            "followup": FollowUpForm(auto_id="id_followup_%s"),
            "capacity": CapacitySupportForm(auto_id="id_capacity_%s", host_state=case.host_state),
        }
    return render(request, "accountability/case_detail.html", context)


# --- recording forms ----------------------------------------------------------------------


def _record(
    request,
    *,
    case: Case,
    form_class,
    title: str,
    call,
    anchor: str,
    success: str,
    form_kwargs: dict | None = None,
    subject: str = "",
):
    """GET: the form on its own page. POST: call the service; on a refusal, the form again
    with the service's message and everything typed."""
    form_kwargs = form_kwargs or {}
    if request.method == "POST":
        form = form_class(request.POST, **form_kwargs)
        if form.is_valid():
            try:
                call(form.cleaned_data)
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, success)
                return redirect(f"{case.get_absolute_url()}#{anchor}")
    else:
        form = form_class(**form_kwargs)
    return render(
        request,
        "accountability/case_form.html",
        {
            "case": case,
            "form": form,
            "title": title,
            "subject": subject,
            "action": request.path,
            "cancel": f"{case.get_absolute_url()}#{anchor}",
        },
    )


@login_required
def case_record_investigation(request, reference: str):
    case = _managed_case(request, reference)
    return _record(
        request,
        case=case,
        form_class=InvestigationOpenForm,
        title=_("Open an investigation"),
        anchor="investigations",
        success=_("Investigation recorded."),
        call=lambda data: services.investigation_open(actor=request.user, case=case, **data),
    )


@login_required
def investigation_update_status(request, reference: str, pk: int):
    case = _managed_case(request, reference)
    investigation = get_object_or_404(Investigation, pk=pk, case=case)
    return _record(
        request,
        case=case,
        form_class=InvestigationStatusForm,
        title=_("Update an investigation's status"),
        subject=f"{investigation.get_authority_display()} — {investigation.get_status_display()}",
        anchor="investigations",
        success=_("Investigation status updated."),
        call=lambda data: services.investigation_update_status(
            actor=request.user, investigation=investigation, **data
        ),
    )


@login_required
def case_record_suspect(request, reference: str):
    case = _managed_case(request, reference)
    return _record(
        request,
        case=case,
        form_class=SuspectIdentifyForm,
        form_kwargs={"user": request.user},
        title=_("Identify a suspect"),
        anchor="suspects",
        success=_("Suspect recorded."),
        call=lambda data: services.suspect_identify(actor=request.user, case=case, **data),
    )


@login_required
def suspect_record_step(request, reference: str, pk: int):
    case = _managed_case(request, reference)
    suspect = get_object_or_404(Suspect.objects.visible_to(request.user), pk=pk, case=case)
    return _record(
        request,
        case=case,
        form_class=ProcedureStepForm,
        title=_("Record a procedure step"),
        subject=f"{suspect.name} — {suspect.get_status_display()}",
        anchor=f"suspect-{suspect.pk}",
        success=_("Step recorded."),
        call=lambda data: services.procedure_record_step(
            actor=request.user, suspect=suspect, **data
        ),
    )


@login_required
def case_record_followup(request, reference: str):
    case = _managed_case(request, reference)
    return _record(
        request,
        case=case,
        form_class=FollowUpForm,
        title=_("Record a follow-up with the host State"),
        anchor="follow-ups",
        success=_("Follow-up recorded."),
        call=lambda data: services.followup_record(actor=request.user, case=case, **data),
    )


@login_required
def followup_record_response(request, reference: str, pk: int):
    case = _managed_case(request, reference)
    follow_up = get_object_or_404(FollowUp.objects.visible_to(request.user), pk=pk, case=case)
    return _record(
        request,
        case=case,
        form_class=FollowUpResponseForm,
        title=_("Record the host State's response"),
        subject=f"{follow_up.get_channel_display()} — {follow_up.sent_on:%Y-%m-%d}",
        anchor=f"follow-up-{follow_up.pk}",
        success=_("Response recorded."),
        call=lambda data: services.followup_record_response(
            actor=request.user, follow_up=follow_up, **data
        ),
    )


@login_required
def capacity_support_create(request, reference: str):
    case = _managed_case(request, reference)
    return _record(
        request,
        case=case,
        form_class=CapacitySupportForm,
        form_kwargs={"host_state": case.host_state},
        title=_("Record capacity support"),
        subject=str(case.host_state),
        anchor="capacity-support",
        success=_("Capacity support recorded."),
        call=lambda data: services.capacity_support_record(
            actor=request.user, host_state=case.host_state, cases=[case], **data
        ),
    )


# --- follow-up report of the case's host State ---------------------------------------------


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
            followup_report_request(
                actor=request.user,
                host_state=case.host_state,
                period_label=form.cleaned_data["period_label"] or None,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("The follow-up report of %(state)s was requested; it is being built.")
                % {"state": case.host_state.name},
            )
            warn_if_delayed(request)
    return redirect(f"{case.get_absolute_url()}#report")


@login_required
def report_status(request, reference: str):
    """The report's progress as a fragment, polled by htmx; without it, the link in the
    fragment reloads the case page."""
    case = _visible_case(request, reference)
    if not _sees_suspects(request.user, case):
        raise Http404
    if not request.headers.get("HX-Request"):
        return redirect(f"{case.get_absolute_url()}#report")
    return render(
        request,
        "accountability/case_detail.html#report_status",
        {"case": case, **_report_context(request, case)},
    )
