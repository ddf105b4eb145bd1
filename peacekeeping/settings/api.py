"""Settings of the REST API (DRF, drf-spectacular). Docs: docs/users/api.md."""

from django.core.exceptions import ImproperlyConfigured

from peacekeeping.env import env_str
from peacekeeping.settings.base import TRUSTED_PROXY_COUNT

_PERIODS = {"s", "sec", "second", "m", "min", "minute", "h", "hour", "d", "day"}


def _throttle_rate(name: str, default: str) -> str:
    value = env_str(name, default).strip()
    count, _slash, period = value.partition("/")
    if not count.isdigit() or period not in _PERIODS:
        raise ImproperlyConfigured(f"{name} must look like 1000/hour (n/second|minute|hour|day).")
    return value


REST_FRAMEWORK = {
    # Token first: a request without credentials gets 401 with WWW-Authenticate.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # The API's own views use peacekeeping.api.ApiViewMixin: cursor pagination, an
    # ordering allowlist, the error schema (not named here: DRF imports these defaults
    # while the module that defines them is still importing DRF).
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["peacekeeping.api_parsers.JSONParser"],
    "EXCEPTION_HANDLER": "peacekeeping.api.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        # DRF's, surviving a Redis outage (counted in-process meanwhile).
        "peacekeeping.api_throttling.AnonRateThrottle",
        "peacekeeping.api_throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": _throttle_rate("API_THROTTLE_ANON", "60/minute"),
        "user": _throttle_rate("API_THROTTLE_USER", "5000/hour"),
        # POST /api/v1/auth/token/, per client IP (failed passwords also count for axes).
        "token": _throttle_rate("API_THROTTLE_TOKEN", "20/minute"),
    },
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    # peacekeeping.api.ApiSchema (error answers, ETag) is set on the API's own views.
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Peacekeeping accountability API",
    "DESCRIPTION": (
        "Attacks on UN peacekeepers and the justice that follows (UNSC res. 2589). "
        "Authenticate with `Authorization: Token <token>` (POST /api/v1/auth/token/). "
        "Every answer is limited to your scope; errors are `{code, detail, field}`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its docs page are for signed-in users only: they describe a system
    # of named victims and suspects (docs/operators/security-platform.md).
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "IncidentStatusEnum": "incidents.choices.IncidentStatus",
        "InvestigationStatusEnum": "accountability.choices.InvestigationStatus",
        "ProcedureStepKindEnum": "accountability.choices.ProcedureStepKind",
        "SupportKindEnum": "accountability.choices.SupportKind",
        "MissionKindEnum": "missions.choices.MissionKind",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
