"""The REST API's shared machinery and its URL list (included at /api/ by peacekeeping.urls).

- /api/v1/...        the resources, one router per app (`ROUTER_MODULES`)
- /api/v1/auth/token/ a token for scripts, from a username and password
- /api/schema/       OpenAPI 3 (drf-spectacular); /api/docs/ Swagger UI (vendored assets)

Shared here: cursor pagination (peacekeeping.api_pagination), the filter backend that
refuses what a list does not understand and an ordering filter limited to each view's
allowlist (peacekeeping.api_filters), the exception handler that gives every error one
JSON shape (`{"code", "detail", "field"}`), ETag / If-Match handling, scoped relation
fields, and the schema class that documents the error responses of every operation.
"""

import hashlib
import json
import re

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import SAFE_METHODS, AllowAny
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from peacekeeping.api_filters import (  # noqa: F401 (re-exported)
    API_CONTROLS,
    ApiFilterBackend,
    ApiOrderingFilter,
    NotUnderstood,
)
from peacekeeping.api_pagination import ApiPagination  # noqa: F401 (re-exported)
from peacekeeping.api_throttling import ScopedRateThrottle
from peacekeeping.audit import audit_record
from peacekeeping.conflicts import stale_details
from peacekeeping.errors import DomainError, OutOfScope, StaleVersion
from peacekeeping.history import client_ip, set_db_actor

# Each module defines `router` (a DRF SimpleRouter) or `register(router)`; its routes are
# served under /api/v1/. Follow-up reports and exports add their module to this list.
ROUTER_MODULES = [
    "missions.api.urls",
    "incidents.api.urls",
    "accountability.api.urls",
    "accountability.reports.api",
    "accountability.exports.api",
]


# --- errors ---------------------------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    """Every error answer: a machine-readable code, a readable message, the field at fault."""

    code = serializers.CharField(help_text="Machine-readable, e.g. illegal_transition.")
    detail = serializers.CharField(help_text="What went wrong, in words a user understands.")
    field = serializers.CharField(
        allow_null=True, help_text="The request field at fault, when there is one."
    )
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Validation errors: every message, by field (dotted path for nested ones).",
    )


def _flatten(data, codes, prefix=""):
    """(field path, message, code) for each leaf of DRF's nested validation errors."""
    if isinstance(data, dict):
        for key, value in data.items():
            name = "" if key == api_settings.NON_FIELD_ERRORS_KEY else str(key)
            path_ = f"{prefix}.{name}" if prefix and name else (prefix or name)
            yield from _flatten(
                value, codes.get(key, {}) if isinstance(codes, dict) else codes, path_
            )
    elif isinstance(data, list):
        if all(not isinstance(item, dict | list) for item in data):
            for i, item in enumerate(data):
                code = codes[i] if isinstance(codes, list) and i < len(codes) else codes
                yield prefix, str(item), code if isinstance(code, str) else "invalid"
        else:
            for i, item in enumerate(data):
                code = codes[i] if isinstance(codes, list) and i < len(codes) else {}
                yield from _flatten(item, code, f"{prefix}.{i}" if prefix else str(i))
    else:
        yield prefix, str(data), codes if isinstance(codes, str) else "invalid"


def _error(code: str, detail: str, field: str | None = None, **extra) -> dict:
    return {"code": code, "detail": detail, "field": field or None, **extra}


def exception_handler(exc, context):
    """DomainError → 400 (OutOfScope 404, StaleVersion 412); every error as ErrorSerializer."""
    if isinstance(exc, DomainError):
        code = status.HTTP_400_BAD_REQUEST
        extra = {}
        if isinstance(exc, StaleVersion):
            code = status.HTTP_412_PRECONDITION_FAILED
            # What changed since the version the client read (cases): peacekeeping/conflicts.
            extra = stale_details(context.get("request"), context.get("view"))
        elif isinstance(exc, OutOfScope):
            code = status.HTTP_404_NOT_FOUND
        return Response(_error(exc.code, exc.message, exc.field, **extra), status=code)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        leaves = list(_flatten(exc.detail, exc.get_codes()))
        errors: dict[str, list[str]] = {}
        for field, message, _code in leaves:
            errors.setdefault(field or api_settings.NON_FIELD_ERRORS_KEY, []).append(message)
        field, message, code = leaves[0] if leaves else ("", str(_("Invalid input.")), "invalid")
        detail = f"{field}: {message}" if field else message
        if isinstance(exc, NotUnderstood):
            # Every problem, in the words the HTML list shows them.
            detail = " ".join(exc.problems)
        response.data = _error(code, detail, field, errors=errors)
    else:
        code = exc.get_codes() if isinstance(exc.get_codes(), str) else exc.default_code
        response.data = _error(code, str(exc.detail))
    return response


@csrf_exempt
def not_found(request, *args, **kwargs):
    """Any /api/ path that names no endpoint: the same JSON 404 as a missing object."""
    return JsonResponse(_error("not_found", str(exceptions.NotFound.default_detail)), status=404)


# --- ETag and If-Match ----------------------------------------------------------------


def etag_for(obj, data=None) -> str:
    """A strong ETag: the row's version where it has one, else a digest of the answer."""
    version = getattr(obj, "version", None)
    if version is not None:
        return f'"v{version}"'
    payload = json.dumps(data, sort_keys=True, default=str).encode()
    return '"' + hashlib.sha256(payload).hexdigest()[:32] + '"'


class ConditionalMixin:
    """Detail answers carry an ETag; writes honour If-Match (a stale one is a 412).

    Views list in `if_match_actions` the actions that accept If-Match; the schema
    documents the header and the 412 answer for those.
    """

    if_match_actions: frozenset[str] = frozenset()

    def expected_version(self, obj) -> int | None:
        """The version the client read, from If-Match; raise StaleVersion if it moved on."""
        header = self.request.headers.get("If-Match")
        if not header:
            return None
        tags = {tag.strip() for tag in header.split(",")}
        if "*" in tags:
            return None
        versioned = getattr(obj, "version", None) is not None
        current = etag_for(obj, None if versioned else self.get_serializer(obj).data)
        if current not in tags:
            raise StaleVersion(
                f"{obj} was changed since you read it (it is now {current}); "
                "fetch it again and redo your change."
            )
        return getattr(obj, "version", None)

    def locked(self, obj):
        """`obj` re-read under a row lock, then checked against If-Match.

        Call inside a transaction: the version compared is the one the service changes.
        """
        row = type(obj).objects.select_for_update().get(pk=obj.pk)
        self.expected_version(row)
        return row

    def respond(self, obj, *, serializer_class=None, status_code=status.HTTP_200_OK):
        """The object's detail representation, with its ETag."""
        serializer_class = serializer_class or self.get_serializer_class()
        data = serializer_class(obj, context=self.get_serializer_context()).data
        return Response(data, status=status_code, headers={"ETag": etag_for(obj, data)})

    def retrieve(self, request, *args, **kwargs):
        return self.respond(self.get_object())


IF_MATCH_HEADER = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "description": "The ETag you read; if the object changed since, the answer is 412 and "
    "nothing changes.",
    "schema": {"type": "string"},
}
ETAG_HEADER = {
    "ETag": {
        "description": "The object's version; send it back in If-Match when you change it.",
        "schema": {"type": "string"},
        "required": True,
    }
}


DELAYED_WORK_HEADER = {
    "Background-Work": {
        "description": "`delayed` when the change is saved but the background work it "
        "queued (a report, a notification) waits: the job queue is unreachable. Nothing is "
        "lost; it runs when the queue is back.",
        "schema": {"type": "string", "enum": ["delayed"]},
        "required": False,
    }
}


# --- relations named by the client ----------------------------------------------------


class _Scoped:
    """A relation looked up in the user's scope: `scope(user)`, by default the model's
    `visible_to(user)`. Anything else (absent or outside the scope, which are not told
    apart) is a 400 `out_of_scope`."""

    def __init__(self, *, model, scope=None, **kwargs):
        self.model = model
        self.scope = scope or model.objects.visible_to
        kwargs.setdefault("queryset", model.objects.none())
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.scope(self.context["request"].user)


class ScopedRelatedField(_Scoped, serializers.PrimaryKeyRelatedField):
    """A foreign key the client names by id, looked up in the user's scope only."""

    default_error_messages = {
        "out_of_scope": _("No {model} with id “{pk_value}” in your scope."),
    }

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if isinstance(data, str) and not (data.isascii() and data.isdigit()):
            self.fail("incorrect_type", data_type="str")
        try:
            return self.get_queryset().get(pk=int(data))
        except (TypeError, ValueError, OverflowError):
            self.fail("incorrect_type", data_type=type(data).__name__)
        except ObjectDoesNotExist:
            self.fail("out_of_scope", model=self.model._meta.verbose_name, pk_value=data)


class ScopedSlugField(_Scoped, serializers.SlugRelatedField):
    """Like ScopedRelatedField, for objects the client names by reference."""

    default_error_messages = {
        "out_of_scope": _("No {model} “{value}” in your scope."),
    }

    def __init__(self, *, slug_field="reference", **kwargs):
        super().__init__(slug_field=slug_field, **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        try:
            return self.get_queryset().get(**{self.slug_field: data})
        except ObjectDoesNotExist:
            self.fail("out_of_scope", model=self.model._meta.verbose_name, value=data)


class TextField(serializers.CharField):
    """A CharField for input that takes only JSON strings (DRF's also turns 12 into "12")."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


_COORDINATE = re.compile(r"^-?\d{0,3}(?:\.\d{0,5})?$")


@extend_schema_field(
    {
        "oneOf": [
            {"type": "number"},
            {"type": "string", "format": "decimal", "pattern": _COORDINATE.pattern},
        ],
        "nullable": True,
    }
)
class CoordinateField(serializers.DecimalField):
    """Decimal degrees, as a JSON number or a plain decimal string (no sign +, no spaces)."""

    def __init__(self, *, limit: int, **kwargs):
        super().__init__(
            max_digits=8, decimal_places=5, min_value=-limit, max_value=limit, **kwargs
        )

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | float | str):
            self.fail("invalid")
        if isinstance(data, str) and not _COORDINATE.match(data):
            self.fail("invalid")
        return super().to_internal_value(data)


def refuse(message: str = "") -> None:
    """403: the user may read this but not change it."""
    raise exceptions.PermissionDenied(message or _("You may read this but not change it."))


# --- schema ---------------------------------------------------------------------------


class ApiSchema(AutoSchema):
    """Adds the shared error answers (and ETag / If-Match) to every operation."""

    def _error_codes(self) -> dict[str, str]:
        codes = {
            "401": "Not signed in: no valid token or session.",
            "403": "Signed in, but this role may not do this (read-only access, for example).",
            "404": "No such object in your scope.",
            "429": "Too many requests: wait for Retry-After seconds.",
        }
        action = getattr(self.view, "action", None)
        if self.method in {"POST", "PUT", "PATCH", "DELETE"} or action == "list":
            codes["400"] = "Invalid input, or a change the current state does not allow."
        if self.method in {"POST", "PUT", "PATCH"}:
            codes["415"] = "The body is not JSON."
        if action in getattr(self.view, "if_match_actions", ()):
            codes["412"] = "If-Match is stale: the object changed since it was read."
        if getattr(self.view, "permission_classes", None) == [AllowAny]:
            codes.pop("401")
            codes.pop("404")
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        action = getattr(self.view, "action", None)
        if action in getattr(self.view, "etag_actions", ()):
            for code in ("200", "201"):
                if code in responses:
                    responses[code]["headers"] = dict(ETAG_HEADER)
        if self.method in {"POST", "PUT", "PATCH", "DELETE"}:
            for code in [c for c in responses if c.startswith("2")]:
                responses[code].setdefault("headers", {}).update(DELAYED_WORK_HEADER)
        for code, response in responses.items():
            # An error documented by its description only: its body is still an Error.
            if code.startswith(("4", "5")) and "content" not in response:
                error = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                response["content"] = error["content"]
        for code, description in self._error_codes().items():
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                response["description"] = description
                responses[code] = response
        # Answered by the HTTP server (gunicorn) before the app, in its own format.
        responses.setdefault(
            "414", {"description": "The request line (path and query string) is too long."}
        )
        return responses

    def _get_parameters(self):
        parameters = super()._get_parameters()
        if getattr(self.view, "action", None) in getattr(self.view, "if_match_actions", ()):
            parameters.append(dict(IF_MATCH_HEADER))
        return parameters


class ApiViewMixin(ConditionalMixin):
    """What every API viewset shares: filters, ordering allowlist, cursor pages, ETags."""

    filter_backends = [ApiFilterBackend, ApiOrderingFilter]
    pagination_class = ApiPagination
    schema = ApiSchema()
    # ASCII digits only: Python's int() also reads other scripts' digits ("߁" is 1).
    lookup_value_regex = "[0-9]+"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method not in SAFE_METHODS:
            # HistoryActorMiddleware ran before DRF read the token: name the writer now
            # (the middleware clears it when the request ends).
            set_db_actor(
                user=request.user,
                ip=client_ip(request._request),
                context=f"{request.method} {request.path}"[:200],
            )


# --- tokens for scripts ---------------------------------------------------------------


class TokenRequestSerializer(serializers.Serializer):
    username = TextField(max_length=150)
    password = TextField(max_length=4096, style={"input_type": "password"})
    otp = TextField(
        max_length=16,
        required=False,
        allow_blank=True,
        help_text="The six-digit code of your authenticator, if your account uses one.",
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send it as `Authorization: Token <token>`.")


class TokenCreateView(APIView):
    """Exchange a username and password (and TOTP code if required) for an API token.

    Goes through Django's authentication backends, so failed attempts count towards
    the login lockout (django-axes) like those of the login page.
    """

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"
    schema = ApiSchema()

    @extend_schema(
        operation_id="auth_token_create",
        request=TokenRequestSerializer,
        responses={200: TokenSerializer},
        tags=["auth"],
    )
    def post(self, request):
        from peacekeeping.accounts.policy import second_factor_needed
        from peacekeeping.accounts.services import two_factor_verify

        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(
            request._request,
            username=data.validated_data["username"],
            password=data.validated_data["password"],
        )
        if getattr(request._request, "axes_locked_out", False):
            # django-axes would swap any answer for its HTML lockout page: a script gets
            # the API's own 429 instead (the failure is already counted and audited).
            request._request.axes_locked_out = False
            raise exceptions.Throttled(
                wait=settings.AXES_COOLOFF_TIME.total_seconds(),
                detail=str(_("Too many failed attempts for this account or address; try later.")),
            )
        if user is None or not user.is_active:
            raise DomainError(
                "These credentials are not valid (or the account is locked for a while).",
                code="invalid_credentials",
            )
        if second_factor_needed(user):
            otp = data.validated_data.get("otp") or ""
            if not otp:
                raise DomainError(
                    "This account needs the code of its authenticator: send it as otp.",
                    code="otp_required",
                    field="otp",
                )
            if two_factor_verify(user=user, token=otp) is None:
                raise DomainError("This code is not valid.", code="otp_invalid", field="otp")
        token, _created = api_token_for(user=user, actor=user)
        return Response({"token": token.key})


def api_token_for(*, user, actor, reset: bool = False) -> tuple[Token, bool]:
    """The user's API token (created, or replaced when `reset`), recorded in the audit trail."""
    if reset:
        Token.objects.filter(user=user).delete()
    token, created = Token.objects.get_or_create(user=user)
    if created:
        audit_record(
            actor=actor, action="api_token.create", obj=user, changes={"reset": [None, reset]}
        )
    return token, created
