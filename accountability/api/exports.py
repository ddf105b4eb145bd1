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

from django.http import QueryDict
from django.urls import reverse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from accountability.exports.downloads import export_file_response, manifest_response
from accountability.exports.indicators import INDICATORS, indicator_table
from accountability.exports.models import ExportJob
from accountability.exports.services import TABLE_FORMATS, export_request, parse_as_of
from missions.scope import can_export
from peacekeeping.api import ApiOrderingFilter, ApiPagination, ApiSchema, ErrorSerializer
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


class ExportRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=EXPORTABLE_KINDS)
    format = serializers.ChoiceField(choices=TABLE_FORMATS, default="csv")
    filters = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        default=dict,
        help_text=(
            "The list's filters, as in its query string: a value or a list of values per "
            'name, e.g. {"mission": "MINUSCA", "outcome": "killed"}; indicators: as_of.'
        ),
    )

    def validate_filters(self, value: dict) -> QueryDict:
        query = QueryDict(mutable=True)
        for key, given in value.items():
            values = given if isinstance(given, list) else [given]
            if not all(isinstance(v, str | int | bool) for v in values):
                raise serializers.ValidationError(f"{key}: give a value or a list of values.")
            query.setlist(key, [str(v).lower() if isinstance(v, bool) else str(v) for v in values])
        return query


class IndicatorRowSerializer(serializers.Serializer):
    grouping = serializers.ChoiceField(choices=["mission", "host_state", "total"])
    code = serializers.CharField()
    name = serializers.CharField()
    values = serializers.DictField(child=serializers.IntegerField())


class IndicatorTableSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    indicators = serializers.ListField(child=serializers.CharField())
    rows = IndicatorRowSerializer(many=True)


def _error(code: str, detail: str, http_status: int) -> Response:
    return Response({"code": code, "detail": detail, "field": None}, status=http_status)


class ExportJobViewSet(
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
    filter_backends = [DjangoFilterBackend, ApiOrderingFilter]
    filterset_fields = ["kind", "format", "status"]
    pagination_class = ApiPagination
    schema = ApiSchema()
    ordering_fields = ["id", "created_at"]
    ordering = ["-id"]

    def get_queryset(self):
        # select_related: every row names who asked for it.
        return ExportJob.objects.visible_to(self.request.user).select_related("user")

    @extend_schema(
        request=ExportRequestSerializer,
        responses={201: ExportJobSerializer, 202: ExportJobSerializer},
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
        responses={
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
            409: ErrorSerializer,
            410: ErrorSerializer,
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

    @extend_schema(responses={(200, "application/json"): OpenApiTypes.OBJECT, 409: ErrorSerializer})
    @action(detail=True, methods=["get"])
    def manifest(self, request, pk=None):
        """The sidecar manifest: filters, as-of time, row count, SHA-256 of the file."""
        job = self.get_object()
        if not job.manifest:
            return _error("not_ready", f"The export is {job.status}, not done.", 409)
        return manifest_response(job)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "as_of", OpenApiTypes.DATE, description="YYYY-MM-DD; default today (UTC)"
            )
        ],
        responses={200: IndicatorTableSerializer},
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def indicators(self, request):
        """The resolution 2589 indicators per mission and per host State, as of a date."""
        as_of = parse_as_of(request.query_params.get("as_of"))
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
