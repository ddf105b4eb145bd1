"""Serializers of incidents, casualties and armed groups.

Output serializers mask victims' names per `missions.scope.sees_names`; input serializers
name only the fields a client may set (never reference, mission on update, status,
version or audit fields) and look up every relation in the user's scope.
"""

from datetime import datetime

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from incidents.choices import (
    AttackType,
    DatePrecision,
    IncidentType,
    LocationPrecision,
    Outcome,
)
from incidents.listing import path_maker
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
from missions.time_zones import zone_named
from peacekeeping.api import CoordinateField, ScopedRelatedField, TextField


def _recordable_missions(user):
    ids = recordable_mission_ids(user)
    missions = Mission.objects.visible_to(user)
    return missions if ids is None else missions.filter(pk__in=ids)


# --- times ------------------------------------------------------------------------------


def local_time(occurred_at: datetime | None, date_precision: str, time_zone: str) -> str | None:
    """An incident's time as its mission's people read the clock: ISO 8601 with the
    zone's offset ("2026-03-01T13:00:00+01:00"), as the incident page shows it. None
    unless the time is exact: a day, month or year alone has no time of day to convert."""
    if occurred_at is None or date_precision != DatePrecision.EXACT:
        return None
    value = timezone.localtime(occurred_at, zone_named(time_zone)).isoformat()
    return value[:-6] + "Z" if value.endswith("+00:00") else value


class MissionLocalDateTimeField(serializers.DateTimeField):
    """ISO 8601. With an offset (`Z`, `+01:00`) the time is read as given; without one it
    is the mission's local time (its `time_zone`), as on the incident form."""

    def enforce_timezone(self, value):
        # Left naive here: the serializer knows the mission (IncidentUpdateSerializer).
        return value if timezone.is_naive(value) else super().enforce_timezone(value)


TIME_ZONE_HELP = "The mission's time zone (IANA name): where its people read the clock."
LOCAL_TIME_HELP = (
    "occurred_at in the mission's time zone, with its offset; null unless date_precision is exact."
)


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
    time_zone = serializers.CharField(
        source="mission.time_zone", read_only=True, help_text=TIME_ZONE_HELP
    )
    occurred_at_local = serializers.SerializerMethodField(help_text=LOCAL_TIME_HELP)

    class Meta:
        model = Incident
        fields = [
            "id",
            "url",
            "reference",
            "mission",
            "occurred_at",
            "time_zone",
            "occurred_at_local",
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

    @extend_schema_field({"type": "string", "format": "date-time", "nullable": True})
    def get_occurred_at_local(self, obj) -> str | None:
        return local_time(obj.occurred_at, obj.date_precision, obj.mission.time_zone)


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
        return [self.row(v) for v in values]

    def row(self, v: dict) -> dict:
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
            "time_zone": v["mission__time_zone"],
            "occurred_at_local": local_time(
                v["occurred_at"], v["date_precision"], v["mission__time_zone"]
            ),
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
            "perpetrators": v["perpetrator_list"],
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
    """The facts of an incident that may change while it is not verified.

    A time without an offset is the mission's local time: the incident's own mission on
    an update (`context["incident"]`), the mission named on a creation.
    """

    occurred_at = MissionLocalDateTimeField(
        help_text="ISO 8601. Without an offset, the mission's local time (its time_zone); "
        "with one (Z, +01:00), read as given."
    )
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

    def mission_of(self, attrs) -> Mission | None:
        incident = self.context.get("incident")
        return incident.mission if incident is not None else attrs.get("mission")

    def validate(self, attrs):
        at = attrs.get("occurred_at")
        if at is not None and timezone.is_naive(at):
            mission = self.mission_of(attrs)
            zone = mission.zone if mission is not None else timezone.get_default_timezone()
            attrs["occurred_at"] = timezone.make_aware(at, zone)
        return attrs


class IncidentCreateSerializer(IncidentUpdateSerializer):
    """A new incident, recorded as a draft for a mission the user may record for."""

    mission = ScopedRelatedField(
        scope=_recordable_missions,
        model=Mission,
        help_text="A mission you may record incidents for.",
    )
    casualties = CasualtyInputSerializer(many=True, required=False)
