"""Root URL configuration."""

from django.contrib import admin
from django.urls import include, path

from peacekeeping import views
from peacekeeping.health import healthz

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz/", healthz, name="healthz"),
    path("incidents/", include("incidents.urls")),
    path("cases/", include("accountability.urls")),
    path("accounts/", include("peacekeeping.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
