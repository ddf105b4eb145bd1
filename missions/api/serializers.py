"""Serializers of reference data (missions, countries) and peacekeepers."""

from rest_framework import serializers

from missions.masking import mask
from missions.models import Country, Mission, Personnel


class NestedCountrySerializer(serializers.ModelSerializer):
    class Meta:
        model = Country
        fields = ["id", "iso3", "name_en", "name_fr"]
        read_only_fields = fields


class NestedMissionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Mission
        fields = ["id", "acronym", "name_en"]
        read_only_fields = fields


class CountrySerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:country-detail")

    class Meta:
        model = Country
        fields = ["id", "url", "iso3", "m49", "name_en", "name_fr", "working_language"]
        read_only_fields = fields


class MissionSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:mission-detail")
    host_countries = NestedCountrySerializer(many=True, read_only=True)
    components = serializers.SlugRelatedField(many=True, read_only=True, slug_field="acronym")

    class Meta:
        model = Mission
        fields = [
            "id",
            "url",
            "acronym",
            "name_en",
            "name_fr",
            "kind",
            "host_countries",
            "mandate_start",
            "mandate_end",
            "hq_location",
            "hq_latitude",
            "hq_longitude",
            "active",
            "is_aggregate",
            "components",
        ]
        read_only_fields = fields


class PersonnelSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:personnel-detail")
    contributing_country = NestedCountrySerializer(read_only=True)
    nationality = NestedCountrySerializer(read_only=True, allow_null=True)
    names_masked = serializers.SerializerMethodField()

    class Meta:
        model = Personnel
        fields = [
            "id",
            "url",
            "service_number",
            "given_name",
            "family_name",
            "names_masked",
            "contributing_country",
            "nationality",
            "category",
            "rank",
            "unit",
            "gender",
        ]
        read_only_fields = fields

    def get_names_masked(self, obj) -> bool:
        return not getattr(obj, "names_visible", False)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        # `names_visible` is annotated by the view from missions.scope (one query, no N+1).
        visible = bool(getattr(instance, "names_visible", False))
        data["service_number"] = mask(data["service_number"], visible)
        data["given_name"] = mask(data["given_name"], visible)
        data["family_name"] = mask(data["family_name"], visible)
        return data
