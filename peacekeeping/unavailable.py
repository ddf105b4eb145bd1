"""A clear 503 when the database cannot be reached, for pages and for the API.

`server_error` is the project's `handler500`: Django calls it for any exception that no
view or middleware handled, wherever it was raised (the session or user lookup in a
middleware, a view, a service). A database that refused or dropped the connection
(`OperationalError`, `InterfaceError`) becomes a 503 with `Retry-After`: an HTML page
rendered without touching the database (templates/503.html), or the API's error JSON
`{"code": "service_unavailable", ...}` under /api/. Every write is a transaction
(services are atomic, views wrap theirs), so a request cut off by the database leaves no
partial write. Anything else stays the ordinary 500 page.
"""

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token
from django.views.defaults import server_error as django_server_error

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
API_PREFIX = "/api/"


def database_unavailable(exc: BaseException | None) -> bool:
    """Is this the database being unreachable (rather than a deadlock or a timeout)?"""
    if not isinstance(exc, OperationalError | InterfaceError):
        return False
    try:
        from psycopg2 import extensions
    except ImportError:  # SQLite only
        return True
    cause = exc.__cause__
    return not isinstance(
        cause, extensions.TransactionRollbackError | extensions.QueryCanceledError
    )


def _stylesheet() -> str:
    # Never fail here: without a static manifest (collectstatic not run), the plain name.
    try:
        return static("css/app.css")
    except ValueError:
        return f"{settings.STATIC_URL.rstrip('/')}/css/app.css"


def unavailable_response(request) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        response = JsonResponse(
            {
                "code": "service_unavailable",
                "detail": _(
                    "The database cannot be reached; nothing was changed. Try again later."
                ),
                "field": None,
            },
            status=503,
        )
    else:
        body = loader.render_to_string(
            "503.html", {"retry_after": RETRY_AFTER_SECONDS, "stylesheet": _stylesheet()}
        )
        response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


@requires_csrf_token
def server_error(request, template_name: str = "500.html"):
    """handler500: 503 when the database is unreachable, else Django's 500 page."""
    exc = sys.exc_info()[1]
    if database_unavailable(exc):
        logger.error("database unreachable: answering 503", extra={"error": str(exc)})
        return unavailable_response(request)
    if request.path.startswith(API_PREFIX):
        return JsonResponse(
            {"code": "server_error", "detail": _("Server error."), "field": None}, status=500
        )
    return django_server_error(request, template_name)
