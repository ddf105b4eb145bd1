"""Admin of armed groups, incidents, casualties and evidence.

Incidents, casualties, armed groups and aliases are written through their services, so
references, the draft → submitted → verified workflow and the cases they open stay
right; evidence is uploaded through the app, which digests the file.
"""

from django.contrib import admin

from incidents.case_link import case_link
from incidents.models import ArmedGroup, ArmedGroupAlias, Attachment, Casualty, Incident
from incidents.services import (
    INCIDENT_EDITABLE_FIELDS,
    armed_group_add_alias,
    armed_group_create,
    casualty_add,
    casualty_remove,
    incident_record,
    incident_update,
)
from peacekeeping.admin import AuditedAdminMixin, ReadOnlyInline, adopt

# What incident_record takes from the admin's form, besides the actor.
_INCIDENT_RECORD_FIELDS = (
    "mission",
    "occurred_at",
    "incident_type",
    "date_precision",
    "place",
    "admin_area",
    "country",
    "latitude",
    "longitude",
    "location_precision",
    "attack_type",
    "narrative",
    "sources",
    "source",
)


class ArmedGroupAliasInline(admin.TabularInline):
    model = ArmedGroupAlias
    extra = 1


@admin.register(ArmedGroup)
class ArmedGroupAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "alias_list"]
    list_filter = ["countries"]
    search_fields = ["name", "aliases__alias"]
    autocomplete_fields = ["countries"]
    inlines = [ArmedGroupAliasInline]

    def get_queryset(self, request):
        # The alias column, for every row of the page, in one extra query.
        return super().get_queryset(request).prefetch_related("aliases")

    @admin.display(description="aliases")
    def alias_list(self, obj) -> str:
        return ", ".join(a.alias for a in obj.aliases.all())

    def create_object(self, request, obj, form) -> bool:
        group = armed_group_create(actor=request.user, name=obj.name, description=obj.description)
        adopt(obj, group)
        return True


@admin.register(ArmedGroupAlias)
class ArmedGroupAliasAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["alias", "armed_group"]
    search_fields = ["alias", "armed_group__name"]
    autocomplete_fields = ["armed_group"]
    list_select_related = ["armed_group"]  # the group column, without a query a row

    def create_object(self, request, obj, form) -> bool:
        alias = armed_group_add_alias(
            actor=request.user, armed_group=obj.armed_group, alias=obj.alias
        )
        adopt(obj, alias)
        return True


class CasualtyInline(admin.TabularInline):
    model = Casualty
    extra = 0
    fields = ["personnel", "category", "nationality", "outcome", "date_of_death", "notes"]
    autocomplete_fields = ["personnel", "nationality"]


class AttachmentInline(ReadOnlyInline):
    """Evidence is uploaded through the app, which stores and digests the file."""

    model = Attachment
    fields = ["original_name", "description", "sha256", "size", "uploaded_by", "uploaded_at"]


@admin.register(Incident)
class IncidentAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = [
        "reference",
        "occurred_at",
        "mission",
        "country",
        "incident_type",
        "attack_type",
        "status",
        "source",
    ]
    list_filter = ["incident_type", "attack_type", "status", "source", "mission"]
    search_fields = ["reference", "place", "admin_area", "narrative", "sources"]
    autocomplete_fields = ["mission", "country", "perpetrators"]
    list_select_related = ["mission", "country"]  # both columns, without a query a row
    date_hierarchy = "occurred_at"
    # The workflow (submit, verify) and its stamps belong to the services.
    readonly_fields = [
        "reference",
        "status",
        "version",
        "created_by",
        "created_at",
        "updated_at",
        "submitted_by",
        "submitted_at",
        "verified_by",
        "verified_at",
        "perpetrator_unknown",
    ]
    # The mission numbers the reference and the origin is how it came: both permanent.
    readonly_once_saved = ("mission", "source")
    inlines = [CasualtyInline, AttachmentInline]

    def create_object(self, request, obj, form) -> bool:
        incident = incident_record(
            actor=request.user,
            perpetrators=form.cleaned_data.get("perpetrators", ()),
            **{name: getattr(obj, name) for name in _INCIDENT_RECORD_FIELDS},
        )
        adopt(obj, incident)
        return True

    def change_object(self, request, obj, form) -> bool:
        changed = {
            name: form.cleaned_data[name]
            for name in form.changed_data
            if name in INCIDENT_EDITABLE_FIELDS
        }
        # The service reloads the row under a lock, then applies and audits the changes.
        incident_update(actor=request.user, incident=obj, **changed)
        return True


@admin.register(Casualty)
class CasualtyAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "incident", "category", "nationality", "outcome", "date_of_death"]
    list_filter = ["outcome", "category", "incident__mission"]
    search_fields = [
        "incident__reference",
        "personnel__family_name",
        "personnel__service_number",
        "un_casualty_id",
    ]
    autocomplete_fields = ["incident", "personnel", "nationality"]
    # Incident, peacekeeper (in __str__) and nationality columns in the one page query.
    list_select_related = ["incident", "personnel", "nationality"]
    readonly_fields = ["created_at"]

    def create_object(self, request, obj, form) -> bool:
        casualty = casualty_add(
            actor=request.user,
            incident=obj.incident,
            personnel=obj.personnel,
            category=obj.category,
            nationality=obj.nationality,
            outcome=obj.outcome,
            date_of_death=obj.date_of_death,
            notes=obj.notes,
            un_casualty_id=obj.un_casualty_id,
            un_personnel_type=obj.un_personnel_type,
        )
        adopt(obj, casualty)
        return True

    def after_write(self, request, obj, *, created: bool) -> None:
        # No service edits a casualty: an edit is written and audited here, then the case
        # recounts its killed and injured (casualty_add already did on creation).
        if not created:
            case_link().sync(actor=request.user, incident=obj.incident)

    def remove_object(self, request, obj) -> None:
        casualty_remove(actor=request.user, casualty=obj)


@admin.register(Attachment)
class AttachmentAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Evidence is uploaded through the app; here its description may be corrected."""

    list_display = ["original_name", "incident", "content_type", "size", "uploaded_at"]
    list_filter = ["content_type"]
    search_fields = ["original_name", "description", "sha256", "incident__reference"]
    list_select_related = ["incident"]  # the incident column, without a query a row
    readonly_fields = [
        "incident",
        "file",
        "original_name",
        "sha256",
        "size",
        "content_type",
        "uploaded_by",
        "uploaded_at",
    ]

    def has_add_permission(self, request):
        return False
