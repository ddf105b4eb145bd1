"""Admin of countries, missions, peacekeepers and memberships.

Memberships are granted and revoked through their services; the reference rows, which
have none, are written directly and audited. Saved searches are each user's own, written
from the lists through their services: viewed here.
"""

from django.contrib import admin

from missions.models import Assignment, Country, Membership, Mission, Personnel, SavedSearch
from missions.services import membership_grant, membership_revoke
from peacekeeping.admin import AuditedAdminMixin, ReadOnlyAdminMixin, adopt


@admin.register(Country)
class CountryAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["iso3", "name_en", "name_fr", "m49", "working_language"]
    list_filter = ["working_language"]
    search_fields = ["iso3", "name_en", "name_fr", "m49"]


@admin.register(Mission)
class MissionAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = [
        "acronym",
        "name_en",
        "kind",
        "mandate_start",
        "mandate_end",
        "active",
        "is_aggregate",
    ]
    list_filter = ["kind", "active", "is_aggregate"]
    search_fields = ["acronym", "name_en", "name_fr", "hq_location"]
    autocomplete_fields = ["host_countries", "components"]


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    autocomplete_fields = ["mission"]


@admin.register(Personnel)
class PersonnelAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = [
        "family_name",
        "given_name",
        "service_number",
        "contributing_country",
        "category",
        "rank",
        "unit",
    ]
    list_filter = ["category", "gender", "contributing_country"]
    search_fields = ["family_name", "given_name", "service_number", "unit"]
    autocomplete_fields = ["contributing_country", "nationality"]
    list_select_related = ["contributing_country"]  # the country column, without a query a row
    inlines = [AssignmentInline]


@admin.register(Assignment)
class AssignmentAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["personnel", "mission", "start_date", "end_date"]
    list_filter = ["mission"]
    search_fields = ["personnel__family_name", "personnel__service_number", "mission__acronym"]
    autocomplete_fields = ["personnel", "mission"]
    list_select_related = ["personnel", "mission"]  # both columns, without a query a row
    date_hierarchy = "start_date"


@admin.register(Membership)
class MembershipAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = [
        "user",
        "role",
        "mission",
        "country",
        "liaison_basis",
        "all_scope",
        "can_see_names",
        "is_focal_point",
    ]
    list_filter = ["role", "all_scope", "can_see_names", "is_focal_point", "liaison_basis"]
    search_fields = ["user__username", "user__email", "mission__acronym", "country__name_en"]
    autocomplete_fields = ["user", "mission", "country"]
    list_select_related = ["user", "mission", "country"]  # the three columns, one query
    readonly_fields = ["created_at"]

    def create_object(self, request, obj, form) -> bool:
        adopt(
            obj,
            membership_grant(
                actor=request.user,
                user=obj.user,
                role=obj.role,
                mission=obj.mission,
                country=obj.country,
                liaison_basis=obj.liaison_basis,
                all_scope=obj.all_scope,
                can_see_names=obj.can_see_names,
                is_focal_point=obj.is_focal_point,
            ),
        )
        return True

    def remove_object(self, request, obj) -> None:
        membership_revoke(actor=request.user, membership=obj)


@admin.register(SavedSearch)
class SavedSearchAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Saved, shared and deleted by their owners on the lists (missions.services); read
    here. A search holds a query string, never rows."""

    list_display = ["name", "owner", "list_name", "created_at"]
    list_filter = ["list_name"]
    search_fields = ["name", "owner__username"]
    list_select_related = ["owner"]  # the owner column, in the one page query
