"""HTML pages of the incidents app."""

from django.urls import path

from incidents import views

app_name = "incidents"

urlpatterns = [
    path("", views.incident_list, name="incident_list"),
    path("new/", views.incident_create, name="incident_create"),
    path("<str:reference>/", views.incident_detail, name="incident_detail"),
    path("<str:reference>/edit/", views.incident_edit, name="incident_edit"),
    path("<str:reference>/submit/", views.incident_submit_view, name="incident_submit"),
    path(
        "<str:reference>/evidence/<int:pk>/",
        views.attachment_download,
        name="attachment_download",
    ),
]
