"""Admin of the follow-up reports: requested in the app, built by a background job, and
viewed here, never edited."""

from django.contrib import admin

from accountability.reports.models import (
    FollowUpReport,
    ImpunityDigest,
    ReportAcknowledgement,
    ReportAddressee,
)
from peacekeeping.admin import ReadOnlyAdminMixin


@admin.register(FollowUpReport)
class FollowUpReportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Reports are requested in the app and built by a background job: viewed here."""

    list_display = [
        "__str__",
        "host_state",
        "mission",
        "period_kind",
        "language",
        "status",
        "progress",
        "requested_by",
        "requested_at",
        "finished_at",
    ]
    list_filter = ["status", "period_kind", "language", "host_state"]
    search_fields = ["host_state__iso3", "host_state__name_en", "period_label"]
    # The host State or mission (also in __str__) and the requester, in the one page query.
    list_select_related = ["host_state", "mission", "requested_by"]
    date_hierarchy = "requested_at"
    exclude = ["content"]


@admin.register(ImpunityDigest)
class ImpunityDigestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The record of each weekly digest sent: history, viewed here."""

    list_display = ["mission", "week", "sent_at"]
    list_filter = ["mission", "week"]
    search_fields = ["mission__acronym"]
    list_select_related = ["mission"]  # the mission column, without a query a row
    date_hierarchy = "week"


@admin.register(ReportAddressee)
class ReportAddresseeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Kept by the State's legal officers on the reports page (audited): viewed here."""

    list_display = ["host_state", "lines", "updated_by", "updated_at"]
    search_fields = ["host_state__iso3", "host_state__name_en", "lines"]
    list_select_related = ["host_state", "updated_by"]  # both columns in the page query


@admin.register(ReportAcknowledgement)
class ReportAcknowledgementAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The host States' acknowledgements of receipt, recorded by their liaisons: viewed."""

    list_display = ["report", "received_on", "acknowledged_by", "recorded_at"]
    list_filter = ["received_on"]
    search_fields = ["report__host_state__iso3", "report__period_label"]
    # The report's __str__ names its State; the liaison's name: one page query.
    list_select_related = ["report__host_state", "acknowledged_by"]
