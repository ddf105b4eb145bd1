"""The countries and missions shipped with the project, checked against the UN's own files."""

import csv
from datetime import date
from decimal import Decimal

import pytest

from missions.importers import COUNTRIES_JSON, MISSIONS_JSON, read_reference_json
from missions.models import Country, Mission
from missions.services import reference_data_load
from peacekeeping.models import AuditEntry

SHIPPED_MISSIONS = {record["acronym"]: record for record in read_reference_json(MISSIONS_JSON)}
SHIPPED_COUNTRIES = {record["iso3"]: record for record in read_reference_json(COUNTRIES_JSON)}


def _checked_list(shared_data_dir) -> list[dict[str, str]]:
    with (shared_data_dir / "missions.csv").open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _date(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


def _coordinate(value: str) -> Decimal | None:
    return Decimal(value) if value else None


def test_every_operation_of_the_checked_list_is_shipped(shared_data_dir):
    checked = {row["acronym"] for row in _checked_list(shared_data_dir)}

    assert checked - set(SHIPPED_MISSIONS) == set()


@pytest.mark.parametrize(
    "column, field, convert",
    [
        ("host_iso3", "host_countries", lambda v: set(filter(None, v.split(";")))),
        ("start_date", "mandate_start", _date),
        ("end_date", "mandate_end", _date),
        ("active", "active", lambda v: v.lower() == "yes"),
        ("is_aggregate", "is_aggregate", lambda v: v.lower() == "yes"),
        ("hq_latitude", "hq_latitude", _coordinate),
        ("hq_longitude", "hq_longitude", _coordinate),
    ],
)
def test_shipped_missions_agree_with_the_checked_list(shared_data_dir, column, field, convert):
    disagreements = {}
    for row in _checked_list(shared_data_dir):
        shipped = SHIPPED_MISSIONS[row["acronym"]][field]
        if field == "host_countries":
            shipped = set(shipped)
        if shipped != convert(row[column]):
            disagreements[row["acronym"]] = (row[column], shipped)

    assert disagreements == {}


def test_every_nationality_code_of_the_un_fatalities_file_is_a_known_country(shared_data_dir):
    path = shared_data_dir / "odp_noticas.csv"
    with path.open(encoding="utf-8-sig", newline="") as f:
        codes = {(row["ISOCode3"], row["M49_Code"]) for row in csv.DictReader(f)}

    unknown = {iso3 for iso3, _ in codes if iso3 and iso3 not in SHIPPED_COUNTRIES}
    wrong_m49 = {
        iso3
        for iso3, m49 in codes
        if iso3 in SHIPPED_COUNTRIES and SHIPPED_COUNTRIES[iso3]["m49"] != m49.zfill(3)
    }
    assert unknown == set()
    assert wrong_m49 == set()


def test_every_host_country_of_a_shipped_mission_is_a_shipped_country():
    hosts = {iso3 for record in SHIPPED_MISSIONS.values() for iso3 in record["host_countries"]}

    assert hosts - set(SHIPPED_COUNTRIES) == set()


@pytest.mark.django_db
def test_migrate_loads_every_country_and_mission():
    assert Country.objects.count() == len(SHIPPED_COUNTRIES)
    assert Mission.objects.count() == len(SHIPPED_MISSIONS)
    kosovo = Country.objects.get(iso3="KSV")
    assert (kosovo.name_en, kosovo.name_fr, kosovo.m49) == ("Kosovo", "Kosovo", "")
    assert set(
        Mission.objects.get(acronym="UNMIK").host_countries.values_list("iso3", flat=True)
    ) == {
        "SRB",
        "KSV",
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "iso3, language",
    [("MLI", "fr"), ("CAF", "fr"), ("COD", "fr"), ("HTI", "fr"), ("SSD", "en"), ("SDN", "en")],
)
def test_states_are_written_to_in_their_working_language(iso3, language):
    assert Country.objects.get(iso3=iso3).working_language == language


@pytest.mark.django_db
@pytest.mark.parametrize(
    "aggregate, components",
    [
        ("UNEF", ["UNEF I", "UNEF II"]),
        ("UNAVEM", ["UNAVEM I", "UNAVEM II", "UNAVEM III"]),
        ("UNOSOM", ["UNOSOM I", "UNOSOM II"]),
    ],
)
def test_an_aggregate_code_lists_its_component_missions(aggregate, components):
    mission = Mission.objects.get(acronym=aggregate)

    assert mission.is_aggregate
    assert sorted(mission.components.values_list("acronym", flat=True)) == components


@pytest.mark.django_db
def test_missions_have_their_official_french_names():
    assert Mission.objects.get(acronym="MINUSMA").name_fr == (
        "Mission multidimensionnelle intégrée des Nations Unies pour la stabilisation au Mali"
    )
    assert Mission.objects.get(acronym="MONUSCO").name_fr == (
        "Mission de l'Organisation des Nations Unies pour la stabilisation en "
        "République démocratique du Congo"
    )


@pytest.mark.django_db
def test_loading_the_reference_data_again_changes_nothing():
    entries = AuditEntry.objects.count()

    result = reference_data_load()

    assert result == {
        "countries": {"created": 0, "updated": 0, "unchanged": len(SHIPPED_COUNTRIES)},
        "missions": {"created": 0, "updated": 0, "unchanged": len(SHIPPED_MISSIONS)},
    }
    assert AuditEntry.objects.count() == entries


@pytest.mark.django_db
def test_loading_the_reference_data_restores_what_was_edited_and_audits_the_load():
    Country.objects.filter(iso3="MLI").update(name_fr="Soudan français", working_language="en")
    Mission.objects.get(acronym="UNIFIL").host_countries.clear()
    Mission.objects.filter(acronym="BINUH").delete()

    result = reference_data_load()

    assert result["countries"] == {
        "created": 0,
        "updated": 1,
        "unchanged": len(SHIPPED_COUNTRIES) - 1,
    }
    assert result["missions"] == {
        "created": 1,
        "updated": 1,
        "unchanged": len(SHIPPED_MISSIONS) - 2,
    }
    mali = Country.objects.get(iso3="MLI")
    assert (mali.name_fr, mali.working_language) == ("Mali", "fr")
    assert list(
        Mission.objects.get(acronym="UNIFIL").host_countries.values_list("iso3", flat=True)
    ) == ["LBN"]
    assert Mission.objects.get(acronym="BINUH").host_countries.get().iso3 == "HTI"
    loads = AuditEntry.objects.filter(action="reference_data.load").order_by("id")
    assert [entry.changes["file"] for entry in loads] == ["countries.json", "missions.json"]
    assert loads[1].actor_name == "system"


@pytest.mark.django_db
def test_loading_the_reference_data_removes_the_links_it_does_not_list():
    unifil = Mission.objects.get(acronym="UNIFIL")
    unifil.host_countries.add(Country.objects.get(iso3="MLI"))
    unifil.components.add(Mission.objects.get(acronym="MINUSMA"))

    result = reference_data_load()

    assert result["missions"]["updated"] == 1
    assert list(unifil.host_countries.values_list("iso3", flat=True)) == ["LBN"]
    assert not unifil.components.exists()
