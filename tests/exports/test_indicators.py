"""The resolution 2589 indicators, per mission and per host State, as of any date: each
figure as defined in the README, only what is dated on or before the as-of date, so the
same date always gives the same table."""

import hashlib
from datetime import UTC, date, datetime, time, timedelta

import pytest

from accountability.choices import InvestigatingAuthority, ProcedureStepKind
from accountability.exports.indicators import impunity_as_of, indicator_table
from accountability.models import Case
from accountability.services import (
    case_open,
    investigation_open,
    procedure_record_step,
    suspect_identify,
)
from incidents.choices import AttackType, IncidentType, Outcome
from incidents.services import casualty_add, incident_record, incident_submit
from missions.choices import Role
from missions.models import Country, Mission
from missions.services import membership_grant
from tests.exports.conftest import READERS, body_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

K = ProcedureStepKind
T = date.today()
SOURCE = "Procès-verbal"


def ago(days: int) -> date:
    return T - timedelta(days=days)


def attack(actor, mission, host, *, days: int, killed: int, kind=IncidentType.MALICIOUS_ACT):
    incident = incident_record(
        actor=actor,
        mission=mission,
        occurred_at=datetime.combine(ago(days), time(10), UTC),
        incident_type=kind,
        attack_type=AttackType.IED if kind == IncidentType.MALICIOUS_ACT else "",
        country=host,
        sources="Flash report",
    )
    for _ in range(killed):
        casualty_add(
            actor=actor,
            incident=incident,
            category="military_contingent",
            nationality=host,
            outcome=Outcome.KILLED,
        )
    incident_submit(actor=actor, incident=incident)
    if kind != IncidentType.MALICIOUS_ACT:
        return None
    return Case.objects.filter(case_incidents__incident=incident).first() or case_open(
        actor=actor, incidents=[incident]
    )


def step(actor, suspect, kind, days):
    procedure_record_step(
        actor=actor, suspect=suspect, kind=kind, occurred_on=ago(days), source=SOURCE
    )


@pytest.fixture
def scene(db):
    """MINUSCA (CAF): an attack 400 days ago (2 killed), investigated in time, its suspect
    arrested, charged, tried and convicted 100 days ago; an accident (not counted); an
    old attack (600 days) left without investigation. MONUSCO (COD): an attack 500 days
    ago, no investigation."""
    admin = UserFactory(username="indicators_admin", is_superuser=True)
    minusca, monusco = (
        Mission.objects.get(acronym="MINUSCA"),
        Mission.objects.get(acronym="MONUSCO"),
    )
    caf, cod = Country.objects.get(iso3="CAF"), Country.objects.get(iso3="COD")
    tried = attack(admin, minusca, caf, days=400, killed=2)
    investigation_open(
        actor=admin,
        case=tried,
        authority=InvestigatingAuthority.PROSECUTOR,
        opened_on=ago(380),
        source=SOURCE,
    )
    suspect = suspect_identify(
        actor=admin, case=tried, name="Abdou GARBA", identified_on=ago(370), source=SOURCE
    )
    step(admin, suspect, K.ARRESTED, 360)
    step(admin, suspect, K.CHARGED, 300)
    step(admin, suspect, K.TRIAL_OPENED, 200)
    step(admin, suspect, K.CONVICTED, 100)
    attack(admin, minusca, caf, days=300, killed=1, kind=IncidentType.ACCIDENT)
    forgotten = attack(admin, minusca, caf, days=600, killed=1)
    congo = attack(admin, monusco, cod, days=500, killed=1)
    analyst = UserFactory(username="indicators_analyst_caf")
    membership_grant(actor=admin, user=analyst, role=Role.ANALYST, country=caf)
    return {"admin": admin, "analyst": analyst, "forgotten": forgotten, "congo": congo, "caf": caf}


def figures(table) -> dict:
    return {
        (row.grouping, row.code): tuple(row.values.values())
        for row in [*table.by_mission, *table.by_host_state, table.total]
    }


# (fatalities, investigations, detained, trials, convictions, impunity)
def test_the_figures_today(scene):
    table = indicator_table(scene["admin"], as_of=T)

    assert figures(table) == {
        ("mission", "MINUSCA"): (3, 1, 1, 1, 1, 1),
        ("mission", "MONUSCO"): (1, 0, 0, 0, 0, 1),
        ("host_state", "CAF"): (3, 1, 1, 1, 1, 1),
        ("host_state", "COD"): (1, 0, 0, 0, 0, 1),
        ("total", ""): (4, 1, 1, 1, 1, 2),
    }


def test_the_figures_as_of_earlier_dates_count_only_what_was_dated_by_then(scene):
    before_the_trial = figures(indicator_table(scene["admin"], as_of=ago(250)))
    before_the_attack = figures(indicator_table(scene["admin"], as_of=ago(450)))

    assert before_the_trial[("mission", "MINUSCA")] == (3, 1, 1, 0, 0, 1)
    assert before_the_trial[("mission", "MONUSCO")] == (1, 0, 0, 0, 0, 1)
    # 450 days ago: the CAF attack of 400 days had not happened; the Congo attack of 500
    # days was 50 days old (not yet past the 90 days for an investigation).
    assert before_the_attack[("mission", "MINUSCA")] == (1, 0, 0, 0, 0, 1)
    assert before_the_attack[("mission", "MONUSCO")] == (1, 0, 0, 0, 0, 0)


def test_the_same_as_of_date_gives_the_same_table_whatever_is_recorded_later(scene, client):
    admin = scene["admin"]
    client.force_login(admin)
    as_of = ago(250)
    first = indicator_table(admin, as_of=as_of)
    first_csv = body_of(client.get("/exports/indicators/", {"as_of": as_of, "format": "csv"}))

    # Later: the forgotten case is finally investigated and its suspect convicted; the
    # Congo case gets an investigation; a new attack kills two more.
    forgotten = scene["forgotten"]
    investigation_open(
        actor=admin, case=forgotten, authority="police", opened_on=ago(20), source=SOURCE
    )
    late = suspect_identify(
        actor=admin, case=forgotten, name="Late SUSPECT", identified_on=ago(20), source=SOURCE
    )
    for kind, days in ((K.ARRESTED, 15), (K.CHARGED, 10), (K.TRIAL_OPENED, 5), (K.CONVICTED, 1)):
        step(admin, late, kind, days)
    investigation_open(
        actor=admin, case=scene["congo"], authority="police", opened_on=ago(3), source=SOURCE
    )
    attack(admin, Mission.objects.get(acronym="MINUSCA"), scene["caf"], days=2, killed=2)
    # The stored flags now describe today; the rule as of the past day replays the rows
    # dated up to it, wherever it is called from (accountability/impunity.py).
    forgotten.refresh_from_db()
    assert forgotten.has_conviction
    assert Case.objects.impunity(as_of=as_of).filter(pk=forgotten.pk).exists()
    assert not Case.objects.impunity().filter(pk=forgotten.pk).exists()

    again = indicator_table(admin, as_of=as_of)
    again_csv = body_of(client.get("/exports/indicators/", {"as_of": as_of, "format": "csv"}))

    assert figures(again) == figures(first)
    assert hashlib.sha256(again_csv).hexdigest() == hashlib.sha256(first_csv).hexdigest()
    assert figures(indicator_table(admin, as_of=T)) != figures(first)


def test_as_of_today_the_impunity_rule_is_the_cases_own(scene):
    rebuilt = set(impunity_as_of(Case.objects.all(), as_of=T).values_list("pk", flat=True))

    assert rebuilt == set(Case.objects.impunity(as_of=T).values_list("pk", flat=True))
    assert rebuilt == {scene["forgotten"].pk, scene["congo"].pk}


def test_the_indicators_stay_in_the_users_scope(scene):
    table = indicator_table(scene["analyst"], as_of=T)

    assert {(row.grouping, row.code) for row in table.rows()} == {
        ("mission", "MINUSCA"),
        ("host_state", "CAF"),
        ("total", ""),
    }


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_the_indicators_export_like_any_list(scene, client, fmt):
    client.force_login(scene["admin"])

    response = client.get("/exports/indicators/", {"as_of": ago(250).isoformat(), "format": fmt})

    rows = READERS[fmt](body_of(response))
    minusca = next(r for r in rows if r["code"] == "MINUSCA")
    assert [int(minusca[k]) for k in ("fatalities", "trials", "impunity_cases")] == [3, 0, 1]
    assert response["X-Export-Filters"] == f"as_of={ago(250).isoformat()}"


def test_the_indicators_page_shows_the_table_and_refuses_a_future_date(scene, client):
    client.force_login(scene["admin"])

    page = client.get("/exports/indicators/", {"as_of": ago(250).isoformat()})
    future = client.get("/exports/indicators/", {"as_of": (T + timedelta(days=1)).isoformat()})
    api = client.get("/api/v1/exports/indicators/", {"as_of": ago(250).isoformat()})

    assert page.status_code == 200
    assert "MINUSCA" in page.content.decode() and "COD" in page.content.decode()
    assert future.status_code == 400
    rows = {(r["grouping"], r["code"]): r["values"] for r in api.json()["rows"]}
    assert rows[("mission", "MONUSCO")]["impunity_cases"] == 1
