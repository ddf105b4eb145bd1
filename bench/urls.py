"""The app's URLconf, plus `/bench/minimal/`: the baseline of figure B3.

Not part of the app: only `bench.settings` (gunicorn run by `make bench`) mounts it.
"""

from django.http import HttpResponse
from django.urls import path

from peacekeeping.urls import urlpatterns as app_urlpatterns


def minimal(request):
    """The least a Django view can do, behind the app's full middleware stack."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/minimal/", minimal, name="bench_minimal"), *app_urlpatterns]
