"""The project's URLs plus the follow-up reports' page and API (until the project
includes them itself: see README, "Follow-up reports")."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from accountability.reports.api import register
from peacekeeping.urls import urlpatterns as project_urlpatterns

router = SimpleRouter()
register(router)

urlpatterns = [
    path("reports/", include("accountability.reports.urls")),
    path("reports-api/v1/", include(router.urls)),
    *project_urlpatterns,
]
