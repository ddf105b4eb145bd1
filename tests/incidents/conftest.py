"""Fixtures of the incidents tests: a clerk, Mali and a mission hosted there; the
reference data and the files of the UN fatalities importer's tests."""

import codecs

import pytest

from missions.models import Country, Mission
from tests.factories import CountryFactory, MissionFactory, UserFactory
from tests.incidents.un_file import COUNTRIES, HEADER, MISSIONS


@pytest.fixture
def actor():
    return UserFactory(username="clerk")


@pytest.fixture
def mali():
    return CountryFactory(iso3="MLI")


@pytest.fixture
def mission(mali):
    return MissionFactory(acronym="TESTMALI", host_countries=[mali])


@pytest.fixture
def reference(db):
    """The countries and missions these files name (the reference data, when loaded)."""
    for iso3, m49, name in COUNTRIES:
        Country.objects.get_or_create(
            iso3=iso3, defaults={"m49": m49, "name_en": name, "name_fr": name}
        )
    for acronym, (start, end, hosts, aggregate) in MISSIONS.items():
        mission, created = Mission.objects.get_or_create(
            acronym=acronym,
            defaults={
                "name_en": acronym,
                "mandate_start": start,
                "mandate_end": end,
                "is_aggregate": aggregate,
            },
        )
        if created:
            mission.host_countries.set(Country.objects.filter(iso3__in=hosts))


@pytest.fixture
def write_file(tmp_path):
    """Write rows as the UN does: UTF-8 with a BOM, CRLF line ends, no final newline."""
    counter = iter(range(1, 1000))

    def write(rows: list[list[str]]):
        path = tmp_path / f"odp_noticas_{next(counter)}.csv"
        lines = [HEADER, *(",".join(row) for row in rows)]
        path.write_bytes(codecs.BOM_UTF8 + "\r\n".join(lines).encode())
        return path

    return write
