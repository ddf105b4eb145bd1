"""The incident map: vendored Leaflet over Natural Earth boundaries, no third-party
request unless a tile server is configured, and GeoJSON of the filtered incidents in scope."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import CasualtyFactory, IncidentFactory, MissionFactory
from tests.ui_cases.helpers import located

ROOT = Path(__file__).resolve().parents[2]
MAP = reverse("accountability:incident_map")
DATA = reverse("accountability:incident_map_data")


@pytest.fixture
def placed(world):
    """Both world incidents with coordinates (Bangui, Goma)."""
    return located(world.incident_a, 4.3947, 18.5582), located(world.incident_b, -1.6792, 29.2228)


def references(response) -> set[str]:
    assert response["Content-Type"] == "application/geo+json"
    return {feature["properties"]["reference"] for feature in response.json()["features"]}


@pytest.mark.django_db
def test_the_map_data_holds_only_the_incidents_in_scope(world, client_as, placed):
    a, b = world.incident_a.reference, world.incident_b.reference

    assert references(client_as(world.users["analyst_a"]).get(DATA)) == {a}
    assert references(client_as(world.users["staff_b"]).get(DATA)) == {b}
    assert references(client_as(world.users["liaison_fr"]).get(DATA)) == {b}
    assert references(client_as(world.users["admin"]).get(DATA)) == {a, b}
    assert client_as(world.users["liaison_other"]).get(DATA).json()["features"] == []


@pytest.mark.django_db
def test_the_map_data_follows_the_filters_and_skips_incidents_without_coordinates(
    world, client_as, placed
):
    IncidentFactory(mission=world.mission_a, country=world.host_a)  # no coordinates
    client = client_as(world.users["admin"])

    response = client.get(DATA, {"mission": "MONUSCO"})
    feature = response.json()["features"][0]

    assert references(response) == {world.incident_b.reference}
    assert feature["geometry"] == {"type": "Point", "coordinates": [29.2228, -1.6792]}
    assert feature["properties"]["killed"] == 1
    assert feature["properties"]["url"] == world.incident_b.get_absolute_url()
    assert references(client.get(DATA, {"stage": "verdict"})) == set()
    assert len(references(client.get(DATA))) == 2


@pytest.mark.django_db
def test_the_map_data_costs_the_same_queries_for_10_or_100_incidents(world, client_as):
    """6 queries: session, user, memberships (scope), one for the incidents with their
    mission joined and their killed and injured counted by annotation, and one for the
    incidents without coordinates counted by country (grouped by the database)."""
    client = client_as(world.users["analyst_all"])
    mission = MissionFactory(acronym="TESTMAP")
    countries = [world.host_a, world.host_b]

    def add(n):
        for i in range(n):
            incident = IncidentFactory(mission=mission, latitude=4 + i / 100, longitude=18)
            CasualtyFactory(incident=incident)
            IncidentFactory(mission=mission, country=countries[i % 2])  # no coordinates

    add(10)
    with CaptureQueriesContext(connection) as with_10:
        data = client.get(DATA, {"mission": "TESTMAP"}).json()
        assert len(data["features"]) == 10
        assert sum(row["count"] for row in data["unlocated"]) == 10
    add(90)
    with CaptureQueriesContext(connection) as with_100:
        data = client.get(DATA, {"mission": "TESTMAP"}).json()
        assert len(data["features"]) == 100
        assert sum(row["count"] for row in data["unlocated"]) == 100

    assert len(with_10) == len(with_100) <= 7


@pytest.mark.django_db
def test_incidents_without_coordinates_are_counted_by_country_within_scope_and_filters(
    world, client_as, placed
):
    IncidentFactory(mission=world.mission_a, country=world.host_a, admin_area="Ouaka")
    IncidentFactory(mission=world.mission_a, country=world.host_a)
    IncidentFactory(mission=world.mission_b, country=world.host_b)
    IncidentFactory(mission=world.mission_a, country=None)

    def unlocated(user, **params):
        rows = client_as(world.users[user]).get(DATA, params).json()["unlocated"]
        return [(row["iso3"], row["count"]) for row in rows]

    assert unlocated("admin") == [(world.host_a.iso3, 2), (world.host_b.iso3, 1), ("", 1)]
    assert unlocated("analyst_a") == [(world.host_a.iso3, 2), ("", 1)]
    assert unlocated("admin", mission=world.mission_b.acronym) == [(world.host_b.iso3, 1)]
    row = client_as(world.users["admin"]).get(DATA).json()["unlocated"][0]
    assert row["m49"] == world.host_a.m49 and row["name"] == world.host_a.name_en
    # Within a country, by the administrative area typed (the map counts them on it).
    assert row["areas"] == [{"name": "Ouaka", "count": 1}]


@pytest.mark.django_db
def test_the_map_page_lists_the_incidents_without_coordinates_and_explains_its_legend(
    world, client_as, placed
):
    IncidentFactory(mission=world.mission_a, country=world.host_a)
    IncidentFactory(mission=world.mission_a, country=None)

    html = client_as(world.users["analyst_a"]).get(MAP).content.decode()

    table = html[html.index('id="unlocated"') :]
    assert "Incidents without coordinates, by country" in table
    assert re.search(rf"<td>{world.host_a.name_en}</td>\s*<td class=\"num\">1</td>", table)
    assert re.search(r"<td>No country given</td>\s*<td class=\"num\">1</td>", table)
    assert "Legend" in html and "Several incidents close together" in html


@pytest.mark.django_db
def test_the_map_page_loads_only_files_of_this_site(world, client_as):
    html = client_as(world.users["analyst_a"]).get(MAP).content.decode()

    for asset in (
        "vendor/leaflet/leaflet.js",
        "vendor/leaflet/leaflet.css",
        "vendor/topojson/topojson-client.min.js",
        "vendor/leaflet.markercluster/leaflet.markercluster.js",
        "vendor/leaflet.markercluster/MarkerCluster.css",
        "vendor/world-atlas/countries-110m.json",
        "js/map.js",
    ):
        assert f"{settings.STATIC_URL}{asset}" in html or f"/{settings.STATIC_URL}{asset}" in html
        assert (ROOT / "static" / asset).is_file()
    assert 'data-tile-url=""' in html
    # Every script and stylesheet comes from this site.
    sources = re.findall(r'<script[^>]* src="([^"]+)"', html)
    sources += re.findall(r'<link[^>]* href="([^"]+)"', html)
    assert sources and all(source.startswith(("/", "data:")) for source in sources), sources


@pytest.mark.django_db
def test_a_configured_tile_server_is_handed_to_the_map(world, client_as, settings):
    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"

    html = client_as(world.users["analyst_a"]).get(MAP).content.decode()

    assert 'data-tile-url="https://tiles.example.org/{z}/{x}/{y}.png"' in html


def test_the_vendored_files_are_pinned_in_package_json():
    package = json.loads((ROOT / "static" / "vendor" / "package.json").read_text())
    lock = json.loads((ROOT / "static" / "vendor" / "package-lock.json").read_text())

    for name in ("leaflet", "world-atlas", "topojson-client", "leaflet.markercluster"):
        assert name in package["dependencies"]
        assert lock["packages"][f"node_modules/{name}"]["version"] == package["dependencies"][name]
    countries = json.loads((ROOT / "static/vendor/world-atlas/countries-110m.json").read_text())
    assert len(countries["objects"]["countries"]["geometries"]) > 150


def settings_with(**env) -> subprocess.CompletedProcess:
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.SECURE_CSP['img-src'])"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "peacekeeping.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_tile_server_is_allowed_by_the_csp_only_when_configured():
    unset = settings_with(MAP_TILE_URL="")
    tiles = settings_with(MAP_TILE_URL="https://{s}.tiles.example.org/{z}/{x}/{y}.png")

    assert "example.org" not in unset.stdout
    assert "'https://*.tiles.example.org'" in tiles.stdout, tiles.stderr


@pytest.mark.parametrize(
    "value", ["ftp://tiles.example.org/{z}/{x}/{y}.png", "https://tiles.example.org/"]
)
def test_a_malformed_tile_server_stops_start_up_naming_the_variable(value):
    result = settings_with(MAP_TILE_URL=value)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "MAP_TILE_URL" in result.stderr


@pytest.mark.django_db
def test_the_incident_list_links_to_the_map_of_the_same_incidents(world, client_as, placed):
    """The list's query string is the map's: the same filters, the same scope."""
    client = client_as(world.users["admin"])
    query = {"mission": "MONUSCO", "status": "submitted", "q": "", "page_size": "50"}

    html = client.get(reverse("incidents:incident_list"), query).content.decode()
    link = re.search(r'href="(/cases/map/\?[^"]*)">Show these incidents on the map', html)

    assert link, "the list links to the map"
    url = link.group(1).replace("&amp;", "&")
    assert "mission=MONUSCO" in url and "status=submitted" in url and "page_size" not in url
    page = client.get(url)
    assert page.status_code == 200 and b"Not understood" not in page.content
    data_url = url.replace(MAP, DATA)
    assert references(client.get(data_url)) == {world.incident_b.reference}
