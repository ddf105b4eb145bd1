"""HTML pages of incidents: the guided form, the incident page, evidence files (the list:
views_list; several at once: views_bulk).

Every view starts from `Incident.objects.visible_to(request.user)`: an incident outside
the user's scope is a 404, whatever the URL. Writes also need `can_record_incident` for
the incident's mission, and go through `incidents.services`.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from incidents.choices import IncidentStatus
from incidents.forms import (
    CASUALTY_PREFIX,
    INCIDENT_ERROR_FIELDS,
    CasualtyFormSet,
    IncidentForm,
    add_domain_error,
)
from incidents.history import conflict_changes, incident_timeline
from incidents.models import Attachment, Incident
from incidents.places import place_files
from incidents.services import (
    DEFAULT_ATTACHMENT_MAX_BYTES,
    PartRefused,
    file_too_large_message,
    incident_by_idempotency_key,
    incident_record_whole,
    incident_submit,
    incident_update_whole,
    parse_idempotency_key,
)
from missions.models import Country, Mission, Personnel
from missions.scope import can_record_incident, recordable_mission_ids, sees_names
from peacekeeping.accounts.network import client_ip
from peacekeeping.audit import audit_record
from peacekeeping.errors import DomainError, StaleVersion
from peacekeeping.outbox import warn_if_delayed
from peacekeeping.storage import open_stored, set_content_length
from peacekeeping.uploads import refused_uploads

DRAFT, SUBMIT = "draft", "submit"


# --- reads shared by the pages ----------------------------------------------------------


def _visible(request):
    return Incident.objects.visible_to(request.user)


def _case_of(incident: Incident):
    try:
        return incident.case_link.case
    except ObjectDoesNotExist:
        return None


def _casualty_rows(casualties, names_visible: bool) -> list[dict]:
    """Each casualty with the name shown for it: the peacekeeper's, or masked."""
    return [
        {
            "casualty": casualty,
            "name": str(casualty.personnel) if casualty.personnel_id and names_visible else "",
            "masked": bool(casualty.personnel_id) and not names_visible,
        }
        for casualty in casualties
    ]


def _recordable_missions(user):
    missions = Mission.objects.operations()
    ids = recordable_mission_ids(user)
    return missions if ids is None else missions.filter(pk__in=ids)


def _editable_or_refuse(request, incident: Incident) -> None:
    """Writes need the recording right for the incident's own mission."""
    if not can_record_incident(request.user, incident.mission):
        raise PermissionDenied(_("You may not change incidents of this mission."))


# --- the guided form: create and edit ---------------------------------------------------


def _personnel_for(user, missions):
    return (
        Personnel.objects.visible_to(user)
        .filter(assignments__mission__in=missions)
        .only("id", "service_number", "given_name", "family_name")
        .distinct()
    )


def _form_context(*, form, formset, incident=None, personnel=None, **extra):
    return {
        "form": form,
        "formset": formset,
        "incident": incident,
        "personnel_options": list(personnel[:500]) if personnel is not None else [],
        "country_options": Country.objects.only("iso3", "name_en", "name_fr"),
        "DRAFT": DRAFT,
        "SUBMIT": SUBMIT,
        # The offline outbox keeps evidence files up to the size the server accepts.
        "attachment_max_bytes": getattr(
            settings, "ATTACHMENT_MAX_BYTES", DEFAULT_ATTACHMENT_MAX_BYTES
        ),
        # The map picker's vendored places and admin areas, one file a host country.
        "place_files": place_files(),
        **extra,
    }


def _new_parts(form, formset) -> dict:
    """The casualties and evidence files of the form, as the whole-write services take them."""
    return {
        "casualties": [row.service_fields() for row in formset.filled_forms()],
        "attachments": form.cleaned_data.get("attachments") or [],
    }


def _show_refusal(error: PartRefused, form, formset) -> None:
    """The refused part's message beside what the clerk typed for it."""
    if error.part == PartRefused.CASUALTY:
        add_domain_error(formset.filled_forms()[error.index], error)
    elif error.part == PartRefused.ATTACHMENT:
        form.add_error("attachments", f"{error.file_name}: {error.message}")
    else:
        add_domain_error(form, error, INCIDENT_ERROR_FIELDS)


def _uploads_complete(request, form) -> bool:
    """False, with the reason on the form, when a file was cut off as it arrived because
    it passed the size limit (peacekeeping/uploads.py). Call after form.is_valid()."""
    refused = refused_uploads(request)
    for name in refused:
        form.add_error("attachments", f"{name}: {file_too_large_message()}")
    return not refused


def _saved_message(request, incident: Incident, action: str) -> None:
    if action == SUBMIT:
        messages.success(request, _("%(ref)s was submitted.") % {"ref": incident.reference})
        warn_if_delayed(request)  # the broker is down: the case's e-mails wait in the outbox
    else:
        messages.success(
            request,
            _("%(ref)s was saved as a draft. Submit it when it is complete.")
            % {"ref": incident.reference},
        )


def _already_recorded_message(request, incident: Incident) -> None:
    messages.info(
        request,
        _("%(ref)s was already recorded from this form; it was not recorded twice.")
        % {"ref": incident.reference},
    )


def replayed_submission(request):
    """The answer to a post already recorded under its key (a redirect), or None.

    Checked before the form is validated: a replay gets the first answer even if the
    form would not validate the same way now.
    """
    try:
        key = parse_idempotency_key(request.POST.get("idempotency_key"))
    except DomainError:
        return None  # the form's own validation says what is wrong
    incident = incident_by_idempotency_key(actor=request.user, key=key)
    if incident is None or not _visible(request).filter(pk=incident.pk).exists():
        return None
    _already_recorded_message(request, incident)
    return redirect(incident)


@login_required
@require_http_methods(["GET", "POST"])
def incident_create(request):
    missions = _recordable_missions(request.user)
    if not missions.exists():
        raise PermissionDenied(_("You may not record incidents."))
    personnel = _personnel_for(request.user, missions)
    form_kwargs = {"personnel_queryset": personnel}
    if request.method != "POST":
        form = IncidentForm(user=request.user, missions=missions)
        formset = CasualtyFormSet(prefix=CASUALTY_PREFIX, form_kwargs=form_kwargs)
        return render(
            request,
            "incidents/incident_form.html",
            _form_context(form=form, formset=formset, personnel=personnel),
        )

    replayed = replayed_submission(request)
    if replayed is not None:
        return replayed
    action = SUBMIT if request.POST.get("action") == SUBMIT else DRAFT
    form = IncidentForm(request.POST, request.FILES, user=request.user, missions=missions)
    formset = CasualtyFormSet(
        request.POST,
        prefix=CASUALTY_PREFIX,
        form_kwargs=form_kwargs,
        require_one=action == SUBMIT,
    )
    # Both validated, so every problem shows at once.
    if form.is_valid() & formset.is_valid() & _uploads_complete(request, form):
        mission = form.cleaned_data["mission"]
        if not can_record_incident(request.user, mission):  # the choices already exclude it
            raise PermissionDenied(_("You may not record incidents for this mission."))
        try:
            # Under the submission's key: a copy arriving meanwhile gets this incident.
            incident, created = incident_record_whole(
                actor=request.user,
                mission=mission,
                idempotency_key=form.cleaned_data.get("idempotency_key"),
                fields=form.service_fields(),
                submit=action == SUBMIT,
                **_new_parts(form, formset),
            )
        except PartRefused as error:
            _show_refusal(error, form, formset)
        else:
            if created:
                _saved_message(request, incident, action)
            else:
                _already_recorded_message(request, incident)
            return redirect(incident)
    return render(
        request,
        "incidents/incident_form.html",
        _form_context(form=form, formset=formset, personnel=personnel),
        status=413 if refused_uploads(request) else 400,
    )


def _post_value(field, value):
    """A Python value as the browser would post it back."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    if hasattr(field.widget, "format_value") and hasattr(value, "isoformat"):
        return field.widget.format_value(value) or ""
    return str(value)


def _rebase(form: IncidentForm, current: dict, data):
    """The clerk's form after a conflict, on top of the incident as it now stands
    (`current`: its IncidentForm.initial_for values).

    Fields the clerk changed keep their values; the others take the current ones; the
    hidden initial values and the version become the current ones. Saving again then
    applies the clerk's changes only, over everyone else's.
    """
    data = data.copy()
    changed = set(form.changed_data)
    for name, value in current.items():
        if name not in form.fields:
            continue
        posted = _post_value(form.fields[name], value)
        setter = data.setlist if isinstance(posted, list) else data.__setitem__
        if name == "version":
            data[name] = posted
            continue
        setter(f"initial-{name}", posted)
        if name not in changed:
            setter(name, posted)
    return data


@login_required
@require_http_methods(["GET", "POST"])
def incident_edit(request, reference: str):
    incident = get_object_or_404(
        _visible(request).select_related("mission", "country"), reference=reference
    )
    _editable_or_refuse(request, incident)
    if incident.status == IncidentStatus.VERIFIED:
        messages.error(request, _("A verified incident can no longer be edited."))
        return redirect(incident)
    casualties = list(incident.casualties.select_related("personnel", "nationality"))
    names_visible = sees_names(
        request.user, mission_id=incident.mission_id, country_id=incident.country_id
    )
    personnel = _personnel_for(request.user, [incident.mission_id])
    form_kwargs = {"personnel_queryset": personnel}
    initial = IncidentForm.initial_for(incident)

    if request.method != "POST":
        form = IncidentForm(user=request.user, incident=incident, initial=initial)
        formset = CasualtyFormSet(prefix=CASUALTY_PREFIX, form_kwargs=form_kwargs)
        removed: set[int] = set()
        conflict = None
        status = 200
    else:
        action = SUBMIT if request.POST.get("action") == SUBMIT else DRAFT
        removed = {c.pk for c in casualties if str(c.pk) in request.POST.getlist("remove")}
        form = IncidentForm(
            request.POST, request.FILES, user=request.user, incident=incident, initial=initial
        )
        formset = CasualtyFormSet(
            request.POST,
            prefix=CASUALTY_PREFIX,
            form_kwargs=form_kwargs,
            require_one=action == SUBMIT and incident.status == IncidentStatus.DRAFT,
            kept=len(casualties) - len(removed),
        )
        conflict = None
        status = 413 if refused_uploads(request) else 400
        if form.is_valid() & formset.is_valid() & _uploads_complete(request, form):
            try:
                incident_update_whole(
                    actor=request.user,
                    incident=incident,
                    expected_version=form.cleaned_data["version"],
                    fields=form.service_fields(only_changed=True),
                    remove=[c for c in casualties if c.pk in removed],
                    submit=action == SUBMIT,
                    **_new_parts(form, formset),
                )
            except StaleVersion:
                incident.refresh_from_db()
                conflict = conflict_changes(incident, since_version=form.cleaned_data["version"])
                current = IncidentForm.initial_for(incident)
                form = IncidentForm(
                    _rebase(form, current, request.POST),
                    user=request.user,
                    incident=incident,
                    initial=current,
                )
                form.is_valid()
                form.add_error(
                    None,
                    _(
                        "Someone else changed this incident while you were editing it. "
                        "Their changes are listed below and are now in the form; your own "
                        "changes are kept. Check them, then save again."
                    ),
                )
                status = 409
            except PartRefused as error:
                _show_refusal(error, form, formset)
            else:
                _saved_message(request, incident, action)
                return redirect(incident)
    return render(
        request,
        "incidents/incident_form.html",
        _form_context(
            form=form,
            formset=formset,
            incident=incident,
            personnel=personnel,
            casualties=_casualty_rows(casualties, names_visible),
            attachments=list(incident.attachments.all()),
            removed=removed,
            conflict=conflict,
        ),
        status=status,
    )


# --- the incident page ------------------------------------------------------------------


@login_required
def incident_detail(request, reference: str):
    incident = get_object_or_404(
        _visible(request).select_related(
            "mission", "country", "created_by", "submitted_by", "case_link__case"
        ),
        reference=reference,
    )
    casualties = list(incident.casualties.select_related("personnel", "nationality"))
    names_visible = sees_names(
        request.user, mission_id=incident.mission_id, country_id=incident.country_id
    )
    if any(c.personnel_id for c in casualties):
        # Who looked at named victims, and whether the names were shown to them.
        audit_record(
            actor=request.user,
            action="view_incident",
            obj=incident,
            changes={"names_shown": [None, names_visible]},
            ip_address=client_ip(request),
        )
    can_edit = (
        can_record_incident(request.user, incident.mission)
        and incident.status != IncidentStatus.VERIFIED
    )
    return render(
        request,
        "incidents/incident_detail.html",
        {
            "incident": incident,
            "perpetrators": list(incident.perpetrators.all()),
            "casualties": _casualty_rows(casualties, names_visible),
            "case": _case_of(incident),
            "attachments": list(incident.attachments.all()),
            "timeline": incident_timeline(incident),
            "can_edit": can_edit,
            "can_submit": can_edit and incident.status == IncidentStatus.DRAFT,
        },
    )


@login_required
@require_POST
def incident_submit_view(request, reference: str):
    incident = get_object_or_404(_visible(request).select_related("mission"), reference=reference)
    _editable_or_refuse(request, incident)
    if request.POST.get("version") != str(incident.version):
        messages.error(
            request,
            _("%(ref)s changed since you opened it: check it, then submit again.")
            % {"ref": incident.reference},
        )
        return redirect(incident)
    try:
        incident_submit(actor=request.user, incident=incident)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(ref)s was submitted.") % {"ref": incident.reference})
        warn_if_delayed(request)
    return redirect(incident)


@login_required
def attachment_download(request, reference: str, pk: int):
    """Evidence, only through this view (MEDIA_ROOT is never served), as a download."""
    incident = get_object_or_404(_visible(request), reference=reference)
    attachment = get_object_or_404(Attachment, incident=incident, pk=pk)
    try:
        handle = open_stored(attachment.file)
    except FileNotFoundError as exc:
        raise Http404(_("The file is missing from storage.")) from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return set_content_length(response, handle)
