"""Every list endpoint answers in a fixed number of queries, whether 10 rows or 100.

Each case seeds rows the viewer (a legal officer of mission A) can see, asks for them in
one page, and counts the queries with 10 rows and again with 100. Queries common to
every request, counted in the totals below:
  1. the token and its user (TokenAuthentication)
  2. the user's memberships (missions.scope.user_scope, once per request)
and then, per endpoint, the list query itself and one query per prefetched relation.
"""

from datetime import UTC, date, datetime, timedelta
from itertools import count

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accountability.models import (
    CapacitySupport,
    Case,
    CaseIncident,
    FollowUp,
    Investigation,
    Suspect,
)
from incidents.models import ArmedGroup, ArmedGroupAlias, Casualty, Incident
from missions.models import Assignment, Country, Mission, Personnel

pytestmark = pytest.mark.django_db

_serial = count(1)


def _incidents(world, n, *, prefix="QC"):
    mission, host = world.mission_a, world.host_a
    group = ArmedGroup.objects.create(name=f"Group {next(_serial)}")
    incidents = Incident.objects.bulk_create(
        Incident(
            reference=f"{prefix}-{next(_serial):05d}",
            mission=mission,
            country=host,
            occurred_at=datetime(2024, 1, 1, tzinfo=UTC) + timedelta(hours=i),
            incident_type="malicious_act",
            attack_type="ambush",
            place="Bambari",
        )
        for i in range(n)
    )
    Incident.perpetrators.through.objects.bulk_create(
        Incident.perpetrators.through(incident_id=i.pk, armedgroup_id=group.pk) for i in incidents
    )
    Casualty.objects.bulk_create(
        Casualty(incident=i, category="military_contingent", outcome="killed", nationality=host)
        for i in incidents
    )
    return incidents


def _cases(world, n):
    incidents = _incidents(world, n, prefix="QCC")
    cases = Case.objects.bulk_create(
        Case(
            reference=f"CASE-QC-{next(_serial):05d}",
            mission=world.mission_a,
            host_state=world.host_a,
            opened_on=date(2024, 2, 1),
            attack_date=date(2024, 1, 1),
            killed=1,
        )
        for _ in range(n)
    )
    CaseIncident.objects.bulk_create(
        CaseIncident(case=case, incident=incident)
        for case, incident in zip(cases, incidents, strict=True)
    )
    return cases


def _seed_incidents(world, n):
    _incidents(world, n)
    return "/api/v1/incidents/?mission=MINUSCA&q=Bambari"


def _seed_casualties(world, n):
    people = Personnel.objects.bulk_create(
        Personnel(
            service_number=f"QC{next(_serial)}",
            contributing_country=world.host_a,
            given_name="Ama",
            family_name="Doe",
            category="military_contingent",
        )
        for _ in range(n)
    )
    Casualty.objects.bulk_create(
        Casualty(
            incident=world.incident_a,
            personnel=person,
            category="military_contingent",
            outcome="injured",
            nationality=world.host_a,
        )
        for person in people
    )
    return "/api/v1/casualties/?mission=MINUSCA&outcome=injured"


def _seed_cases(world, n):
    _cases(world, n)
    return "/api/v1/cases/?mission=MINUSCA&q=CASE-QC"


def _seed_investigations(world, n):
    Investigation.objects.bulk_create(
        Investigation(case=world.case_a, authority="police", opened_on=date(2024, 3, 1))
        for _ in range(n)
    )
    return f"/api/v1/investigations/?mission_id={world.mission_a.pk}"


def _seed_suspects(world, n):
    group = ArmedGroup.objects.create(name=f"Group {next(_serial)}")
    Suspect.objects.bulk_create(
        Suspect(case=world.case_a, name=f"Suspect {i}", armed_group=group, nationality=world.host_a)
        for i in range(n)
    )
    return f"/api/v1/suspects/?armed_group_id={group.pk}"


def _seed_follow_ups(world, n):
    FollowUp.objects.bulk_create(
        FollowUp(case=world.case_a, sent_on=date(2024, 4, 1), channel="letter", summary="QC")
        for _ in range(n)
    )
    return "/api/v1/follow-ups/?channel=letter"


def _seed_capacity_support(world, n):
    supports = CapacitySupport.objects.bulk_create(
        CapacitySupport(
            host_state=world.host_a,
            mission=world.mission_a,
            provided_on=date(2024, 5, 1),
            institution="police",
            kind="training",
            description="QC",
        )
        for _ in range(n)
    )
    CapacitySupport.cases.through.objects.bulk_create(
        CapacitySupport.cases.through(capacitysupport_id=s.pk, case_id=world.case_a.pk)
        for s in supports
    )
    return "/api/v1/capacity-support/?mission=MINUSCA"


def _seed_personnel(world, n):
    people = Personnel.objects.bulk_create(
        Personnel(
            service_number=f"QP{next(_serial)}",
            contributing_country=world.host_a,
            nationality=world.host_a,
            given_name="Ama",
            family_name="Doe",
            category="military_contingent",
        )
        for _ in range(n)
    )
    Assignment.objects.bulk_create(
        Assignment(personnel=p, mission=world.mission_a, start_date=date(2023, 1, 1))
        for p in people
    )
    return "/api/v1/personnel/?mission=MINUSCA"


def _seed_missions(world, n):
    for _ in range(n):
        mission = Mission.objects.create(acronym=f"QCM{next(_serial)}", name_en="Test mission")
        mission.host_countries.add(world.host_a)
        mission.components.add(world.mission_a)
    return "/api/v1/missions/?q=QCM"


def _seed_countries(world, n):
    Country.objects.bulk_create(
        Country(iso3=f"Q{next(_serial):02d}"[-3:], name_en="Querytestland", name_fr="Q")
        for _ in range(n)
    )
    return "/api/v1/countries/?q=Querytestland"


def _seed_armed_groups(world, n):
    for _ in range(n):
        group = ArmedGroup.objects.create(name=f"Querytest front {next(_serial)}")
        ArmedGroupAlias.objects.create(armed_group=group, alias=f"QF{group.pk}")
        group.countries.add(world.host_a)
    return f"/api/v1/armed-groups/?country_id={world.host_a.pk}"


# endpoint: (seed, total queries). "token" and "memberships" are queries 1 and 2 above.
ENDPOINTS = {
    # token, memberships, incidents (joined: mission, country, case link and case;
    # killed/injured counted in the same query), the page's perpetrators
    "incidents": (_seed_incidents, 4),
    # token, memberships, casualties (joined: incident, nationality, peacekeeper)
    "casualties": (_seed_casualties, 3),
    # token, memberships, cases (joined: mission, host State; impunity as EXISTS),
    # incident references
    "cases": (_seed_cases, 4),
    # token, memberships, investigations (joined: case)
    "investigations": (_seed_investigations, 3),
    # token, memberships, suspects (joined: case, armed group, nationality)
    "suspects": (_seed_suspects, 3),
    # token, memberships, follow-ups (joined: case)
    "follow-ups": (_seed_follow_ups, 3),
    # token, memberships, capacity support (joined: host State, mission), case references
    "capacity-support": (_seed_capacity_support, 4),
    # token, memberships, personnel (joined: countries; the names rule as an EXISTS)
    "personnel": (_seed_personnel, 3),
    # token, missions, host countries, components (reference data: no scope to compute)
    "missions": (_seed_missions, 4),
    # token, countries (reference data)
    "countries": (_seed_countries, 2),
    # token, armed groups, aliases, countries (reference data)
    "armed-groups": (_seed_armed_groups, 4),
}


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"page_size": 500})
    assert response.status_code == 200, response.content
    return len(queries), len(response.json()["results"]), queries


@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
def test_the_list_costs_the_same_queries_for_10_rows_as_for_100(client_for, world, endpoint):
    seed, expected = ENDPOINTS[endpoint]
    client = client_for("legal_a")

    url = seed(world, 10)
    few, rows_few, _ = _count(client, url)
    seed(world, 90)
    many, rows_many, queries = _count(client, url)

    assert rows_many - rows_few == 90, (rows_few, rows_many)
    assert few == many == expected, [q["sql"] for q in queries]
