"""The incidents, cases and casualties one query string selects, within the user's scope.

The statistics page, the map, its GeoJSON and the incidents export all read their query
string here, so the same address gives the same incidents on each of them and the export
holds what the page counted. The keys are IncidentFilterSet's plus the case filters of the
analysts' form (stage, impunity); any other key, or a value a FilterSet refuses, is a
problem (peacekeeping.querystring): the pages show it and select nothing, the export
refuses with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet

from accountability.filtersets import CaseFilterSet
from accountability.forms import CASE_ONLY_PARAMETERS, CASE_PARAMETERS, INCIDENT_ONLY_PARAMETERS
from accountability.models import Case, CaseIncident
from incidents.choices import Outcome
from incidents.filtersets import CasualtyFilterSet, IncidentFilterSet
from incidents.models import Casualty, Incident
from missions.filtersets import check_references
from peacekeeping.querystring import ListQuery, read_query

CASUALTY_PARAMETERS = ("category", "nationality", "outcome")
# Every key the analysts' pages and the incidents export understand.
ANALYSIS_FILTERS = (*IncidentFilterSet.base_filters, *CASE_ONLY_PARAMETERS)


@dataclass
class Selection:
    query: ListQuery
    incidents: QuerySet
    cases: QuerySet
    casualties: QuerySet
    outcome: str
    active: bool
    form: object = field(default=None)

    @property
    def withheld(self) -> bool:
        """Nothing selected because a filter was not understood."""
        return not self.query.understood


def select(*, user, params, controls=()) -> Selection:
    """Case filters (stage, impunity) narrow the incidents to those of matching cases;
    incident filters (types, casualty category, nationality, outcome) narrow the cases to
    those with a matching incident; casualty filters also pick the people counted."""
    query = read_query(params, filters=ANALYSIS_FILTERS, controls=controls)
    check_references(query)
    data = query.filters
    incident_filters = IncidentFilterSet(
        data, queryset=Incident.objects.visible_to(user), request=_Request(user)
    )
    query.check(incident_filters)
    case_data = {target: data[name] for name, target in CASE_PARAMETERS.items() if data.get(name)}
    case_filters = CaseFilterSet(
        case_data, queryset=Case.objects.visible_to(user), request=_Request(user)
    )
    if case_filters.is_bound and not case_filters.is_valid():
        asked_as = {target: name for name, target in CASE_PARAMETERS.items()}
        for name, reasons in case_filters.errors.items():
            for reason in reasons:
                query.refuse(asked_as.get(name, name), str(reason))
    if not query.understood:
        nothing = Incident.objects.none()
        return Selection(
            query,
            nothing,
            Case.objects.none(),
            Casualty.objects.none(),
            Outcome.KILLED,
            active=True,
        )
    incidents = incident_filters.qs
    cases = case_filters.qs
    incident_pks = incidents.order_by().values("pk")
    if any(data.get(name) for name in CASE_ONLY_PARAMETERS):
        incidents = incidents.filter(case_link__case__in=cases.order_by().values("pk"))
    if any(data.get(name) for name in INCIDENT_ONLY_PARAMETERS):
        cases = cases.filter(
            pk__in=CaseIncident.objects.filter(incident__in=incident_pks).values("case_id")
        )
    outcome = data.get("outcome") if data.get("outcome") in Outcome.values else Outcome.KILLED
    casualty_data = {name: data[name] for name in CASUALTY_PARAMETERS if data.get(name)}
    casualty_data["outcome"] = outcome
    # Every incident selected (an unfiltered page for a user who sees everything): no
    # semi-join of a million casualties against every incident id.
    people = (
        Casualty.objects.filter(incident__in=incidents.order_by().values("pk"))
        if incidents.query.has_filters()
        else Casualty.objects.all()
    )
    casualties = CasualtyFilterSet(casualty_data, queryset=people, request=_Request(user)).qs
    return Selection(query, incidents, cases, casualties, outcome, active=bool(data))


@dataclass
class _Request:
    """What the FilterSets read of a request: its user (exports have no request)."""

    user: object
