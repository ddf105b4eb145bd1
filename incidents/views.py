"""HTML pages of incidents: the list, the guided form, the incident page, evidence files.

Every view starts from `Incident.objects.visible_to(request.user)`: an incident outside
the user's scope is a 404, whatever the URL. Writes also need `can_record_incident` for
the incident's mission, and go through `incidents.services`.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from incidents.choices import AttackType, IncidentStatus, IncidentType, Outcome
from incidents.filtersets import IncidentFilterSet
from incidents.forms import (
    CASUALTY_PREFIX,
    INCIDENT_ERROR_FIELDS,
    CasualtyFormSet,
    IncidentForm,
    add_domain_error,
)
from incidents.history import conflict_changes, incident_timeline
from incidents.listing import html_rows
from incidents.models import Attachment, Incident
from incidents.services import (
    DEFAULT_ATTACHMENT_MAX_BYTES,
    attachment_add,
    casualty_add,
    casualty_remove,
    file_too_large_message,
    incident_by_idempotency_key,
    incident_record,
    incident_submit,
    incident_update,
    parse_idempotency_key,
    record_once,
)
from missions.filtersets import check_references
from missions.models import Country, Mission, Personnel
from missions.scope import can_record_incident, recordable_mission_ids, sees_names
from peacekeeping.accounts.network import client_ip
from peacekeeping.audit import audit_record
from peacekeeping.errors import DomainError, StaleVersion
from peacekeeping.outbox import warn_if_delayed
from peacekeeping.paging import capped_page
from peacekeeping.querystring import page_size, read_query
from peacekeeping.storage import open_stored, set_content_length
from peacekeeping.uploads import refused_uploads

PAGE_SIZE = 25
MAX_PAGE_SIZE = 100  # ?page_size= on the list, as the API's page_size (which goes to 500)
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


# --- list -------------------------------------------------------------------------------


LIST_CONTROLS = ("page", "page_size")


@login_required
def incident_list(request):
    visible = _visible(request)
    # One reading of the query string for the rows, the form and the export links.
    query = read_query(request.GET, filters=IncidentFilterSet.base_filters, controls=LIST_CONTROLS)
    missions = list(Mission.objects.filter(pk__in=visible.values("mission_id")).only("acronym"))
    check_references(query, [mission.acronym for mission in missions])
    filterset = IncidentFilterSet(query.filters, queryset=visible, request=request)
    query.check(filterset)
    size = page_size(query, default=PAGE_SIZE, maximum=MAX_PAGE_SIZE)
    page = None
    if not query.unknown and set(query.errors) <= {"page_size"}:
        # The filters narrow the visible incidents first; the rows' columns come after, so
        # a filter's join never changes what a row counts.
        selection = filterset.qs
        # Counted up to a cap, the page read as plain values and labelled from maps
        # (incidents.listing): the rows cost what their SQL costs.
        raw_page = query.controls.get("page", "")
        rows = selection.list_values().order_by("-occurred_at", "-id")
        page = capped_page(selection, rows, page=raw_page, per_page=size, build=html_rows)
        if raw_page and not (
            raw_page.isascii() and raw_page.isdigit() and int(raw_page) == page.number
        ):
            # A page that does not exist is named; the nearest one is shown (the first for
            # a page that is not a number, the last past the end).
            if page.capped:
                reason = _("there is no such page; page %(page)s is shown") % {"page": page.number}
            else:
                last = max(1, -(-page.count // size))
                reason = _("there is no such page; pages go from 1 to %(last)s") % {"last": last}
            query.refuse("page", reason)
    recordable = recordable_mission_ids(request.user)
    context = {
        # None when a filter was not understood: nothing is shown rather than more.
        "page_obj": page,
        "withheld": page is None,
        "query": query,
        "filterset": filterset,
        # Every filter's value, "" when not given: a plain dict, so the form's lookups
        # never miss (a missed lookup on a QueryDict costs a dir() in the template engine,
        # once per mission in the mission drop-down).
        "filters": {name: query.filters.get(name, "") for name in filterset.filters},
        "missions": missions,
        "incident_types": IncidentType.choices,
        "attack_types": AttackType.choices,
        "statuses": IncidentStatus.choices,
        "outcomes": Outcome.choices,
        "can_record": recordable is None or bool(recordable),
    }
    # htmx refreshes only the results (export links included); a history restore (back
    # button) needs the page.
    partial = request.htmx and not request.htmx.boosted and not request.htmx.history_restore_request
    template = "incidents/incident_list.html" + ("#results" if partial else "")
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


# --- the guided form: create and edit ---------------------------------------------------


class _Refused(Exception):
    """A service refused a write; its message is already on the form."""


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
        **extra,
    }


def _add_casualties(request, incident: Incident, formset) -> None:
    for row in formset.filled_forms():
        try:
            casualty_add(actor=request.user, incident=incident, **row.service_fields())
        except DomainError as error:
            add_domain_error(row, error)
            raise _Refused from error


def _add_attachments(request, incident: Incident, form, saved: list[Attachment]) -> None:
    for uploaded in form.cleaned_data.get("attachments") or []:
        try:
            saved.append(
                attachment_add(actor=request.user, incident=incident, uploaded_file=uploaded)
            )
        except DomainError as error:
            form.add_error("attachments", f"{uploaded.name}: {error.message}")
            raise _Refused from error


def _uploads_complete(request, form) -> bool:
    """False, with the reason on the form, when a file was cut off as it arrived because
    it passed the size limit (peacekeeping/uploads.py). Call after form.is_valid()."""
    refused = refused_uploads(request)
    for name in refused:
        form.add_error("attachments", f"{name}: {file_too_large_message()}")
    return not refused


def _forget_files(saved: list[Attachment]) -> None:
    # The transaction rolled back, so the rows are gone; their files are not.
    for attachment in saved:
        attachment.file.delete(save=False)


def _submit(request, incident: Incident, form) -> None:
    try:
        incident_submit(actor=request.user, incident=incident)
    except DomainError as error:
        add_domain_error(form, error, INCIDENT_ERROR_FIELDS)
        raise _Refused from error


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
        saved: list[Attachment] = []
        key = form.cleaned_data.get("idempotency_key")

        def record() -> Incident:
            try:
                incident = incident_record(
                    actor=request.user,
                    mission=mission,
                    idempotency_key=key,
                    **form.service_fields(),
                )
            except DomainError as error:
                add_domain_error(form, error, INCIDENT_ERROR_FIELDS)
                raise _Refused from error
            _add_casualties(request, incident, formset)
            _add_attachments(request, incident, form, saved)
            if action == SUBMIT:
                _submit(request, incident, form)
            return incident

        try:
            # Under the submission's key: a copy arriving meanwhile gets this incident.
            incident, created = record_once(actor=request.user, key=key, record=record)
        except _Refused:
            _forget_files(saved)
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
            saved: list[Attachment] = []
            try:
                with transaction.atomic():
                    try:
                        incident_update(
                            actor=request.user,
                            incident=incident,
                            expected_version=form.cleaned_data["version"],
                            **form.service_fields(only_changed=True),
                        )
                        for casualty in casualties:
                            if casualty.pk in removed:
                                casualty_remove(actor=request.user, casualty=casualty)
                    except StaleVersion:
                        raise
                    except DomainError as error:
                        add_domain_error(form, error, INCIDENT_ERROR_FIELDS)
                        raise _Refused from error
                    _add_casualties(request, incident, formset)
                    _add_attachments(request, incident, form, saved)
                    if action == SUBMIT and incident.status == IncidentStatus.DRAFT:
                        _submit(request, incident, form)
            except StaleVersion:
                _forget_files(saved)
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
            except _Refused:
                _forget_files(saved)
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
