"""API of exports: ask for one, follow it, download its file and manifest; read the
resolution 2589 indicators.

`register(router)` adds the viewset to the project's router (peacekeeping.api lists the
modules it calls):

- GET  /api/v1/exports/                 your exports (administrators: everyone's)
- POST /api/v1/exports/                 {"kind", "format", "filters"}: 201 with the job
  done when it has at most EXPORT_ASYNC_THRESHOLD rows, else 202 with the job queued
- GET  /api/v1/exports/<id>/            progress, row count, SHA-256, manifest
- GET  /api/v1/exports/<id>/download/   the file (attachment, manifest in the headers)
- GET  /api/v1/exports/<id>/manifest/   the sidecar manifest
- GET  /api/v1/exports/indicators/?as_of=YYYY-MM-DD   the table, as JSON

Only analysts, legal officers and administrators (`can_export`): everyone else 403.
"""

from types import SimpleNamespace

from django.http import QueryDict
from django.urls import reverse
from django_filters import filters as django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from accountability.exports.datasets import known_filters
from accountability.exports.downloads import export_file_response, manifest_response
from accountability.exports.indicators import INDICATORS, indicator_table
from accountability.exports.models import ExportJob
from accountability.exports.services import TABLE_FORMATS, export_request, parse_as_of
from accountability.exports.writers import CONTENT_TYPES
from missions.scope import can_export
from peacekeeping.api import API_CONTROLS, ApiViewMixin, NotUnderstood
from peacekeeping.querystring import read_query
from peacekeeping.storage import open_stored

EXPORTABLE_KINDS = ("incidents", "casualties", "cases", "procedures", "indicators")


class CanExport(BasePermission):
    message = "Only analysts, legal officers and administrators may export."

    def has_permission(self, request, view) -> bool:
        return can_export(request.user)


def _absolute(request, name: str, **kwargs) -> str | None:
    """An absolute URL of this viewset, under whatever namespace the router is put."""
    if request is None:
        return None
    match = request.resolver_match
    namespace = f"{match.namespace}:" if match and match.namespace else ""
    return request.build_absolute_uri(reverse(f"{namespace}{name}", kwargs=kwargs))


class ExportJobSerializer(serializers.ModelSerializer):
    requested_by = serializers.CharField(source="user.username", read_only=True, default=None)
    download_url = serializers.SerializerMethodField()
    manifest_url = serializers.SerializerMethodField()

    class Meta:
        model = ExportJob
        fields = [
            "id",
            "kind",
            "format",
            "filters",
            "delivery",
            "status",
            "progress",
            "progress_message",
            "expected_rows",
            "row_count",
            "size",
            "sha256",
            "as_of",
            "created_at",
            "started_at",
            "finished_at",
            "expires_at",
            "error",
            "requested_by",
            "manifest",
            "download_url",
            "manifest_url",
        ]
        read_only_fields = fields

    def get_download_url(self, job) -> str | None:
        if not job.downloadable:
            return None
        return _absolute(self.context.get("request"), "export-download", pk=job.pk)

    def get_manifest_url(self, job) -> str | None:
        if not job.manifest:
            return None
        return _absolute(self.context.get("request"), "export-manifest", pk=job.pk)


# --- the filters of an export request ---------------------------------------------------


def _textual(filter_) -> bool:
    """A filter that may be given empty (as peacekeeping.api.ApiFilterBackend has it)."""
    return isinstance(filter_, django_filters.CharFilter | django_filters.BaseCSVFilter)


def kind_filters(kind: str) -> dict[str, bool]:
    """The filters an export of `kind` knows, each with whether it may be empty."""
    if kind == "indicators":
        return {"as_of": False}
    return {name: _textual(f) for name, f in known_filters(kind).items()}


def _filters_schema() -> dict:
    """Every filter of every kind (which ones a kind knows is checked on request)."""
    textual: dict[str, bool] = {}
    for kind in EXPORTABLE_KINDS:
        for name, may_be_empty in kind_filters(kind).items():
            textual[name] = textual.get(name, True) and may_be_empty
    properties = {}
    for name, may_be_empty in sorted(textual.items()):
        if name == "as_of":
            properties[name] = {
                "type": "string",
                "format": "date",
                "description": "indicators only: YYYY-MM-DD, not in the future.",
            }
            continue
        value = {"type": "string"} if may_be_empty else {"type": "string", "minLength": 1}
        properties[name] = {"oneOf": [value, {"type": "array", "items": value}]}
    return {
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
        "description": (
            "The list's filters, as in its query string: a string or a list of strings per "
            'name, e.g. {"mission": "MINUSCA", "outcome": ["killed", "injured"]}. Only the '
            "filters of the kind's list (its API endpoint's query parameters); indicators: "
            "as_of only."
        ),
    }


@extend_schema_field(_filters_schema())
class ExportFiltersField(serializers.DictField):
    """An object of filters: each value a string or a list of strings."""

    def __init__(self, **kwargs):
        super().__init__(child=serializers.JSONField(), **kwargs)


def _check_filter_value(name: str, given, *, may_be_empty: bool) -> list[str]:
    """The filter's values as strings; ValidationError for anything else."""
    many = isinstance(given, list)
    values = given if many else [given]
    if name == "as_of" and many:
        raise serializers.ValidationError("Give one date as YYYY-MM-DD.")
    if not all(isinstance(v, str) for v in values):
        raise serializers.ValidationError("Give a string or a list of strings.")
    for value in values:
        if value == "" and not may_be_empty:
            raise serializers.ValidationError("Give a value, or leave the filter out.")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise serializers.ValidationError("Give valid Unicode text.") from None
    return values


class ExportRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=EXPORTABLE_KINDS)
    format = serializers.ChoiceField(choices=TABLE_FORMATS, default="csv")
    filters = ExportFiltersField(required=False, default=dict)

    def validate(self, attrs: dict) -> dict:
        """The filters, checked against the kind's, as a QueryDict for the service."""
        known = kind_filters(attrs["kind"])
        errors: dict[str, list[str]] = {}
        query = QueryDict(mutable=True)
        for name, given in attrs.get("filters", {}).items():
            if name not in known:
                errors[name] = [
                    f"Not a filter of {attrs['kind']}: give one of {', '.join(sorted(known))}."
                ]
                continue
            try:
                query.setlist(name, _check_filter_value(name, given, may_be_empty=known[name]))
            except serializers.ValidationError as exc:
                errors[name] = exc.detail
        if errors:
            raise serializers.ValidationError({"filters": errors})
        return {**attrs, "filters": query}


class IndicatorRowSerializer(serializers.Serializer):
    grouping = serializers.ChoiceField(choices=["mission", "host_state", "total"])
    code = serializers.CharField()
    name = serializers.CharField()
    values = serializers.DictField(child=serializers.IntegerField())


class IndicatorTableSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    indicators = serializers.ListField(child=serializers.CharField())
    rows = IndicatorRowSerializer(many=True)


class ExportManifestSerializer(serializers.Serializer):
    """The sidecar manifest (documentation only: the answer is the stored JSON)."""

    schema = serializers.IntegerField(required=False, help_text="Version of this layout.")
    export_id = serializers.IntegerField(required=False)
    kind = serializers.CharField(required=False)
    format = serializers.CharField(required=False)
    file = serializers.CharField(required=False, help_text="The file's name.")
    content_type = serializers.CharField(required=False)
    filters = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False
    )
    as_of = serializers.CharField(required=False, help_text="UTC, as YYYY-MM-DDTHH:MM:SSZ.")
    row_count = serializers.IntegerField(required=False, allow_null=True)
    bytes = serializers.IntegerField(required=False, allow_null=True)
    sha256 = serializers.CharField(required=False, help_text="SHA-256 of the file, in hex.")
    columns = serializers.ListField(child=serializers.CharField(), required=False)
    requested_by = serializers.CharField(required=False, allow_null=True)
    delivery = serializers.CharField(required=False)
    names = serializers.CharField(required=False)
    formula_neutralisation = serializers.CharField(required=False)


def _error(code: str, detail: str, http_status: int) -> Response:
    return Response({"code": code, "detail": detail, "field": None}, status=http_status)


_FILE = "The export's file, as an attachment; its media type follows the job's format."
# The JSON format: an array of objects, one per row, keyed by column name.
_JSON_ROWS = {
    "type": "array",
    "items": {"type": "object", "additionalProperties": True},
}


def _header(name: str, description: str, *, required: bool = False, codes=(200,)):
    return OpenApiParameter(
        name,
        OpenApiTypes.STR,
        location=OpenApiParameter.HEADER,
        description=description,
        required=required,
        response=list(codes),
    )


_DOWNLOAD_HEADERS = [
    _header("Content-Disposition", "attachment; filename=...", required=True),
    _header("X-Export-Id", "The export's id.", required=True),
    _header("X-Export-Kind", "What was exported."),
    _header("X-Export-Format", "csv, xlsx, json or pdf."),
    _header("X-Export-Filters", "The filters, as a query string."),
    _header("X-Export-As-Of", "When the rows were read (UTC)."),
    _header("X-Export-Row-Count", "How many rows the file holds."),
    _header("X-Export-SHA256", "SHA-256 of the file, in hex.", required=True),
    _header("X-Export-Manifest", "The URL of the sidecar manifest.", required=True),
    _header("Link", 'The manifest, as rel="describedby".'),
]


class FormatIsAFilter(DefaultContentNegotiation):
    """`?format=` filters the exports by their format here: it does not pick DRF's
    renderer (which would answer `?format=csv` with a 404)."""

    settings = SimpleNamespace(URL_FORMAT_OVERRIDE=None)


@extend_schema_view(
    list=extend_schema(summary="Your exports (administrators: everyone's)"),
    retrieve=extend_schema(summary="One export: progress, row count, SHA-256, manifest"),
)
class ExportJobViewSet(
    ApiViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Your exports. POST asks for one; a large one is built in the background: poll it
    until `status` is `done`, then download it (files expire after
    EXPORT_RETENTION_HOURS)."""

    serializer_class = ExportJobSerializer
    permission_classes = [IsAuthenticated, CanExport]
    filterset_fields = ["kind", "format", "status"]
    ordering_fields = ["id", "created_at"]
    ordering = ["-id"]
    etag_actions = frozenset({"retrieve"})
    content_negotiation_class = FormatIsAFilter

    def get_queryset(self):
        # select_related: every row names who asked for it.
        return ExportJob.objects.visible_to(self.request.user).select_related("user")

    def perform_content_negotiation(self, request, force=False):
        # The file and the manifest are not rendered by DRF: whatever the client accepts,
        # errors (JSON) are rendered by the first renderer rather than refused with 406.
        return super().perform_content_negotiation(
            request, force=force or self.action in {"download", "manifest"}
        )

    @extend_schema(
        summary="Ask for an export",
        request=ExportRequestSerializer,
        parameters=[
            _header("Location", "The job's URL: poll it.", required=True, codes=(201, 202))
        ],
        responses={
            201: OpenApiResponse(
                ExportJobSerializer, description="Done at once (a small export): download it."
            ),
            202: OpenApiResponse(
                ExportJobSerializer,
                description="Queued (more than EXPORT_ASYNC_THRESHOLD rows): poll the job.",
            ),
            400: OpenApiResponse(
                description="Unknown kind or format; a filter the kind's list does not know, "
                "or a value it refuses; an as-of date that is not YYYY-MM-DD or is in the "
                "future."
            ),
            403: OpenApiResponse(
                description="Only analysts, legal officers and administrators may export."
            ),
        },
    )
    def create(self, request, *args, **kwargs):
        given = ExportRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        # A DomainError (bad filters) is a 400 through the project's exception handler.
        outcome = export_request(
            user=request.user,
            kind=given.validated_data["kind"],
            fmt=given.validated_data["format"],
            params=given.validated_data["filters"],
            store=True,
        )
        job = self.get_queryset().get(pk=outcome.job.pk)
        return Response(
            self.get_serializer(job).data,
            status=status.HTTP_202_ACCEPTED if job.is_unfinished else status.HTTP_201_CREATED,
            headers={"Location": _absolute(request, "export-detail", pk=job.pk)},
        )

    @extend_schema(
        summary="Download an export's file",
        parameters=_DOWNLOAD_HEADERS,
        responses={
            (200, CONTENT_TYPES["csv"].split(";")[0]): OpenApiResponse(
                OpenApiTypes.BINARY, description=_FILE
            ),
            (200, CONTENT_TYPES["xlsx"]): OpenApiResponse(OpenApiTypes.BINARY),
            (200, CONTENT_TYPES["json"]): OpenApiResponse(_JSON_ROWS),
            (200, CONTENT_TYPES["pdf"]): OpenApiResponse(OpenApiTypes.BINARY),
            404: OpenApiResponse(description="No such export among yours."),
            409: OpenApiResponse(
                description="Not done yet, failed, or served at once and not kept."
            ),
            410: OpenApiResponse(description="The file expired and was deleted: export again."),
        },
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """The file, as an attachment, with its manifest in X-Export-* headers."""
        job = self.get_object()  # 404 outside the user's exports
        if job.status == ExportJob.Status.EXPIRED:
            return _error("expired", "The file expired and was deleted: export again.", 410)
        if not job.downloadable:
            detail = (
                "This export was served at once and not kept."
                if job.delivery == ExportJob.Delivery.DIRECT
                else f"The export is {job.status}, not done."
            )
            return _error("not_ready", detail, 409)
        manifest_url = _absolute(request, "export-manifest", pk=job.pk)
        return export_file_response(job, open_stored(job.file), manifest_url=manifest_url)

    @extend_schema(
        summary="Download an export's manifest",
        parameters=[_header("Content-Disposition", "attachment; filename=...", required=True)],
        responses={
            (200, "application/json"): OpenApiResponse(
                ExportManifestSerializer,
                description="The sidecar manifest, `<file>.manifest.json`, as an attachment.",
            ),
            404: OpenApiResponse(description="No such export among yours."),
            409: OpenApiResponse(description="The export is not done yet: no manifest."),
        },
    )
    @action(detail=True, methods=["get"])
    def manifest(self, request, pk=None):
        """The sidecar manifest: filters, as-of time, row count, SHA-256 of the file."""
        job = self.get_object()
        if not job.manifest:
            return _error("not_ready", f"The export is {job.status}, not done.", 409)
        return manifest_response(job)

    @extend_schema(
        summary="The resolution 2589 indicators, as of a date",
        parameters=[
            OpenApiParameter(
                "as_of",
                OpenApiTypes.DATE,
                description="YYYY-MM-DD, not in the future; default today (UTC).",
            )
        ],
        responses={
            200: IndicatorTableSerializer,
            400: OpenApiResponse(
                description="as_of is empty, not a YYYY-MM-DD date, or in the future."
            ),
        },
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def indicators(self, request):
        """The resolution 2589 indicators per mission and per host State, as of a date."""
        query = read_query(request.query_params, filters=("as_of",), controls=API_CONTROLS)
        if not query.understood:
            raise NotUnderstood(query)
        as_of = parse_as_of(request.query_params.get("as_of"), blank_is_today=False)
        table = indicator_table(request.user, as_of=as_of)
        return Response(
            {
                "as_of": as_of,
                "indicators": list(INDICATORS),
                "rows": [
                    {"grouping": r.grouping, "code": r.code, "name": r.name, "values": r.values}
                    for r in table.rows()
                ],
            }
        )


def register(router, prefix: str = "exports") -> None:
    """Add the exports endpoints to the project's DRF router."""
    router.register(prefix, ExportJobViewSet, basename="export")
