"""Read-only endpoints of reference data and peacekeepers, each from `visible_to(user)`."""

from django.db.models import BooleanField, ExpressionWrapper, Prefetch, Q, Value
from rest_framework import viewsets

from missions.api.serializers import CountrySerializer, MissionSerializer, PersonnelSerializer
from missions.filtersets import CountryFilterSet, MissionFilterSet, PersonnelFilterSet
from missions.masking import name_sort_key, personnel_names_visible_q
from missions.models import Country, Mission, Personnel
from peacekeeping.api import ApiViewMixin


class CountryViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """States and territories (ISO 3166 alpha-3): reference data every user reads."""

    serializer_class = CountrySerializer
    filterset_class = CountryFilterSet
    ordering_fields = ["iso3", "name_en", "name_fr", "id"]
    ordering = ["name_en"]
    etag_actions = frozenset({"retrieve"})

    def get_queryset(self):
        # One query: a country has no relation shown in the list.
        return Country.objects.visible_to(self.request.user)


class MissionViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """UN operations with their host countries: reference data every user reads."""

    serializer_class = MissionSerializer
    filterset_class = MissionFilterSet
    ordering_fields = ["acronym", "id"]
    ordering = ["acronym"]
    etag_actions = frozenset({"retrieve"})

    def get_queryset(self):
        # Host countries and component acronyms: one prefetch query each.
        return Mission.objects.visible_to(self.request.user).prefetch_related(
            Prefetch(
                "host_countries", queryset=Country.objects.only("id", "iso3", "name_en", "name_fr")
            ),
            Prefetch("components", queryset=Mission.objects.only("id", "acronym")),
        )


def personnel_names_visible(user):
    """Annotation: may `user` read this peacekeeper's names (missions.scope)?"""
    q = personnel_names_visible_q(user)
    if q == Q():
        return Value(True, output_field=BooleanField())
    if q == Q(pk__in=[]):
        return Value(False, output_field=BooleanField())
    return ExpressionWrapper(q, output_field=BooleanField())


class PersonnelViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """Peacekeepers assigned to missions in your scope; names and service numbers masked
    unless you may see them."""

    serializer_class = PersonnelSerializer
    filterset_class = PersonnelFilterSet
    ordering_fields = ["family_name", "service_number", "id"]
    ordering = ["family_name"]
    # Names sort where they are shown; masked rows sort together, by id (missions.scope).
    ordering_keys = {"family_name": "family_name_key", "service_number": "service_number_key"}
    etag_actions = frozenset({"retrieve"})

    def get_queryset(self):
        # Countries joined; whether names show is one subquery per row in the same query.
        user = self.request.user
        visible = Q(names_visible=True)
        return (
            Personnel.objects.visible_to(user)
            .select_related("contributing_country", "nationality")
            .annotate(names_visible=personnel_names_visible(user))
            .annotate(
                family_name_key=name_sort_key("family_name", visible),
                service_number_key=name_sort_key("service_number", visible),
            )
        )
