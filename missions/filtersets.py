"""Filters over reference data (missions, countries) and peacekeepers.

Shared by the API and the HTML lists. Each FilterSet narrows a queryset the caller
already limited with `visible_to(user)`; a filter never widens the scope.
"""

import copy
from collections.abc import Iterable
from functools import reduce
from operator import or_

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_filters.filters import FilterMethod
from drf_spectacular.utils import extend_schema_field

from missions.choices import MissionKind, PersonnelCategory
from missions.masking import personnel_names_visible_q
from missions.models import Assignment, Country, Mission, Personnel


class _FilterCopies(dict):
    """A FilterSet's class-level filters; `copy.deepcopy` of them (what each FilterSet
    instance starts with) copies each filter once, shallowly.

    django-filter deep-copies every filter per request, and with them their choices and
    lazy translated labels: ~2 ms of a list request for the 25 filters of the incidents.
    A filter's state per request is its own attributes (`model`, `parent`, the form field
    it builds), which a shallow copy keeps apart; the `method=` proxy points at its
    filter, so each copy gets its own.
    """

    def __deepcopy__(self, memo):
        copies = {}
        for name, original in self.items():
            filter_ = copy.copy(original)
            if isinstance(original.__dict__.get("filter"), FilterMethod):
                filter_.filter = FilterMethod(filter_)
            copies[name] = filter_
        return copies


class _SharedFields(dict):
    """A filter form's `base_fields`, which every form instance shares.

    A Django form deep-copies its class's fields into each instance, so that a view may
    change one form's fields: ~0.7 ms a list request for the 25 fields of the incidents'
    filters, widgets and choices included. Filter forms are only bound and cleaned
    (cleaning reads a field, never changes it), and nothing changes their fields, so an
    instance gets a new dict of the same fields.
    """

    def __deepcopy__(self, memo):
        return dict(self)


_FORM_CLASSES: dict[tuple[type, str | None], type] = {}


class FilterSet(django_filters.FilterSet):
    """The FilterSet of the app's lists: django-filter's, cheaper to instantiate.

    Its form class is built once per FilterSet class and language, not per request
    (~2 ms: a form field for each of 25 filters), and its instances share its fields
    (`_SharedFields`). Only for FilterSets whose filters do not depend on the request
    (no ModelChoiceFilter with a queryset per user): the cached form would keep the
    first request's choices. Code must not change a filter form's fields.
    """

    @classmethod
    def get_filters(cls):
        return _FilterCopies(super().get_filters())

    def get_form_class(self):
        key = (type(self), get_language())
        form_class = _FORM_CLASSES.get(key)
        if form_class is None:
            form_class = _FORM_CLASSES[key] = super().get_form_class()
            form_class.base_fields = _SharedFields(form_class.base_fields)
        return form_class


_ID_SCHEMA = {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}


class _IdField(forms.IntegerField):
    def to_python(self, value):
        # ASCII digits only: int() also reads other scripts' digits ("߁" is 1).
        if isinstance(value, str) and value.strip() and not value.strip().isascii():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


@extend_schema_field(_ID_SCHEMA)
class IdFilter(django_filters.NumberFilter):
    """A row id: a whole number in the database's range (anything else is a 400)."""

    field_class = _IdField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


class _StrictNullBooleanSelect(forms.NullBooleanSelect):
    """Hands the raw value on, to be refused unless it is a boolean (Django's own widget
    reads anything unknown as "any", and "2"/"3" as true/false)."""

    def value_from_datadict(self, data, files, name):
        return data.get(name)


class _StrictBooleanField(forms.NullBooleanField):
    widget = _StrictNullBooleanSelect

    def to_python(self, value):
        if value in (None, "", "unknown"):
            return None
        if value in (True, "true", "True", "1"):
            return True
        if value in (False, "false", "False", "0"):
            return False
        raise forms.ValidationError("Give true or false.", code="invalid")


class BooleanFilter(django_filters.BooleanFilter):
    """`?x=true|false`; anything else is a 400 (django-filter would ignore it silently)."""

    field_class = _StrictBooleanField


@extend_schema_field(_ID_SCHEMA)
class NumberInFilter(django_filters.BaseInFilter, IdFilter):
    """`?field__in=1,2,3`."""


class CharInFilter(django_filters.BaseInFilter, django_filters.CharFilter):
    """`?field__in=a,b,c`."""


def search(queryset, value: str, *lookups: str):
    """The rows where any of `lookups` matches the text; all of them if it is blank."""
    value = value.strip()
    if not value:
        return queryset
    return queryset.filter(reduce(or_, (Q(**{lookup: value}) for lookup in lookups)))


class MissionFilterSet(django_filters.FilterSet):
    acronym = django_filters.CharFilter(lookup_expr="iexact")
    acronym__in = CharInFilter(field_name="acronym", lookup_expr="in")
    kind = django_filters.ChoiceFilter(choices=MissionKind.choices)
    active = BooleanFilter()
    is_aggregate = BooleanFilter()
    host_country_id = IdFilter(field_name="host_countries__id", distinct=False)
    host_country = django_filters.CharFilter(
        field_name="host_countries__iso3", lookup_expr="iexact", distinct=False
    )
    q = django_filters.CharFilter(method="filter_q", label="Search acronym and names")

    class Meta:
        model = Mission
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        return search(
            queryset, value, "acronym__icontains", "name_en__icontains", "name_fr__icontains"
        )


class CountryFilterSet(django_filters.FilterSet):
    iso3 = django_filters.CharFilter(lookup_expr="iexact")
    iso3__in = CharInFilter(field_name="iso3", lookup_expr="in")
    hosts = BooleanFilter(method="filter_hosts", label="Hosts a mission")
    q = django_filters.CharFilter(method="filter_q", label="Search ISO3 and names")

    class Meta:
        model = Country
        fields: list[str] = []

    def filter_hosts(self, queryset, name, value):
        hosting = Mission.host_countries.through.objects.values("country_id")
        return queryset.filter(pk__in=hosting) if value else queryset.exclude(pk__in=hosting)

    def filter_q(self, queryset, name, value):
        return search(queryset, value, "iso3__iexact", "name_en__icontains", "name_fr__icontains")


class PersonnelFilterSet(django_filters.FilterSet):
    contributing_country_id = IdFilter(field_name="contributing_country_id")
    contributing_country = django_filters.CharFilter(
        field_name="contributing_country__iso3", lookup_expr="iexact"
    )
    nationality_id = IdFilter(field_name="nationality_id")
    nationality = django_filters.CharFilter(field_name="nationality__iso3", lookup_expr="iexact")
    category = django_filters.ChoiceFilter(choices=PersonnelCategory.choices)
    category__in = django_filters.MultipleChoiceFilter(
        field_name="category", distinct=False, choices=PersonnelCategory.choices
    )
    mission_id = IdFilter(method="filter_mission", label="Assigned to (id)")
    mission = django_filters.CharFilter(method="filter_mission", label="Assigned to (acronym)")
    service_number = django_filters.CharFilter(
        method="filter_service_number", label="Service number (where you may see it)"
    )
    q = django_filters.CharFilter(method="filter_q", label="Search service number and names")

    class Meta:
        model = Personnel
        fields: list[str] = []

    def filter_mission(self, queryset, name, value):
        lookup = "mission_id" if name == "mission_id" else "mission__acronym__iexact"
        assigned = Assignment.objects.filter(**{lookup: value})
        return queryset.filter(pk__in=assigned.values("personnel_id"))

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        text = (
            Q(service_number__icontains=value)
            | Q(given_name__icontains=value)
            | Q(family_name__icontains=value)
        )
        return queryset.filter(text & self._identifiable())

    def filter_service_number(self, queryset, name, value):
        return queryset.filter(Q(service_number__iexact=value) & self._identifiable())

    def _identifiable(self) -> Q:
        """The people whose names and service numbers the user may read: only they can be
        found by them (missions.scope). Without a request (no user to ask), no one."""
        user = getattr(self.request, "user", None)
        return Q(pk__in=[]) if user is None else personnel_names_visible_q(user)


MISSION_PARAMETERS = ("mission", "mission__in")
# Filters that name a country by its ISO 3166 alpha-3 code, whatever the list.
COUNTRY_PARAMETERS = ("country", "host_state", "nationality", "contributing_country")


def _asked(query, names: Iterable[str]) -> dict[str, list[str]]:
    return {
        name: [v.strip() for value in query.filters.getlist(name) for v in value.split(",")]
        for name in names
        if name in query.filters
    }


def check_mission_acronyms(query, acronyms: Iterable[str] | None = None) -> None:
    """A `mission` or `mission__in` value naming no mission is a problem of `query`
    (a peacekeeping.querystring.ListQuery), not a filter that silently matches nothing.

    `acronyms` are the missions the page already loaded for its form; without them, one
    query asks the reference table.
    """
    asked = _asked(query, MISSION_PARAMETERS)
    if not asked:
        return
    if acronyms is None:
        wanted = {v for values in asked.values() for v in values}
        matching = reduce(or_, (Q(acronym__iexact=v) for v in wanted))
        acronyms = Mission.objects.filter(matching).values_list("acronym", flat=True)
    known = {acronym.upper() for acronym in acronyms}
    for name, values in asked.items():
        for value in values:
            if value.upper() not in known:
                query.refuse(name, _("no mission is called %(acronym)s") % {"acronym": value})


def check_country_codes(query) -> None:
    """A country filter (`country`, `host_state`, `nationality`, `contributing_country`)
    whose value is no ISO 3166 alpha-3 code of a country is a problem of `query`."""
    asked = _asked(query, COUNTRY_PARAMETERS)
    if not asked:
        return
    wanted = {v.upper() for values in asked.values() for v in values}
    known = set(Country.objects.filter(iso3__in=wanted).values_list("iso3", flat=True))
    for name, values in asked.items():
        for value in values:
            if value.upper() not in known:
                query.refuse(
                    name,
                    _("no country has the code %(code)s (give its ISO 3166 alpha-3 code)")
                    % {"code": value},
                )


def check_references(query, acronyms: Iterable[str] | None = None) -> None:
    """Mission acronyms and country codes that name nothing, as problems of `query`.

    Every list page, export and API list calls it (the API through
    peacekeeping.querystring's checks, registered in MissionsConfig.ready): a value that
    names nothing is never a filter that silently matches nothing.
    """
    check_mission_acronyms(query, acronyms)
    check_country_codes(query)
