"""The legal officers' pages: a case, and the forms that record each step (the board is in
views_board.py).

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
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accountability import services
from accountability.case_page import case_page_blocks
from accountability.figures import is_overdue
from accountability.forms import (
    CapacitySupportForm,
    FollowUpForm,
    FollowUpResponseForm,
    InvestigationOpenForm,
    InvestigationStatusForm,
    ProcedureStepForm,
    SuspectIdentifyForm,
)
from accountability.impunity import (
    NO_INVESTIGATION,
    NO_PROGRESS,
    case_impunity_reasons,
    no_investigation_days,
    no_progress_days,
)
from accountability.models import (
    CapacitySupport,
    Case,
    FollowUp,
    Investigation,
    ProcedureStep,
    Suspect,
)
from accountability.selectors import case_timeline
from missions.masking import mask
from missions.scope import can_answer_followup, can_manage_case, sees_names
from peacekeeping.accounts.network import client_ip
from peacekeeping.audit import audit_record
from peacekeeping.errors import DomainError
from peacekeeping.models import AuditEntry

HISTORY_LIMIT = 50


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


def _timeline(case: Case, *, names_visible: bool) -> list:
    """case_timeline, with suspects' names masked where the user may not read them."""
    entries = case_timeline(case)  # events labelled by CaseEventKind
    for entry in entries:
        if entry.suspect is None:
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


@login_required
def case_detail(request, reference: str):
    """A case: mission staff see its stage; the others its whole path to justice."""
    case = _visible_case(request, reference)
    user = request.user
    reasons = case_impunity_reasons(case)
    context = {
        "case": case,
        "today": date.today(),
        "days_since_attack": case.days_since_attack(),
        "days_since_progress": case.days_since_last_progress(),
        "in_impunity": bool(reasons),
        "impunity_late": NO_INVESTIGATION in reasons,
        "impunity_stalled": NO_PROGRESS in reasons,
        "no_investigation_days": no_investigation_days(),
        "no_progress_days": no_progress_days(),
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
    can_answer = can_answer_followup(user, case)
    for follow_up in follow_ups:
        follow_up.is_overdue = is_overdue(follow_up, today)
        follow_up.can_answer = follow_up.response_received_on is None and can_answer
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
            # The blocks of the apps above (the follow-up report's): accountability/case_page.py.
            **case_page_blocks(request, case),
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
