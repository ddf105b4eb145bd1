"""Incident, casualty and armed-group endpoints. Thin: scope, validate, call a service.

Every queryset starts from `visible_to(request.user)`, so an object outside the user's
scope is a 404. Writes are for mission staff of the incident's mission (and
administrators): others who can read it get a 403.
"""

from django.db import transaction
from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from incidents import services
from incidents.api.serializers import (
    ArmedGroupSerializer,
    CasualtyInputSerializer,
    CasualtySerializer,
    IncidentCreateSerializer,
    IncidentDetailSerializer,
    IncidentListRepresentation,
    IncidentSerializer,
    IncidentUpdateSerializer,
)
from incidents.choices import DatePrecision, LocationPrecision
from incidents.filtersets import ArmedGroupFilterSet, CasualtyFilterSet, IncidentFilterSet
from incidents.models import ArmedGroup, ArmedGroupAlias, Casualty, Incident
from missions.models import Country
from missions.scope import can_record_incident, recordable_mission_ids
from peacekeeping.api import ApiViewMixin, refuse

IDEMPOTENCY_KEY_PARAMETER = OpenApiParameter(
    name="Idempotency-Key",
    location=OpenApiParameter.HEADER,
    required=False,
    type=OpenApiTypes.UUID,
    description="A new random UUID per submission; a retry with the same key records nothing.",
)

# What PUT sets a field to when the client leaves it out (PATCH leaves it unchanged).
_PUT_DEFAULTS = {
    "date_precision": DatePrecision.DAY,
    "place": "",
    "admin_area": "",
    "country": None,
    "latitude": None,
    "longitude": None,
    "location_precision": LocationPrecision.NEAR,
    "attack_type": "",
    "perpetrators": [],
    "narrative": "",
    "sources": "",
}


def _brief_country():
    return Country.objects.only("id", "iso3", "name_en", "name_fr")


def _casualty_rows(casualties):
    # Incident (for the names rule), nationality and peacekeeper joined: no query per row.
    return casualties.select_related("incident", "nationality", "personnel").only(
        "id",
        "category",
        "outcome",
        "date_of_death",
        "un_casualty_id",
        "un_personnel_type",
        "notes",
        "created_at",
        "incident__id",
        "incident__reference",
        "incident__mission_id",
        "incident__country_id",
        "nationality__id",
        "nationality__iso3",
        "nationality__name_en",
        "nationality__name_fr",
        "personnel__id",
        "personnel__service_number",
        "personnel__given_name",
        "personnel__family_name",
    )


@extend_schema_view(
    list=extend_schema(summary="Incidents in your scope"),
    retrieve=extend_schema(summary="One incident with its casualties"),
)
class IncidentViewSet(
    ApiViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Incidents in your scope, with workflow steps: submit, verify, add a casualty."""

    lookup_field = "reference"
    lookup_value_regex = "[^/]+"
    filterset_class = IncidentFilterSet
    ordering_fields = ["occurred_at", "reference", "created_at", "updated_at", "id"]
    ordering = ["-occurred_at"]
    etag_actions = frozenset({"retrieve", "create", "update", "partial_update", "submit", "verify"})
    if_match_actions = frozenset({"update", "partial_update", "submit", "verify", "casualties"})

    def get_serializer_class(self):
        return IncidentSerializer if self.action == "list" else IncidentDetailSerializer

    def list(self, request, *args, **kwargs):
        """A page of incidents as IncidentSerializer gives them, built from plain values
        (IncidentListRepresentation): the scope and the filters as for every action,
        the page's rows in one query, their perpetrators named by one more."""
        queryset = self.filter_queryset(Incident.objects.visible_to(request.user))
        page = self.paginate_queryset(queryset.list_values())
        return self.get_paginated_response(IncidentListRepresentation(request=request).rows(page))

    def get_queryset(self):
        queryset = (
            Incident.objects.visible_to(self.request.user)
            # Mission, country and case reference joined (one-to-one and foreign keys).
            .select_related("mission", "country", "case_link__case")
            # Perpetrators: one prefetch query for the page.
            .prefetch_related(
                Prefetch("perpetrators", queryset=ArmedGroup.objects.only("id", "name"))
            )
            # Counts of killed and injured: a correlated subquery each, so a page costs
            # its own rows (see IncidentQuerySet.with_casualty_counts).
            .with_casualty_counts()
        )
        if self.action != "list":
            # The casualties of one incident: one more query.
            queryset = queryset.prefetch_related(
                Prefetch("casualties", queryset=_casualty_rows(Casualty.objects.all()))
            )
        return queryset

    # --- writes ----------------------------------------------------------------------

    def _writable(self, incident: Incident) -> Incident:
        if not can_record_incident(self.request.user, incident.mission):
            refuse()
        return incident

    def _reload(self, incident: Incident) -> Incident:
        return self.get_queryset().get(pk=incident.pk)

    @extend_schema(
        summary="Record an incident (as a draft)",
        description=(
            "Send an `Idempotency-Key` header (a new random UUID per submission) to make "
            "retries safe: the same user sending the same key again gets the incident "
            "recorded the first time (201, header `Idempotent-Replayed: true`), never a "
            "second one."
        ),
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        request=IncidentCreateSerializer,
        responses={201: IncidentDetailSerializer},
    )
    def create(self, request):
        if recordable_mission_ids(request.user) == frozenset():
            refuse("Only mission staff record incidents.")
        key = services.parse_idempotency_key(request.headers.get(services.IDEMPOTENCY_HEADER))
        replayed = services.incident_by_idempotency_key(actor=request.user, key=key)
        if replayed is None:
            data = IncidentCreateSerializer(
                data=request.data, context=self.get_serializer_context()
            )
            data.is_valid(raise_exception=True)
            incident, created = services.incident_record_once(
                actor=request.user, idempotency_key=key, **data.validated_data
            )
        else:  # a replay: the first answer, without validating the body again
            if not self.get_queryset().filter(pk=replayed.pk).exists():
                refuse()  # recorded by this user, now outside their scope
            incident, created = replayed, False
        response = self.respond(self._reload(incident), status_code=status.HTTP_201_CREATED)
        if not created:
            response["Idempotent-Replayed"] = "true"
        return response

    def _update(self, request, *, partial: bool):
        incident = self._writable(self.get_object())
        data = IncidentUpdateSerializer(
            data=request.data,
            partial=partial,
            # A time without an offset is read in the incident's mission's zone.
            context={**self.get_serializer_context(), "incident": incident},
        )
        data.is_valid(raise_exception=True)
        expected = self.expected_version(incident)
        fields = dict(data.validated_data) if partial else {**_PUT_DEFAULTS, **data.validated_data}
        services.incident_update(
            actor=request.user, incident=incident, expected_version=expected, **fields
        )
        return self.respond(self._reload(incident))

    @extend_schema(
        summary="Replace an incident's facts (not once verified)",
        request=IncidentUpdateSerializer,
        responses={200: IncidentDetailSerializer},
    )
    def update(self, request, reference=None):
        return self._update(request, partial=False)

    @extend_schema(
        summary="Change some of an incident's facts (not once verified)",
        request=IncidentUpdateSerializer,
        responses={200: IncidentDetailSerializer},
    )
    def partial_update(self, request, reference=None):
        return self._update(request, partial=True)

    def _transition(self, service):
        incident = self._writable(self.get_object())
        with transaction.atomic():
            service(actor=self.request.user, incident=self.locked(incident))
        return self.respond(self._reload(incident))

    @extend_schema(
        summary="Submit a draft (draft → submitted)",
        request=None,
        responses={200: IncidentDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, reference=None):
        return self._transition(services.incident_submit)

    @extend_schema(
        summary="Verify a submitted incident (submitted → verified)",
        request=None,
        responses={200: IncidentDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def verify(self, request, reference=None):
        return self._transition(services.incident_verify)

    @extend_schema(
        summary="Add a casualty to an incident",
        request=CasualtyInputSerializer,
        responses={201: CasualtySerializer},
    )
    @action(detail=True, methods=["post"])
    def casualties(self, request, reference=None):
        incident = self._writable(self.get_object())
        data = CasualtyInputSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        with transaction.atomic():
            casualty = services.casualty_add(
                actor=request.user, incident=self.locked(incident), **data.validated_data
            )
        casualty = _casualty_rows(Casualty.objects.all()).get(pk=casualty.pk)
        return self.respond(
            casualty, serializer_class=CasualtySerializer, status_code=status.HTTP_201_CREATED
        )


class CasualtyViewSet(
    ApiViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """People harmed, of the incidents in your scope; names masked unless you may see them."""

    serializer_class = CasualtySerializer
    filterset_class = CasualtyFilterSet
    ordering_fields = ["id", "created_at"]
    ordering = ["-id"]
    etag_actions = frozenset({"retrieve"})

    def get_queryset(self):
        return _casualty_rows(Casualty.objects.visible_to(self.request.user))

    @extend_schema(summary="Remove a casualty recorded by mistake (not once verified)")
    def destroy(self, request, *args, **kwargs):
        casualty = self.get_object()
        if not can_record_incident(request.user, casualty.incident.mission):
            refuse()
        services.casualty_remove(actor=request.user, casualty=casualty)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ArmedGroupViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """The register of armed groups (perpetrators), with their aliases."""

    serializer_class = ArmedGroupSerializer
    filterset_class = ArmedGroupFilterSet
    ordering_fields = ["name", "id"]
    ordering = ["name"]
    etag_actions = frozenset({"retrieve"})

    def get_queryset(self):
        # Aliases and countries: one prefetch query each for the page.
        return ArmedGroup.objects.visible_to(self.request.user).prefetch_related(
            Prefetch(
                "aliases", queryset=ArmedGroupAlias.objects.only("id", "alias", "armed_group_id")
            ),
            Prefetch("countries", queryset=_brief_country()),
        )
