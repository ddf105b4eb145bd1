"""Serializers of cases, investigations, suspects and their steps, follow-ups and
capacity support.

Suspects' names are masked per `missions.scope.sees_names`; input serializers carry only
what a client may say (dates, sources, choices) and look relations up in the user's scope.
"""

from datetime import date

from rest_framework import serializers

from accountability.choices import (
    FollowUpChannel,
    Institution,
    InvestigatingAuthority,
    InvestigationStatus,
    ProcedureStepKind,
    SupportKind,
)
from accountability.figures import is_overdue
from accountability.models import (
    CapacitySupport,
    Case,
    FollowUp,
    Investigation,
    ProcedureStep,
    Suspect,
)
from incidents.api.serializers import NestedArmedGroupSerializer
from incidents.models import ArmedGroup
from missions.api.serializers import NestedCountrySerializer, NestedMissionSerializer
from missions.masking import mask
from missions.models import Country, Mission
from missions.scope import managed_case_q, sees_names
from peacekeeping.api import ScopedRelatedField, ScopedSlugField, TextField


def _names_visible(context, case: Case) -> bool:
    return sees_names(
        context["request"].user, mission_id=case.mission_id, country_id=case.host_state_id
    )


class NestedCaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Case
        fields = ["id", "reference"]
        read_only_fields = fields


# --- investigations -------------------------------------------------------------------


class InvestigationSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:investigation-detail")
    case = NestedCaseSerializer(read_only=True)

    class Meta:
        model = Investigation
        fields = [
            "id",
            "url",
            "case",
            "authority",
            "authority_name",
            "status",
            "opened_on",
            "closed_on",
            "source",
            "note",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class InvestigationOpenSerializer(serializers.Serializer):
    authority = serializers.ChoiceField(choices=InvestigatingAuthority.choices)
    authority_name = TextField(required=False, allow_blank=True, max_length=200)
    opened_on = serializers.DateField()
    source = TextField(max_length=10_000, help_text="The document it comes from.")
    note = TextField(required=False, allow_blank=True, max_length=10_000)


class InvestigationStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=InvestigationStatus.choices)
    on = serializers.DateField(help_text="When the status changed.")
    source = TextField(max_length=10_000)
    note = TextField(required=False, allow_blank=True, max_length=10_000)


# --- suspects and their procedure ------------------------------------------------------


class ProcedureStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProcedureStep
        fields = [
            "id",
            "kind",
            "occurred_on",
            "legal_term",
            "source",
            "note",
            "sentence",
            "recorded_at",
        ]
        read_only_fields = fields


class ProcedureStepInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ProcedureStepKind.choices)
    occurred_on = serializers.DateField()
    source = TextField(max_length=10_000)
    legal_term = TextField(required=False, allow_blank=True, max_length=120)
    note = TextField(required=False, allow_blank=True, max_length=10_000)
    sentence = TextField(required=False, allow_blank=True, max_length=200)


class SuspectSerializer(serializers.ModelSerializer):
    """A suspect as listed. Name and alias masked unless the user may see names."""

    url = serializers.HyperlinkedIdentityField(view_name="api:suspect-detail")
    case = NestedCaseSerializer(read_only=True)
    armed_group = NestedArmedGroupSerializer(read_only=True, allow_null=True)
    nationality = NestedCountrySerializer(read_only=True, allow_null=True)

    class Meta:
        model = Suspect
        fields = [
            "id",
            "url",
            "case",
            "name",
            "alias",
            "armed_group",
            "nationality",
            "status",
            "status_since",
            "in_custody",
            "custody_since",
            "created_at",
        ]
        read_only_fields = fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        visible = _names_visible(self.context, instance.case)
        data["name"] = mask(data["name"], visible)
        data["alias"] = mask(data["alias"], visible) if data["alias"] else ""
        return data


class SuspectDetailSerializer(SuspectSerializer):
    steps = ProcedureStepSerializer(many=True, read_only=True)

    class Meta(SuspectSerializer.Meta):
        fields = [*SuspectSerializer.Meta.fields, "steps"]
        read_only_fields = fields


class SuspectIdentifySerializer(serializers.Serializer):
    name = TextField(max_length=200)
    identified_on = serializers.DateField()
    source = TextField(max_length=10_000)
    alias = TextField(required=False, allow_blank=True, max_length=200)
    armed_group = ScopedRelatedField(model=ArmedGroup, required=False, allow_null=True)
    nationality = ScopedRelatedField(model=Country, required=False, allow_null=True)
    note = TextField(required=False, allow_blank=True, max_length=10_000)


# --- follow-ups -----------------------------------------------------------------------


class FollowUpSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:followup-detail")
    case = NestedCaseSerializer(read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = FollowUp
        fields = [
            "id",
            "url",
            "case",
            "sent_on",
            "channel",
            "summary",
            "response_due",
            "response_received_on",
            "outcome",
            "overdue",
            "created_at",
        ]
        read_only_fields = fields

    def get_overdue(self, obj) -> bool:
        """A response was due before today and none was received (accountability/figures.py)."""
        return is_overdue(obj, date.today())


class FollowUpRecordSerializer(serializers.Serializer):
    sent_on = serializers.DateField()
    channel = serializers.ChoiceField(choices=FollowUpChannel.choices)
    summary = TextField(max_length=10_000)
    response_due = serializers.DateField(required=False, allow_null=True)


class FollowUpResponseSerializer(serializers.Serializer):
    received_on = serializers.DateField()
    outcome = TextField(max_length=10_000, help_text="What the host State answered.")


# --- cases ----------------------------------------------------------------------------


class CaseSerializer(serializers.ModelSerializer):
    """A case as listed: stage, dates and counts, no suspects."""

    url = serializers.HyperlinkedIdentityField(
        view_name="api:case-detail", lookup_field="reference"
    )
    mission = NestedMissionSerializer(read_only=True)
    host_state = NestedCountrySerializer(read_only=True, allow_null=True)
    incidents = serializers.SlugRelatedField(many=True, read_only=True, slug_field="reference")
    impunity = serializers.BooleanField(
        read_only=True, help_text="Matches the impunity rule today (Case.objects.impunity())."
    )

    class Meta:
        model = Case
        fields = [
            "id",
            "url",
            "reference",
            "mission",
            "host_state",
            "incidents",
            "focal_point",
            "opened_on",
            "attack_date",
            "investigation_status",
            "investigation_opened_on",
            "stage",
            "last_progress_on",
            "has_conviction",
            "impunity",
            "killed",
            "injured",
            "opened_by_import",
            "summary",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = fields


class CaseDetailSerializer(CaseSerializer):
    """One case with its investigations, and its suspects for those who may see them."""

    investigations = InvestigationSerializer(many=True, read_only=True)
    suspects = serializers.SerializerMethodField()

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "investigations", "suspects"]
        read_only_fields = fields

    def get_suspects(self, obj) -> SuspectSerializer(many=True, allow_null=True):
        """Null for users who may not see this case's suspects (mission staff)."""
        if not getattr(obj, "suspects_visible", False):
            return None
        return SuspectSerializer(obj.visible_suspects, many=True, context=self.context).data


class CaseUpdateSerializer(serializers.Serializer):
    """What a legal officer may change on a case; the rest follows from its rows."""

    summary = TextField(allow_blank=True, max_length=100_000)
    focal_point = serializers.IntegerField(
        allow_null=True,
        min_value=1,
        max_value=2**63 - 1,
        help_text="User id of an active member of the case's mission, or null.",
    )


# --- capacity support -----------------------------------------------------------------


class CapacitySupportSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:capacitysupport-detail")
    host_state = NestedCountrySerializer(read_only=True)
    mission = NestedMissionSerializer(read_only=True, allow_null=True)
    cases = serializers.SlugRelatedField(many=True, read_only=True, slug_field="reference")

    class Meta:
        model = CapacitySupport
        fields = [
            "id",
            "url",
            "host_state",
            "mission",
            "provided_on",
            "institution",
            "kind",
            "description",
            "cases",
            "created_at",
        ]
        read_only_fields = fields


def manageable_cases(user):
    """Cases the user may change: `can_manage_case` as a queryset (legal officers)."""
    return Case.objects.visible_to(user).filter(managed_case_q(user))


class CapacitySupportRecordSerializer(serializers.Serializer):
    host_state = ScopedRelatedField(model=Country)
    mission = ScopedRelatedField(model=Mission, required=False, allow_null=True)
    provided_on = serializers.DateField()
    institution = serializers.ChoiceField(choices=Institution.choices)
    kind = serializers.ChoiceField(choices=SupportKind.choices)
    description = TextField(max_length=10_000)
    cases = ScopedSlugField(
        scope=manageable_cases, model=Case, many=True, required=False, help_text="References."
    )
