"""Filters over incidents and casualties, shared by the API and the HTML lists.

Every FilterSet filters a queryset the caller already narrowed with `visible_to(user)`;
a filter never widens the scope. Foreign keys get explicit `<fk>_id` filters (NetBox).
"""

from datetime import UTC, date, datetime, time, timedelta

import django_filters
from django.db.models import Exists, OuterRef

from incidents.choices import AttackType, IncidentStatus, IncidentType, Outcome
from incidents.models import ArmedGroup, Casualty, Incident
from missions.choices import PersonnelCategory
from missions.filtersets import (
    BooleanFilter,
    CharInFilter,
    FilterSet,
    IdFilter,
    NumberInFilter,
    search,
)


def occurred_bounds(name: str, value: date, field: str) -> dict:
    """A day range on a datetime column as two half-open UTC bounds (index-friendly)."""
    start = datetime.combine(value, time.min, tzinfo=UTC)
    if name.endswith("after"):
        return {f"{field}__gte": start}
    if value == date.max:
        return {f"{field}__lte": datetime.max.replace(tzinfo=UTC)}
    return {f"{field}__lt": start + timedelta(days=1)}


class IncidentFilterSet(FilterSet):
    mission_id = IdFilter(field_name="mission_id")
    mission_id__in = NumberInFilter(field_name="mission_id", lookup_expr="in")
    mission = django_filters.CharFilter(field_name="mission__acronym", lookup_expr="iexact")
    mission__in = CharInFilter(field_name="mission__acronym", lookup_expr="in")
    country_id = IdFilter(field_name="country_id")
    country_id__in = NumberInFilter(field_name="country_id", lookup_expr="in")
    country = django_filters.CharFilter(field_name="country__iso3", lookup_expr="iexact")
    occurred_after = django_filters.DateFilter(
        method="filter_occurred", label="On or after this day (UTC)"
    )
    occurred_before = django_filters.DateFilter(
        method="filter_occurred", label="On or before this day (UTC)"
    )
    incident_type = django_filters.ChoiceFilter(choices=IncidentType.choices)
    incident_type__in = django_filters.MultipleChoiceFilter(
        field_name="incident_type", distinct=False, choices=IncidentType.choices
    )
    attack_type = django_filters.ChoiceFilter(choices=AttackType.choices)
    attack_type__in = django_filters.MultipleChoiceFilter(
        field_name="attack_type", distinct=False, choices=AttackType.choices
    )
    status = django_filters.ChoiceFilter(choices=IncidentStatus.choices)
    category = django_filters.ChoiceFilter(
        choices=PersonnelCategory.choices,
        method="filter_casualty",
        label="Category of a casualty",
    )
    nationality_id = IdFilter(
        method="filter_casualty", label="Nationality of a casualty (country id)"
    )
    nationality = django_filters.CharFilter(
        method="filter_casualty", label="Nationality of a casualty (ISO3)"
    )
    outcome = django_filters.ChoiceFilter(
        choices=Outcome.choices, method="filter_casualty", label="Outcome for a casualty"
    )
    perpetrator_id = IdFilter(method="filter_perpetrator", label="Armed group (id)")
    perpetrator_id__in = NumberInFilter(method="filter_perpetrator", label="Armed groups (ids)")
    perpetrator_unknown = BooleanFilter()
    has_case = BooleanFilter(
        field_name="case_link", lookup_expr="isnull", exclude=True, label="Joined to a case"
    )
    q = django_filters.CharFilter(method="filter_q", label="Search reference, place, narrative")

    class Meta:
        model = Incident
        fields: list[str] = []

    _CASUALTY_LOOKUPS = {
        "category": "category",
        "nationality_id": "nationality_id",
        "nationality": "nationality__iso3__iexact",
        "outcome": "outcome",
    }

    def filter_occurred(self, queryset, name, value):
        return queryset.filter(**occurred_bounds(name, value, "occurred_at"))

    def filter_perpetrator(self, queryset, name, value):
        # A subquery rather than a join + DISTINCT: the list keeps its index-ordered plan.
        ids = value if isinstance(value, list) else [value]
        through = Incident.perpetrators.through.objects.filter(armedgroup_id__in=ids)
        return queryset.filter(pk__in=through.values("incident_id"))

    def filter_casualty(self, queryset, name, value):
        # EXISTS rather than a join: one incident with three casualties stays one row.
        lookup = self._CASUALTY_LOOKUPS[name]
        return queryset.filter(
            Exists(Casualty.objects.filter(incident_id=OuterRef("pk"), **{lookup: value}))
        )

    def filter_q(self, queryset, name, value):
        return search(
            queryset,
            value,
            "reference__icontains",
            "place__icontains",
            "admin_area__icontains",
            "narrative__icontains",
        )


class CasualtyFilterSet(FilterSet):
    incident_id = IdFilter(field_name="incident_id")
    incident = django_filters.CharFilter(field_name="incident__reference")
    mission_id = IdFilter(field_name="incident__mission_id")
    mission_id__in = NumberInFilter(field_name="incident__mission_id", lookup_expr="in")
    mission = django_filters.CharFilter(
        field_name="incident__mission__acronym", lookup_expr="iexact"
    )
    personnel_id = IdFilter(field_name="personnel_id")
    category = django_filters.ChoiceFilter(choices=PersonnelCategory.choices)
    category__in = django_filters.MultipleChoiceFilter(
        field_name="category", distinct=False, choices=PersonnelCategory.choices
    )
    nationality_id = IdFilter(field_name="nationality_id")
    nationality_id__in = NumberInFilter(field_name="nationality_id", lookup_expr="in")
    nationality = django_filters.CharFilter(field_name="nationality__iso3", lookup_expr="iexact")
    outcome = django_filters.ChoiceFilter(choices=Outcome.choices)
    outcome__in = django_filters.MultipleChoiceFilter(
        field_name="outcome", distinct=False, choices=Outcome.choices
    )
    occurred_after = django_filters.DateFilter(
        method="filter_occurred", label="Incident on or after this day (UTC)"
    )
    occurred_before = django_filters.DateFilter(
        method="filter_occurred", label="Incident on or before this day (UTC)"
    )

    class Meta:
        model = Casualty
        fields: list[str] = []

    def filter_occurred(self, queryset, name, value):
        return queryset.filter(**occurred_bounds(name, value, "incident__occurred_at"))


class ArmedGroupFilterSet(django_filters.FilterSet):
    country_id = IdFilter(field_name="countries", distinct=False)
    q = django_filters.CharFilter(method="filter_q", label="Search name and aliases")

    class Meta:
        model = ArmedGroup
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.search(value) if value else queryset
