"""HTML pages of the incidents app."""

from django.urls import path

from incidents import views, views_bulk, views_list

app_name = "incidents"

urlpatterns = [
    path("", views_list.incident_list, name="incident_list"),
    path("new/", views.incident_create, name="incident_create"),
    path("submit/", views_bulk.incident_bulk_submit, name="incident_bulk_submit"),
    path("<str:reference>/", views.incident_detail, name="incident_detail"),
    path("<str:reference>/edit/", views.incident_edit, name="incident_edit"),
    path("<str:reference>/submit/", views.incident_submit_view, name="incident_submit"),
    path(
        "<str:reference>/evidence/<int:pk>/",
        views.attachment_download,
        name="attachment_download",
    ),
]
