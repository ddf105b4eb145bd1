"""API of follow-up reports: list and read the reports in scope, request one, watch its
progress, download its files.

`register(router)` adds the viewset to the project's router (peacekeeping.api lists the
modules it calls): /api/v1/followup-reports/, /api/v1/followup-reports/<id>/ and
/api/v1/followup-reports/<id>/download/<pdf|xlsx|html>/.
"""

import django_filters
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from accountability.reports.downloads import report_file_response
from accountability.reports.models import REPORT_FORMATS, FollowUpReport
from accountability.reports.requests import resolve_report_request
from accountability.reports.services import followup_report_request
from missions.scope import can_download_followup_report
from peacekeeping.api import ApiFilterBackend, ApiOrderingFilter, ApiPagination, ApiSchema


def _absolute(request, name: str, **kwargs) -> str | None:
    """An absolute URL of this viewset, under whatever namespace the router is put."""
    if request is None:
        return None
    match = request.resolver_match
    namespace = f"{match.namespace}:" if match and match.namespace else ""
    return request.build_absolute_uri(reverse(f"{namespace}{name}", kwargs=kwargs))


class FollowUpReportSerializer(serializers.ModelSerializer):
    host_state = serializers.CharField(
        source="host_state.iso3",
        read_only=True,
        allow_null=True,
        help_text="ISO3 of the host State; null: the mission's cases whose State is undetermined.",
    )
    mission = serializers.CharField(
        source="mission.acronym",
        read_only=True,
        allow_null=True,
        help_text="For a list of cases whose host State is to be determined: the mission.",
    )
    requested_by = serializers.CharField(
        source="requested_by.username", read_only=True, default=None
    )
    files = serializers.SerializerMethodField()

    class Meta:
        model = FollowUpReport
        fields = [
            "id",
            "host_state",
            "mission",
            "period_kind",
            "period_label",
            "period_start",
            "period_end",
            "version",
            "language",
            "status",
            "progress",
            "progress_message",
            "attempts",
            "error",
            "requested_by",
            "requested_at",
            "started_at",
            "finished_at",
            "as_of",
            "content_sha256",
            "files",
        ]
        read_only_fields = fields

    def get_files(self, report) -> dict:
        """Each file's SHA-256 and download link, once the report is done."""
        if report.status != FollowUpReport.Status.DONE:
            return {}
        request = self.context.get("request")
        return {
            fmt: {
                "sha256": report.sha256_for(fmt),
                "url": _absolute(request, "followup-report-download", pk=report.pk, fmt=fmt),
            }
            for fmt in REPORT_FORMATS
        }


class FollowUpReportRequestSerializer(serializers.Serializer):
    """Validated by `resolve_report_request`, as the management command is."""

    host_state = serializers.CharField(
        max_length=3, required=False, allow_blank=True, help_text="ISO 3166 alpha-3, e.g. CAF"
    )
    mission = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        help_text="Without host_state: the mission whose cases await a host State",
    )
    period = serializers.CharField(
        max_length=7,
        required=False,
        allow_blank=True,
        help_text="YYYY-MM or YYYY-Qn; default: the last complete period",
    )

    def validate(self, attrs):
        # A DomainError: the project's exception handler answers 400 with its field.
        attrs["target"] = resolve_report_request(
            host_state=attrs.get("host_state"),
            mission=attrs.get("mission"),
            period=attrs.get("period"),
        )
        return attrs


class FollowUpReportFilterSet(django_filters.FilterSet):
    host_state = django_filters.CharFilter(field_name="host_state__iso3", lookup_expr="iexact")
    host_state_id = django_filters.NumberFilter(field_name="host_state_id")

    class Meta:
        model = FollowUpReport
        fields = ["host_state", "host_state_id", "status", "period_kind", "period_label"]


class FollowUpReportViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Follow-up reports of the host States in the user's legal-officer or analyst scope.

    POST asks for a new report (legal officers of the State, administrators); it is built
    in the background: poll the report until `status` is `done`, then download its files.
    """

    serializer_class = FollowUpReportSerializer
    # ApiFilterBackend: an empty or malformed filter value is a 400, as everywhere else.
    filter_backends = [ApiFilterBackend, ApiOrderingFilter]
    filterset_class = FollowUpReportFilterSet
    pagination_class = ApiPagination
    schema = ApiSchema()
    ordering_fields = ["id", "requested_at", "period_start", "version"]
    ordering = ["-id"]

    def get_queryset(self):
        # select_related: every row shows its State's code and its requester's name.
        return FollowUpReport.objects.visible_to(self.request.user).select_related(
            "host_state", "mission", "requested_by"
        )

    @extend_schema(
        request=FollowUpReportRequestSerializer,
        responses={
            201: FollowUpReportSerializer,
            200: OpenApiResponse(
                response=FollowUpReportSerializer,
                description="Unchanged content: the existing version (or the one being built)",
            ),
            400: OpenApiResponse(
                description="Unknown State, a State hosting no mission, bad or future period"
            ),
            404: OpenApiResponse(description="Not a legal officer for this State"),
        },
    )
    def create(self, request, *args, **kwargs):
        given = FollowUpReportRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        target = given.validated_data["target"]
        # The project's exception handler answers a DomainError with 400 and OutOfScope
        # (not a legal officer for this State) with 404.
        report = followup_report_request(
            actor=request.user,
            host_state=target.host_state,
            mission=target.mission,
            period_label=target.period.label,
        )
        created = getattr(report, "created", True)
        report = get_object_or_404(self.get_queryset(), pk=report.pk)
        # 200 with the existing version when the content would be the same.
        return Response(
            self.get_serializer(report).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
            headers={"Location": _absolute(request, "followup-report-detail", pk=report.pk)},
        )

    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiResponse(description="The file"),
            403: OpenApiResponse(description="May see the report but not its files"),
            404: OpenApiResponse(description="No such report in your scope"),
            409: OpenApiResponse(description="The report is not built yet"),
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"download/(?P<fmt>pdf|xlsx|html)",
        url_name="download",
    )
    def download(self, request, pk=None, fmt=None):
        """The report's PDF, XLSX or HTML file, as an attachment, with its SHA-256."""
        report = self.get_object()  # 404 outside the user's scope
        if not can_download_followup_report(request.user, report):
            raise PermissionDenied("The report's files name suspects: you may not download them.")
        if report.status != FollowUpReport.Status.DONE or not report.file_for(fmt):
            return Response(
                {
                    "code": "not_ready",
                    "detail": f"The report is {report.status}, not done.",
                    "field": None,
                },
                status=status.HTTP_409_CONFLICT,
            )
        return report_file_response(report, fmt)


def register(router, prefix: str = "followup-reports") -> None:
    """Add the follow-up reports endpoints to the project's DRF router."""
    router.register(prefix, FollowUpReportViewSet, basename="followup-report")
