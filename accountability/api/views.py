"""Case, investigation, suspect, follow-up and capacity-support endpoints.

Thin: every queryset starts from `visible_to(request.user)` (an object outside the scope
is a 404), workflow steps are POST actions that validate a small input serializer and
call the same service as the pages. Only legal officers of the case's mission or host
State (and administrators) change a case; others who can read it get a 403.
"""

from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action

from accountability import services
from accountability.api.serializers import (
    CapacitySupportRecordSerializer,
    CapacitySupportSerializer,
    CaseDetailSerializer,
    CaseSerializer,
    CaseUpdateSerializer,
    FollowUpRecordSerializer,
    FollowUpResponseSerializer,
    FollowUpSerializer,
    InvestigationOpenSerializer,
    InvestigationSerializer,
    InvestigationStatusSerializer,
    ProcedureStepInputSerializer,
    ProcedureStepSerializer,
    SuspectDetailSerializer,
    SuspectIdentifySerializer,
    SuspectSerializer,
)
from accountability.filtersets import (
    CapacitySupportFilterSet,
    CaseFilterSet,
    FollowUpFilterSet,
    InvestigationFilterSet,
    SuspectFilterSet,
)
from accountability.impunity import impunity_exists
from accountability.models import (
    CapacitySupport,
    Case,
    FollowUp,
    Investigation,
    ProcedureStep,
    Suspect,
)
from accountability.selectors import case_changes_since
from incidents.models import Incident
from missions.scope import can_manage_case, can_record_capacity_support, may_support
from peacekeeping.api import ApiViewMixin, refuse
from peacekeeping.errors import DomainError


class ReadViewSet(
    ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """List and detail (with ETag); writes are the actions of each subclass."""


def _manage(user, case: Case) -> Case:
    if not can_manage_case(user, case):
        refuse("Only legal officers of this case's mission or host State change it.")
    return case


def suspect_rows(user):
    """Suspects the user may see; case (names rule, reference), armed group and
    nationality joined."""
    return Suspect.objects.visible_to(user).select_related("case", "armed_group", "nationality")


def _steps() -> Prefetch:
    # A suspect's procedure, oldest step first: one query.
    return Prefetch("steps", queryset=ProcedureStep.objects.order_by("occurred_on", "id"))


# --- cases ----------------------------------------------------------------------------


class CaseViewSet(ReadViewSet):
    """Justice cases in your scope, with workflow steps: investigations, suspects, follow-ups."""

    lookup_field = "reference"
    lookup_value_regex = "[^/]+"
    filterset_class = CaseFilterSet
    ordering_fields = ["attack_date", "opened_on", "reference", "updated_at", "id"]
    ordering = ["-attack_date"]
    etag_actions = frozenset({"retrieve", "update", "partial_update"})
    if_match_actions = frozenset(
        {"update", "partial_update", "investigations", "suspects", "follow_ups"}
    )
    # A stale If-Match answers 412 with what changed since (peacekeeping/conflicts.py).
    changes_since = staticmethod(case_changes_since)

    def get_serializer_class(self):
        return CaseSerializer if self.action == "list" else CaseDetailSerializer

    def get_queryset(self):
        user = self.request.user
        queryset = (
            Case.objects.visible_to(user)
            # Mission and host State joined.
            .select_related("mission", "host_state")
            # Incident references: one prefetch query for the page.
            .prefetch_related(
                Prefetch("incidents", queryset=Incident.objects.only("id", "reference"))
            )
            # The impunity rule, as an EXISTS in the same query.
            .annotate(impunity=impunity_exists())
        )
        if self.action != "list":
            # Mission staff see the case but not whether it has suspects (null, not []):
            # an EXISTS in the same query. Investigations and suspects: one query each.
            queryset = queryset.annotate(
                suspects_visible=Exists(
                    Case.objects.with_visible_suspects(user).filter(pk=OuterRef("pk"))
                )
            ).prefetch_related(
                "investigations",
                Prefetch("suspects", queryset=suspect_rows(user), to_attr="visible_suspects"),
            )
        return queryset

    def _update(self, request, *, partial: bool):
        case = _manage(request.user, self.get_object())
        data = CaseUpdateSerializer(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        if fields.get("focal_point") is not None:
            # Only members of the case's mission: any other id is simply not found.
            candidate = services.case_focal_point_candidates(case).filter(pk=fields["focal_point"])
            fields["focal_point"] = candidate.first()
            if fields["focal_point"] is None:
                raise DomainError(
                    "No active member of this case's mission has this id.",
                    code="out_of_scope",
                    field="focal_point",
                )
        services.case_update(
            actor=request.user, case=case, expected_version=self.expected_version(case), **fields
        )
        return self.respond(self.get_queryset().get(pk=case.pk))

    @extend_schema(
        summary="Replace a case's summary and mission focal point",
        request=CaseUpdateSerializer,
        responses={200: CaseDetailSerializer},
    )
    def update(self, request, reference=None):
        return self._update(request, partial=False)

    @extend_schema(
        summary="Change a case's summary or mission focal point",
        request=CaseUpdateSerializer,
        responses={200: CaseDetailSerializer},
    )
    def partial_update(self, request, reference=None):
        return self._update(request, partial=True)

    def _run(self, input_serializer, service):
        case = _manage(self.request.user, self.get_object())
        data = input_serializer(data=self.request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        with transaction.atomic():
            created = service(
                actor=self.request.user, case=self.locked(case), **data.validated_data
            )
        return created

    @extend_schema(
        summary="Record that an authority opened an investigation",
        request=InvestigationOpenSerializer,
        responses={201: InvestigationSerializer},
    )
    @action(detail=True, methods=["post"])
    def investigations(self, request, reference=None):
        investigation = self._run(InvestigationOpenSerializer, services.investigation_open)
        investigation = Investigation.objects.select_related("case").get(pk=investigation.pk)
        return self.respond(
            investigation,
            serializer_class=InvestigationSerializer,
            status_code=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Record a suspect (first step: identified)",
        request=SuspectIdentifySerializer,
        responses={201: SuspectDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def suspects(self, request, reference=None):
        suspect = self._run(SuspectIdentifySerializer, services.suspect_identify)
        suspect = suspect_rows(request.user).prefetch_related(_steps()).get(pk=suspect.pk)
        return self.respond(
            suspect, serializer_class=SuspectDetailSerializer, status_code=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="Record a communication with the host State",
        request=FollowUpRecordSerializer,
        responses={201: FollowUpSerializer},
    )
    @action(detail=True, methods=["post"], url_path="follow-ups")
    def follow_ups(self, request, reference=None):
        follow_up = self._run(FollowUpRecordSerializer, services.followup_record)
        follow_up = FollowUp.objects.select_related("case").get(pk=follow_up.pk)
        return self.respond(
            follow_up, serializer_class=FollowUpSerializer, status_code=status.HTTP_201_CREATED
        )


# --- investigations -------------------------------------------------------------------


class InvestigationViewSet(ReadViewSet):
    """Investigations of the cases in your scope; POST status moves one on."""

    serializer_class = InvestigationSerializer
    filterset_class = InvestigationFilterSet
    ordering_fields = ["created_at", "updated_at", "id"]
    ordering = ["-id"]
    etag_actions = frozenset({"retrieve", "change_status"})

    def get_queryset(self):
        # Investigations of visible cases; the case joined for its reference.
        return Investigation.objects.filter(
            case__in=Case.objects.visible_to(self.request.user).values("pk")
        ).select_related("case")

    @extend_schema(
        summary="Move an investigation on (opened → suspects identified → referred for trial)",
        request=InvestigationStatusSerializer,
        responses={200: InvestigationSerializer},
    )
    @action(detail=True, methods=["post"], url_path="status")
    def change_status(self, request, pk=None):
        investigation = self.get_object()
        _manage(request.user, investigation.case)
        data = InvestigationStatusSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.investigation_update_status(
            actor=request.user, investigation=investigation, **data.validated_data
        )
        return self.respond(self.get_queryset().get(pk=investigation.pk))


# --- suspects -------------------------------------------------------------------------


class SuspectViewSet(ReadViewSet):
    """Suspects of cases whose suspects the user may see: never mission staff (empty list)."""

    filterset_class = SuspectFilterSet
    ordering_fields = ["created_at", "id"]
    ordering = ["-id"]
    etag_actions = frozenset({"retrieve"})

    def get_serializer_class(self):
        return SuspectSerializer if self.action == "list" else SuspectDetailSerializer

    def get_queryset(self):
        queryset = suspect_rows(self.request.user)
        return queryset if self.action == "list" else queryset.prefetch_related(_steps())

    @extend_schema(
        summary="Append a procedure step (warrant, arrest, charge, trial, verdict...)",
        request=ProcedureStepInputSerializer,
        responses={201: ProcedureStepSerializer},
    )
    @action(detail=True, methods=["post"])
    def steps(self, request, pk=None):
        suspect = self.get_object()
        _manage(request.user, suspect.case)
        data = ProcedureStepInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        step = services.procedure_record_step(
            actor=request.user, suspect=suspect, **data.validated_data
        )
        return self.respond(
            step, serializer_class=ProcedureStepSerializer, status_code=status.HTTP_201_CREATED
        )


# --- follow-ups -----------------------------------------------------------------------


class FollowUpViewSet(ReadViewSet):
    """Communications with host States about cases (never shown to mission staff)."""

    serializer_class = FollowUpSerializer
    filterset_class = FollowUpFilterSet
    ordering_fields = ["sent_on", "created_at", "id"]
    ordering = ["-sent_on"]
    etag_actions = frozenset({"retrieve", "record_response"})

    def get_queryset(self):
        # The case joined for its reference.
        return FollowUp.objects.visible_to(self.request.user).select_related("case")

    @extend_schema(
        summary="Record the host State's response (once)",
        request=FollowUpResponseSerializer,
        responses={200: FollowUpSerializer},
    )
    @action(detail=True, methods=["post"], url_path="response")
    def record_response(self, request, pk=None):
        follow_up = self.get_object()
        _manage(request.user, follow_up.case)
        data = FollowUpResponseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.followup_record_response(
            actor=request.user, follow_up=follow_up, **data.validated_data
        )
        return self.respond(self.get_queryset().get(pk=follow_up.pk))


# --- capacity support -----------------------------------------------------------------


class CapacitySupportViewSet(ReadViewSet, mixins.CreateModelMixin):
    """Support to host States' police, courts and prisons, in your scope."""

    serializer_class = CapacitySupportSerializer
    filterset_class = CapacitySupportFilterSet
    ordering_fields = ["provided_on", "created_at", "id"]
    ordering = ["-provided_on"]
    etag_actions = frozenset({"retrieve", "create"})

    def get_queryset(self):
        # Host State and mission joined; case references: one prefetch query.
        return (
            CapacitySupport.objects.visible_to(self.request.user)
            .select_related("host_state", "mission")
            .prefetch_related(Prefetch("cases", queryset=Case.objects.only("id", "reference")))
        )

    @extend_schema(
        summary="Record support to the host State's police, courts or prisons",
        request=CapacitySupportRecordSerializer,
        responses={201: CapacitySupportSerializer},
    )
    def create(self, request):
        if not can_record_capacity_support(request.user):
            refuse("Only legal officers record capacity support.")
        data = CapacitySupportRecordSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        data.is_valid(raise_exception=True)
        values = data.validated_data
        mission = values.get("mission")
        if not may_support(
            request.user,
            host_state_id=values["host_state"].pk,
            mission_id=mission.pk if mission else None,
        ):
            raise DomainError(
                "This host State is outside the missions and States you work for.",
                code="out_of_scope",
                field="host_state",
            )
        support = services.capacity_support_record(actor=request.user, **values)
        return self.respond(
            self.get_queryset().get(pk=support.pk), status_code=status.HTTP_201_CREATED
        )
