"""Root URL configuration."""

from django.contrib import admin
from django.urls import include, path

from accountability.dashboard import home
from peacekeeping import offline
from peacekeeping.accounts.views import set_language
from peacekeeping.health import healthz, livez, readyz

urlpatterns = [
    path("", home, name="home"),
    path("sw.js", offline.service_worker, name="service_worker"),
    path("offline/", offline.offline_page, name="offline"),
    path("healthz/", healthz, name="healthz"),
    path("livez/", livez, name="livez"),
    path("readyz/", readyz, name="readyz"),
    path("api/", include("peacekeeping.api_urls")),
    path("incidents/", include("incidents.urls")),
    path("cases/", include("accountability.urls")),
    path("exports/", include("accountability.exports.urls")),
    path("reports/", include("accountability.reports.urls")),
    path("searches/", include("missions.urls")),
    path("notifications/", include("accountability.notifications.urls")),
    path("accounts/", include("peacekeeping.accounts.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
]

# 503 (page or API JSON) when the database is unreachable; otherwise the 500 page.
handler500 = "peacekeeping.unavailable.server_error"
