"""Admin of cases and their path to justice.

Cases, investigations, suspects, follow-ups and capacity support are written through
their services, which keep the case's stage, counts and progress dates in step and write
its timeline. What no service covers (editing a case's summary, an investigation's office)
is written directly, audited, and the case recomputed. History is never edited: procedure
steps are recorded only through the service, case events are append-only.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminDateWidget, AutocompleteSelectMultiple

from accountability.models import (
    CapacitySupport,
    Case,
    CaseEvent,
    CaseIncident,
    FollowUp,
    Investigation,
    ProcedureStep,
    Suspect,
)
from accountability.services import (
    capacity_support_record,
    case_join_incident,
    case_open,
    case_refresh,
    followup_record,
    followup_record_response,
    investigation_open,
    suspect_identify,
)
from incidents.models import Incident
from peacekeeping.admin import (
    AppendOnlyAdminMixin,
    AuditedAdminMixin,
    ReadOnlyAdminMixin,
    ReadOnlyInline,
    adopt,
    form_changes,
)


class CaseRowAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """A row of a case: after a direct write or a removal, the case is recomputed."""

    def after_write(self, request, obj, *, created: bool) -> None:
        case_refresh(case=obj.case, actor=request.user)

    def remove_object(self, request, obj) -> None:
        case = obj.case
        super().remove_object(request, obj)
        case_refresh(case=case, actor=request.user)


# --- inlines of a case ------------------------------------------------------------------


class CaseIncidentInline(admin.TabularInline):
    """Joined through `case_join_incident` (CaseIncidentAdmin), never re-pointed."""

    model = CaseIncident
    extra = 0
    autocomplete_fields = ["incident"]
    readonly_fields = ["joined_at"]

    def has_change_permission(self, request, obj=None):
        return False


class InvestigationInline(admin.TabularInline):
    """Opened through `investigation_open`; the status moves through the app's workflow."""

    model = Investigation
    extra = 0
    fields = ["authority", "authority_name", "status", "opened_on", "closed_on", "source"]
    readonly_fields = ["status", "closed_on"]
    show_change_link = True


class SuspectInline(ReadOnlyInline):
    """A suspect is identified on its own page, with the date and source of it."""

    model = Suspect
    fields = ["name", "alias", "armed_group", "status", "status_since", "in_custody"]
    show_change_link = True


class FollowUpInline(admin.TabularInline):
    model = FollowUp
    extra = 0
    fields = [
        "sent_on",
        "channel",
        "summary",
        "response_due",
        "response_received_on",
        "outcome",
    ]


class CaseEventInline(ReadOnlyInline):
    """The case's timeline, as written: read here, never edited."""

    model = CaseEvent
    fields = ["occurred_on", "kind", "description", "source", "recorded_by"]


# --- cases -------------------------------------------------------------------------------


class CaseOpenForm(forms.ModelForm):
    """Opening a case names its incidents; the service derives the rest from them."""

    incidents = forms.ModelMultipleChoiceField(
        queryset=Incident.objects.all(),
        widget=AutocompleteSelectMultiple(Case._meta.get_field("incidents"), admin.site),
        help_text="Malicious acts of one mission that killed or injured peacekeepers.",
    )

    class Meta:
        model = Case
        fields = ["host_state", "opened_on", "focal_point"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Defaults to the country of the incidents, else the mission's only host.
        self.fields["host_state"].required = False


@admin.register(Case)
class CaseAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = [
        "reference",
        "mission",
        "host_state",
        "attack_date",
        "stage",
        "investigation_status",
        "killed",
        "injured",
        "last_progress_on",
    ]
    list_filter = ["stage", "investigation_status", "has_conviction", "mission", "host_state"]
    search_fields = ["reference", "summary", "suspects__name", "incidents__reference"]
    autocomplete_fields = ["mission", "host_state", "focal_point"]
    list_select_related = ["mission", "host_state"]  # both columns, without a query a row
    date_hierarchy = "attack_date"
    # Kept by the services from the incidents, investigations and procedure steps.
    readonly_fields = [
        "reference",
        "mission",
        "attack_date",
        "stage",
        "investigation_status",
        "investigation_opened_on",
        "last_progress_on",
        "has_conviction",
        "killed",
        "injured",
        "opened_by_import",
        "version",
        "created_at",
        "updated_at",
    ]
    inlines = [
        CaseIncidentInline,
        InvestigationInline,
        SuspectInline,
        FollowUpInline,
        CaseEventInline,
    ]
    add_form = CaseOpenForm
    add_fields = ["incidents", "host_state", "opened_on", "focal_point"]

    def create_object(self, request, obj, form) -> bool:
        case = case_open(
            actor=request.user,
            incidents=form.cleaned_data["incidents"],
            host_state=form.cleaned_data.get("host_state"),
            opened_on=obj.opened_on,
            focal_point=obj.focal_point,
        )
        adopt(obj, case)
        return True


@admin.register(CaseIncident)
class CaseIncidentAdmin(CaseRowAdmin):
    list_display = ["case", "incident", "joined_at"]
    search_fields = ["case__reference", "incident__reference"]
    autocomplete_fields = ["case", "incident"]
    list_select_related = ["case", "incident"]  # both columns, without a query a row
    readonly_fields = ["joined_at"]

    def has_change_permission(self, request, obj=None):
        return False

    def create_object(self, request, obj, form) -> bool:
        case_join_incident(actor=request.user, case=obj.case, incident=obj.incident)
        adopt(obj, CaseIncident.objects.get(incident=obj.incident))
        return True


@admin.register(CaseEvent)
class CaseEventAdmin(AppendOnlyAdminMixin, CaseRowAdmin):
    list_display = ["case", "occurred_on", "kind", "description", "recorded_by"]
    list_filter = ["kind"]
    search_fields = ["case__reference", "description", "source"]
    autocomplete_fields = ["case"]
    list_select_related = ["case", "recorded_by"]  # both columns, without a query a row
    date_hierarchy = "occurred_on"
    fields = ["case", "kind", "occurred_on", "description", "source"]

    def create_object(self, request, obj, form) -> bool:
        obj.recorded_by = request.user
        return super().create_object(request, obj, form)


# --- investigations ---------------------------------------------------------------------


@admin.register(Investigation)
class InvestigationAdmin(CaseRowAdmin):
    list_display = ["case", "authority", "authority_name", "status", "opened_on", "closed_on"]
    list_filter = ["authority", "status"]
    search_fields = ["case__reference", "authority_name", "source", "note"]
    autocomplete_fields = ["case"]
    list_select_related = ["case"]  # the case column, without a query a row
    # The status moves through `investigation_update_status`, with a dated source.
    readonly_fields = ["status", "closed_on", "created_at", "updated_at"]
    readonly_once_saved = ("case",)

    def create_object(self, request, obj, form) -> bool:
        investigation = investigation_open(
            actor=request.user,
            case=obj.case,
            authority=obj.authority,
            opened_on=obj.opened_on,
            source=obj.source,
            authority_name=obj.authority_name,
            note=obj.note,
        )
        adopt(obj, investigation)
        return True


# --- suspects and their procedure -------------------------------------------------------


class SuspectIdentifyForm(forms.ModelForm):
    """A suspect enters a case with the dated, sourced step of their identification."""

    identified_on = forms.DateField(widget=AdminDateWidget)
    source = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The document, record or report naming the suspect.",
    )
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    class Meta:
        model = Suspect
        fields = ["case", "name", "alias", "armed_group", "nationality"]


class ProcedureStepInline(ReadOnlyInline):
    """A suspect's steps, as recorded through the service: read here, never edited."""

    model = ProcedureStep
    fields = ["occurred_on", "kind", "legal_term", "sentence", "source", "recorded_by"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Suspect)
class SuspectAdmin(CaseRowAdmin):
    list_display = ["name", "alias", "case", "armed_group", "status", "status_since", "in_custody"]
    list_filter = ["status", "in_custody", "armed_group"]
    search_fields = ["name", "alias", "case__reference", "armed_group__name"]
    autocomplete_fields = ["case", "armed_group", "nationality"]
    list_select_related = ["case", "armed_group"]  # both columns, without a query a row
    # These follow the last procedure step.
    readonly_fields = ["status", "status_since", "in_custody", "custody_since", "created_at"]
    readonly_once_saved = ("case",)
    inlines = [ProcedureStepInline]
    add_form = SuspectIdentifyForm
    add_fields = [*SuspectIdentifyForm._meta.fields, "identified_on", "source", "note"]

    def create_object(self, request, obj, form) -> bool:
        suspect = suspect_identify(
            actor=request.user,
            case=obj.case,
            name=obj.name,
            identified_on=form.cleaned_data["identified_on"],
            source=form.cleaned_data["source"],
            alias=obj.alias,
            armed_group=obj.armed_group,
            nationality=obj.nationality,
            note=form.cleaned_data.get("note", ""),
        )
        adopt(obj, suspect)
        return True


@admin.register(ProcedureStep)
class ProcedureStepAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Steps are recorded through the service, which moves the suspect and the case."""

    list_display = ["suspect", "kind", "occurred_on", "legal_term", "sentence"]
    list_filter = ["kind"]
    search_fields = ["suspect__name", "suspect__case__reference", "legal_term", "source"]
    list_select_related = ["suspect"]  # the suspect column, without a query a row
    date_hierarchy = "occurred_on"


# --- the UN's follow-up and support -----------------------------------------------------


@admin.register(FollowUp)
class FollowUpAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["case", "sent_on", "channel", "response_due", "response_received_on"]
    list_filter = ["channel", "sent_on"]
    search_fields = ["case__reference", "summary", "outcome"]
    autocomplete_fields = ["case"]
    list_select_related = ["case"]  # the case column, without a query a row
    date_hierarchy = "sent_on"
    readonly_fields = ["recorded_by", "created_at"]
    readonly_once_saved = ("case",)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.response_received_on:
            # A response is recorded once.
            fields += ["response_received_on", "outcome"]
        return fields

    def create_object(self, request, obj, form) -> bool:
        follow_up = followup_record(
            actor=request.user,
            case=obj.case,
            sent_on=obj.sent_on,
            channel=obj.channel,
            summary=obj.summary,
            response_due=obj.response_due,
        )
        received_on, outcome = obj.response_received_on, obj.outcome
        adopt(obj, follow_up)
        if received_on:
            followup_record_response(
                actor=request.user, follow_up=obj, received_on=received_on, outcome=outcome
            )
        return True

    def change_object(self, request, obj, form) -> bool:
        received_on, outcome = obj.response_received_on, obj.outcome
        if form.initial.get("response_received_on") or not received_on:
            return super().change_object(request, obj, form)
        # The response goes through its service; any other edit is written first.
        obj.response_received_on, obj.outcome = None, form.initial.get("outcome", "")
        other = {
            name: change
            for name, change in form_changes(form).items()
            if name not in {"response_received_on", "outcome"}
        }
        if other:
            obj.save()
            self.audit_change(request, obj, other)
        followup_record_response(
            actor=request.user, follow_up=obj, received_on=received_on, outcome=outcome
        )
        return True


@admin.register(CapacitySupport)
class CapacitySupportAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["host_state", "mission", "provided_on", "institution", "kind"]
    list_filter = ["institution", "kind", "host_state"]
    search_fields = ["description", "host_state__name_en", "mission__acronym"]
    autocomplete_fields = ["host_state", "mission", "cases"]
    list_select_related = ["host_state", "mission"]  # both columns, without a query a row
    date_hierarchy = "provided_on"
    readonly_fields = ["recorded_by", "created_at"]

    def create_object(self, request, obj, form) -> bool:
        support = capacity_support_record(
            actor=request.user,
            host_state=obj.host_state,
            provided_on=obj.provided_on,
            institution=obj.institution,
            kind=obj.kind,
            description=obj.description,
            mission=obj.mission,
            cases=form.cleaned_data.get("cases", ()),
        )
        adopt(obj, support)
        return True


# Notifications register their own (read-only) admins.
from accountability.notifications import admin as _notifications_admin  # noqa: E402,F401
