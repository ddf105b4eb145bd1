"""URLs of the API, under /api/ (namespace "api").

Apart from peacekeeping.api so that the modules listed in ROUTER_MODULES may import the
shared API classes from there without an import cycle.
"""

import importlib

from django.contrib.auth.decorators import login_required
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from peacekeeping.api import ROUTER_MODULES, TokenCreateView, not_found

app_name = "api"


def build_router() -> DefaultRouter:
    router = DefaultRouter()
    for name in ROUTER_MODULES:
        module = importlib.import_module(name)
        if hasattr(module, "register"):
            module.register(router)
        else:
            router.registry.extend(module.router.registry)
    return router


urlpatterns = [
    path("v1/auth/token/", TokenCreateView.as_view(), name="token"),
    path("v1/", include(build_router().urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # A person at a browser: to the login page first (the schema itself answers 401).
    path(
        "docs/",
        login_required(SpectacularSwaggerSplitView.as_view(url_name="api:schema")),
        name="docs",
    ),
    # [\s\S], not ".": a path may hold an encoded newline, which "." does not match.
    re_path(r"^[\s\S]*$", not_found),
]
