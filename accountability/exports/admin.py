"""Admin of the exports: requested in the app, built by a background job, and viewed
here, never edited."""

from django.contrib import admin

from accountability.exports.models import ExportJob
from peacekeeping.admin import ReadOnlyAdminMixin


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Exports are requested in the app and built by a background job: viewed here."""

    list_display = ["__str__", "user", "kind", "format", "status", "row_count", "created_at"]
    list_filter = ["status", "kind", "format"]
    search_fields = ["user__username"]
    # The requester, in the one page query.
    list_select_related = ["user"]
    date_hierarchy = "created_at"
