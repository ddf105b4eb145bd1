"""Pages of follow-up reports. Include under a prefix of your choice:
path("reports/", include("accountability.reports.urls"))."""

from django.urls import path

from accountability.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("request/", views.report_request, name="report_request"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/download/<str:fmt>/", views.report_download, name="report_download"),
    path("<int:pk>/acknowledge/", views.report_acknowledge, name="report_acknowledge"),
    path("addressee/<str:iso3>/", views.addressee_edit, name="addressee_edit"),
]
