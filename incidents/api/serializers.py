"""Serializers of incidents, casualties and armed groups.

Output serializers mask victims' names per `missions.scope.sees_names`; input serializers
name only the fields a client may set (never reference, mission on update, status,
version or audit fields) and look up every relation in the user's scope.
"""

from rest_framework import serializers

from incidents.choices import (
    AttackType,
    DatePrecision,
    IncidentType,
    LocationPrecision,
    Outcome,
)
from incidents.listing import path_maker, perpetrators_of
from incidents.models import (
    NOTES_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    ArmedGroup,
    Casualty,
    Incident,
)
from missions.api.serializers import NestedCountrySerializer, NestedMissionSerializer
from missions.choices import PersonnelCategory
from missions.masking import mask
from missions.models import Country, Mission, Personnel
from missions.scope import recordable_mission_ids, sees_names
from peacekeeping.api import CoordinateField, ScopedRelatedField, TextField


def _recordable_missions(user):
    ids = recordable_mission_ids(user)
    missions = Mission.objects.visible_to(user)
    return missions if ids is None else missions.filter(pk__in=ids)


# --- armed groups ---------------------------------------------------------------------


class NestedArmedGroupSerializer(serializers.ModelSerializer):
    class Meta:
        model = ArmedGroup
        fields = ["id", "name"]
        read_only_fields = fields


class ArmedGroupSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:armedgroup-detail")
    aliases = serializers.SlugRelatedField(many=True, read_only=True, slug_field="alias")
    countries = NestedCountrySerializer(many=True, read_only=True)

    class Meta:
        model = ArmedGroup
        fields = ["id", "url", "name", "description", "aliases", "countries"]
        read_only_fields = fields


# --- casualties -----------------------------------------------------------------------


class NestedIncidentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Incident
        fields = ["id", "reference"]
        read_only_fields = fields


class CasualtyPersonnelSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    service_number = serializers.CharField()
    given_name = serializers.CharField()
    family_name = serializers.CharField()


class CasualtySerializer(serializers.ModelSerializer):
    """A person harmed. The peacekeeper's names are masked unless the user may see them."""

    url = serializers.HyperlinkedIdentityField(view_name="api:casualty-detail")
    incident = NestedIncidentSerializer(read_only=True)
    personnel = serializers.SerializerMethodField()
    nationality = NestedCountrySerializer(read_only=True, allow_null=True)

    class Meta:
        model = Casualty
        fields = [
            "id",
            "url",
            "incident",
            "personnel",
            "category",
            "nationality",
            "outcome",
            "date_of_death",
            "un_casualty_id",
            "un_personnel_type",
            "notes",
            "created_at",
        ]
        read_only_fields = fields

    def get_personnel(self, obj) -> CasualtyPersonnelSerializer(allow_null=True):
        person = obj.personnel
        if person is None:
            return None
        incident = obj.incident
        visible = sees_names(
            self.context["request"].user,
            mission_id=incident.mission_id,
            country_id=incident.country_id,
        )
        return {
            "id": person.pk,
            "service_number": mask(person.service_number, visible),
            "given_name": mask(person.given_name, visible),
            "family_name": mask(person.family_name, visible),
        }


class CasualtyInputSerializer(serializers.Serializer):
    """A person harmed: a known peacekeeper, or a category and a nationality."""

    personnel = ScopedRelatedField(model=Personnel, required=False, allow_null=True)
    category = serializers.ChoiceField(
        choices=PersonnelCategory.choices,
        required=False,
        allow_blank=True,
        help_text="Required unless a known peacekeeper is named.",
    )
    nationality = ScopedRelatedField(model=Country, required=False, allow_null=True)
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    date_of_death = serializers.DateField(required=False, allow_null=True)
    notes = TextField(required=False, allow_blank=True, max_length=NOTES_MAX_LENGTH)
    un_casualty_id = TextField(required=False, allow_null=True, allow_blank=True, max_length=40)
    un_personnel_type = TextField(required=False, allow_blank=True, max_length=40)


# --- incidents ------------------------------------------------------------------------


class IncidentSerializer(serializers.ModelSerializer):
    """An incident as listed: counts of people harmed, no casualty rows."""

    url = serializers.HyperlinkedIdentityField(
        view_name="api:incident-detail", lookup_field="reference"
    )
    mission = NestedMissionSerializer(read_only=True)
    country = NestedCountrySerializer(read_only=True, allow_null=True)
    perpetrators = NestedArmedGroupSerializer(many=True, read_only=True)
    attack_type = serializers.ChoiceField(
        choices=AttackType.choices,
        allow_blank=True,
        read_only=True,
        help_text="Blank unless a malicious act.",
    )
    case = serializers.SerializerMethodField()
    killed = serializers.IntegerField(read_only=True)
    injured = serializers.IntegerField(read_only=True)

    class Meta:
        model = Incident
        fields = [
            "id",
            "url",
            "reference",
            "mission",
            "occurred_at",
            "date_precision",
            "country",
            "place",
            "admin_area",
            "latitude",
            "longitude",
            "location_precision",
            "incident_type",
            "attack_type",
            "perpetrators",
            "perpetrator_unknown",
            "status",
            "source",
            "case",
            "killed",
            "injured",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = fields

    def get_case(self, obj) -> str | None:
        """The reference of the incident's case, if it has one."""
        link = getattr(obj, "case_link", None)
        return link.case.reference if link is not None else None


class IncidentListRepresentation:
    """The list's JSON, field for field what `IncidentSerializer` gives, from the
    `list_values()` dicts of a page (incidents.listing): no model instance, no nested
    serializer, one `reverse()` a request instead of one a row. The scalar fields are
    formatted by IncidentSerializer's own fields (dates in the current time zone,
    coordinates as decimal strings), built once per process.

    IncidentSerializer stays the list's documented schema and the detail's base; the
    test `tests/incidents/test_listing.py` holds the two outputs equal.
    """

    _formatters: dict | None = None

    @classmethod
    def formatters(cls) -> dict:
        if cls._formatters is None:
            fields = IncidentSerializer().fields
            cls._formatters = {
                name: fields[name].to_representation
                for name in ("occurred_at", "latitude", "longitude", "created_at", "updated_at")
            }
        return cls._formatters

    def __init__(self, *, request) -> None:
        self.request = request
        self.path = path_maker("api:incident-detail", "reference")
        self.format = self.formatters()

    def rows(self, values) -> list[dict]:
        values = list(values)
        perpetrators = perpetrators_of(v["id"] for v in values)
        return [self.row(v, perpetrators.get(v["id"], [])) for v in values]

    def row(self, v: dict, perpetrators: list[dict]) -> dict:
        fmt = self.format
        country_id = v["country_id"]
        optional = _optional
        return {
            "id": v["id"],
            "url": self.request.build_absolute_uri(self.path(v["reference"])),
            "reference": v["reference"],
            "mission": {
                "id": v["mission_id"],
                "acronym": v["mission__acronym"],
                "name_en": v["mission__name_en"],
            },
            "occurred_at": fmt["occurred_at"](v["occurred_at"]),
            "date_precision": v["date_precision"],
            "country": None
            if country_id is None
            else {
                "id": country_id,
                "iso3": v["country__iso3"],
                "name_en": v["country__name_en"],
                "name_fr": v["country__name_fr"],
            },
            "place": v["place"],
            "admin_area": v["admin_area"],
            "latitude": optional(fmt["latitude"], v["latitude"]),
            "longitude": optional(fmt["longitude"], v["longitude"]),
            "location_precision": v["location_precision"],
            "incident_type": v["incident_type"],
            "attack_type": v["attack_type"],
            "perpetrators": perpetrators,
            "perpetrator_unknown": v["perpetrator_unknown"],
            "status": v["status"],
            "source": v["source"],
            "case": v["case_link__case__reference"],
            "killed": v["killed"],
            "injured": v["injured"],
            "created_at": optional(fmt["created_at"], v["created_at"]),
            "updated_at": optional(fmt["updated_at"], v["updated_at"]),
            "version": v["version"],
        }


def _optional(format_, value):
    # As DRF's Serializer.to_representation: None stays None, unformatted.
    return None if value is None else format_(value)


class IncidentDetailSerializer(IncidentSerializer):
    """One incident with its narrative, sources, workflow dates and casualties."""

    casualties = CasualtySerializer(many=True, read_only=True)

    class Meta(IncidentSerializer.Meta):
        fields = [
            *IncidentSerializer.Meta.fields,
            "narrative",
            "sources",
            "submitted_at",
            "verified_at",
            "casualties",
        ]
        read_only_fields = fields


class IncidentUpdateSerializer(serializers.Serializer):
    """The facts of an incident that may change while it is not verified."""

    occurred_at = serializers.DateTimeField()
    incident_type = serializers.ChoiceField(choices=IncidentType.choices)
    date_precision = serializers.ChoiceField(choices=DatePrecision.choices, required=False)
    place = TextField(required=False, allow_blank=True, max_length=200)
    admin_area = TextField(required=False, allow_blank=True, max_length=200)
    country = ScopedRelatedField(model=Country, required=False, allow_null=True)
    latitude = CoordinateField(limit=90, required=False, allow_null=True)
    longitude = CoordinateField(limit=180, required=False, allow_null=True)
    location_precision = serializers.ChoiceField(choices=LocationPrecision.choices, required=False)
    attack_type = serializers.ChoiceField(
        choices=AttackType.choices,
        required=False,
        allow_blank=True,
        help_text="Only for malicious acts.",
    )
    perpetrators = ScopedRelatedField(model=ArmedGroup, many=True, required=False)
    narrative = TextField(required=False, allow_blank=True, max_length=TEXT_MAX_LENGTH)
    sources = TextField(required=False, allow_blank=True, max_length=TEXT_MAX_LENGTH)


class IncidentCreateSerializer(IncidentUpdateSerializer):
    """A new incident, recorded as a draft for a mission the user may record for."""

    mission = ScopedRelatedField(
        scope=_recordable_missions,
        model=Mission,
        help_text="A mission you may record incidents for.",
    )
    casualties = CasualtyInputSerializer(many=True, required=False)
