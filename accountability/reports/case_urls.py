"""The case page's report block (case_views.py): mounted by accountability's URLconf
under /cases/, its names in the accountability namespace as before."""

from django.urls import path

from accountability.reports import case_views

urlpatterns = [
    path("<str:reference>/report/", case_views.report_request, name="report_request"),
    path("<str:reference>/report/status/", case_views.report_status, name="report_status"),
]
