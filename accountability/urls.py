"""HTML pages of the accountability app (mounted at /cases/)."""

from django.urls import include, path

from accountability import (
    views,
    views_analysis,
    views_board,
    views_bulk,
    views_edit,
    views_followups,
)

app_name = "accountability"

urlpatterns = [
    path("", views_board.case_board, name="case_board"),
    # The analysts' pages come before "<reference>/" so their names are never read as a
    # case reference.
    path("statistics/", views_analysis.statistics_page, name="statistics"),
    path("map/", views_analysis.incident_map, name="incident_map"),
    path("map/incidents.geojson", views_analysis.incident_map_data, name="incident_map_data"),
    path("bulk/", views_bulk.case_bulk, name="case_bulk"),
    path("follow-ups/", views_followups.followup_register, name="followup_register"),
    path("follow-ups/<int:pk>/answer/", views_followups.followup_answer, name="followup_answer"),
    path(
        "follow-ups/<int:pk>/document/",
        views_followups.followup_document,
        name="followup_document",
    ),
    path("<str:reference>/", views.case_detail, name="case_detail"),
    path("<str:reference>/edit/", views_edit.case_edit, name="case_edit"),
    path(
        "<str:reference>/investigations/",
        views.case_record_investigation,
        name="case_record_investigation",
    ),
    path(
        "<str:reference>/investigations/<int:pk>/status/",
        views.investigation_update_status,
        name="investigation_update_status",
    ),
    path("<str:reference>/suspects/", views.case_record_suspect, name="case_record_suspect"),
    path(
        "<str:reference>/suspects/<int:pk>/steps/",
        views.suspect_record_step,
        name="suspect_record_step",
    ),
    path("<str:reference>/follow-ups/", views.case_record_followup, name="case_record_followup"),
    path(
        "<str:reference>/follow-ups/<int:pk>/response/",
        views.followup_record_response,
        name="followup_record_response",
    ),
    path(
        "<str:reference>/capacity-support/",
        views.capacity_support_create,
        name="capacity_support_create",
    ),
    # The case's report block belongs to the reports app (named, not imported: a circle).
    path("", include("accountability.reports.case_urls")),
]
