"""Filters over cases, suspects, follow-ups and capacity support.

Shared by the API and the HTML lists. Each FilterSet narrows a queryset the caller
already limited with `visible_to(user)`; a filter never widens the scope.
"""

import django_filters
from django.db.models import Q

from accountability.choices import (
    CaseStage,
    FollowUpChannel,
    Institution,
    InvestigatingAuthority,
    InvestigationStatus,
    ProcedureStepKind,
    SupportKind,
)
from accountability.impunity import impunity_cases
from accountability.models import CapacitySupport, Case, FollowUp, Investigation, Suspect
from missions.filtersets import (
    BooleanFilter,
    CharInFilter,
    IdFilter,
    NumberInFilter,
    search,
)
from missions.masking import names_visible_q


class CaseFilterSet(django_filters.FilterSet):
    mission_id = IdFilter(field_name="mission_id")
    mission_id__in = NumberInFilter(field_name="mission_id", lookup_expr="in")
    mission = django_filters.CharFilter(field_name="mission__acronym", lookup_expr="iexact")
    mission__in = CharInFilter(field_name="mission__acronym", lookup_expr="in")
    host_state_id = IdFilter(field_name="host_state_id")
    host_state_id__in = NumberInFilter(field_name="host_state_id", lookup_expr="in")
    host_state = django_filters.CharFilter(field_name="host_state__iso3", lookup_expr="iexact")
    host_state__in = CharInFilter(field_name="host_state__iso3", lookup_expr="in")
    stage = django_filters.ChoiceFilter(choices=CaseStage.choices)
    stage__in = django_filters.MultipleChoiceFilter(
        field_name="stage", distinct=False, choices=CaseStage.choices
    )
    investigation_status = django_filters.ChoiceFilter(choices=InvestigationStatus.choices)
    investigation_status__in = django_filters.MultipleChoiceFilter(
        field_name="investigation_status", distinct=False, choices=InvestigationStatus.choices
    )
    attack_after = django_filters.DateFilter(field_name="attack_date", lookup_expr="gte")
    attack_before = django_filters.DateFilter(field_name="attack_date", lookup_expr="lte")
    has_conviction = BooleanFilter()
    # Historical records opened by the import of the UN's file, or cases the mission tracks.
    opened_by_import = BooleanFilter()
    impunity = BooleanFilter(
        method="filter_impunity", label="Matches the impunity rule (Case.objects.impunity())"
    )
    incident = django_filters.CharFilter(
        field_name="incidents__reference", distinct=False, label="Incident reference"
    )
    focal_point_id = IdFilter(field_name="focal_point_id")
    q = django_filters.CharFilter(method="filter_q", label="Search reference and summary")

    class Meta:
        model = Case
        fields: list[str] = []

    def filter_impunity(self, queryset, name, value):
        impunity = impunity_cases(Case.objects.all()).values("pk")
        return queryset.filter(pk__in=impunity) if value else queryset.exclude(pk__in=impunity)

    def filter_q(self, queryset, name, value):
        return search(queryset, value, "reference__icontains", "summary__icontains")


class _OfCaseFilterSet(django_filters.FilterSet):
    """Filters of the rows that belong to a case: by the case, its mission, its host State."""

    case_id = IdFilter(field_name="case_id")
    case = django_filters.CharFilter(field_name="case__reference")
    mission_id = IdFilter(field_name="case__mission_id")
    mission = django_filters.CharFilter(field_name="case__mission__acronym", lookup_expr="iexact")
    host_state_id = IdFilter(field_name="case__host_state_id")
    host_state = django_filters.CharFilter(
        field_name="case__host_state__iso3", lookup_expr="iexact"
    )


class InvestigationFilterSet(_OfCaseFilterSet):
    authority = django_filters.ChoiceFilter(choices=InvestigatingAuthority.choices)
    status = django_filters.ChoiceFilter(choices=InvestigationStatus.choices)
    status__in = django_filters.MultipleChoiceFilter(
        field_name="status", distinct=False, choices=InvestigationStatus.choices
    )
    opened_after = django_filters.DateFilter(field_name="opened_on", lookup_expr="gte")
    opened_before = django_filters.DateFilter(field_name="opened_on", lookup_expr="lte")

    class Meta:
        model = Investigation
        fields: list[str] = []


class SuspectFilterSet(_OfCaseFilterSet):
    armed_group_id = IdFilter(field_name="armed_group_id")
    nationality_id = IdFilter(field_name="nationality_id")
    status = django_filters.ChoiceFilter(choices=ProcedureStepKind.choices)
    status__in = django_filters.MultipleChoiceFilter(
        field_name="status", distinct=False, choices=ProcedureStepKind.choices
    )
    in_custody = BooleanFilter()
    q = django_filters.CharFilter(method="filter_q", label="Search name and alias")

    class Meta:
        model = Suspect
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        match = Q(name__icontains=value) | Q(alias__icontains=value)
        # A masked name must not be findable by guessing it; without a request (no user
        # to ask), only the alias is searched.
        user = getattr(self.request, "user", None)
        if user is None:
            match = Q(alias__icontains=value)
        else:
            match &= names_visible_q(
                user, mission="case__mission_id", country="case__host_state_id"
            )
        return queryset.filter(match)


class FollowUpFilterSet(_OfCaseFilterSet):
    channel = django_filters.ChoiceFilter(choices=FollowUpChannel.choices)
    sent_after = django_filters.DateFilter(field_name="sent_on", lookup_expr="gte")
    sent_before = django_filters.DateFilter(field_name="sent_on", lookup_expr="lte")
    responded = BooleanFilter(field_name="response_received_on", lookup_expr="isnull", exclude=True)
    overdue = BooleanFilter(method="filter_overdue", label="Response overdue")

    class Meta:
        model = FollowUp
        fields: list[str] = []

    def filter_overdue(self, queryset, name, value):
        overdue = FollowUp.objects.overdue().values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)


class CapacitySupportFilterSet(django_filters.FilterSet):
    host_state_id = IdFilter(field_name="host_state_id")
    host_state = django_filters.CharFilter(field_name="host_state__iso3", lookup_expr="iexact")
    mission_id = IdFilter(field_name="mission_id")
    mission = django_filters.CharFilter(field_name="mission__acronym", lookup_expr="iexact")
    case_id = IdFilter(field_name="cases__id", distinct=False)
    institution = django_filters.ChoiceFilter(choices=Institution.choices)
    institution__in = django_filters.MultipleChoiceFilter(
        field_name="institution", distinct=False, choices=Institution.choices
    )
    kind = django_filters.ChoiceFilter(choices=SupportKind.choices)
    kind__in = django_filters.MultipleChoiceFilter(
        field_name="kind", distinct=False, choices=SupportKind.choices
    )
    provided_after = django_filters.DateFilter(field_name="provided_on", lookup_expr="gte")
    provided_before = django_filters.DateFilter(field_name="provided_on", lookup_expr="lte")
    q = django_filters.CharFilter(field_name="description", lookup_expr="icontains")

    class Meta:
        model = CapacitySupport
        fields: list[str] = []
