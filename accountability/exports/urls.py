"""Pages of exports, included at exports/ (namespace "exports").

One URL per kind of export: the list page's query string plus `?format=csv|xlsx|json`
(default csv), e.g. /exports/casualties/?mission=MINUSCA&outcome=killed&format=xlsx.
"""

from django.urls import path

from accountability.exports import views

app_name = "exports"

urlpatterns = [
    path("", views.job_list, name="job_list"),
    path("incidents/", views.export, {"kind": "incidents"}, name="incidents"),
    path("casualties/", views.export, {"kind": "casualties"}, name="casualties"),
    path("cases/", views.export, {"kind": "cases"}, name="cases"),
    path("procedures/", views.export, {"kind": "procedures"}, name="procedures"),
    path("indicators/", views.indicators, name="indicators"),
    path("case-file/<str:reference>/", views.case_file, name="case_file"),
    path("jobs/<int:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/download/", views.job_download, name="job_download"),
    path("jobs/<int:pk>/manifest/", views.job_manifest, name="job_manifest"),
]
