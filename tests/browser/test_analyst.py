"""An analyst in a real browser: filters, the statistics page, the map drawn over the
vendored Natural Earth boundaries with no request leaving the site; names masked, and
another mission's case refused."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PAGE_BUDGET_BYTES
from tests.browser.test_field_logging import axe_here
from tests.factories import IncidentFactory
from tests.personas import build_world
from tests.ui_cases.helpers import located

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def people():
    world = build_world()
    located(world.incident_a, 4.3947, 18.5582)  # Bangui
    located(world.incident_b, -1.6792, 29.2228)  # Goma: mission B, out of analyst_a's scope
    return world


def _within_budget(weight: dict) -> None:
    assert weight["bytes_compressed"] <= PAGE_BUDGET_BYTES, weight


def test_an_analyst_filters_reads_the_statistics_and_maps_the_incidents_offline(
    people, live_server, page, login, screenshot, page_weight, console_errors
):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    login(page, live_server, "analyst_a")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Statistics").click()
    expect(page.get_by_role("heading", name="Statistics", exact=True)).to_be_visible()
    filters = page.get_by_role("form", name="Filter the incidents and cases")
    filters.get_by_label("Mission").select_option("MINUSCA")
    filters.get_by_label("Incident type").select_option("malicious_act")
    filters.get_by_label("Outcome").select_option("killed")
    filters.get_by_role("button", name="Apply").click()

    assert "mission=MINUSCA" in page.url and "incident_type=malicious_act" in page.url
    expect(filters.get_by_label("Mission")).to_have_value("MINUSCA")
    for chart in ("chart-year-title", "chart-mission-title", "chart-type-title"):
        expect(page.locator(f'svg[role="img"][aria-labelledby^="{chart}"]')).to_be_visible()
    figures = page.locator("#totals")
    expect(figures).to_contain_text("Incidents")
    expect(page.locator("#chart-mission")).to_contain_text("MINUSCA")
    expect(page.locator("#chart-mission")).not_to_contain_text("MONUSCO")
    screenshot(page, "analyst-statistics")
    _within_budget(page_weight(page, page.url, "statistics"))

    page.get_by_role("link", name="Show these incidents on the map").click()
    expect(page.get_by_role("heading", name="Map of incidents")).to_be_visible()
    area = page.locator("#incident-map")
    expect(area).to_have_attribute("data-boundaries", "loaded")
    expect(area).to_have_attribute("data-incidents", "1")
    # Natural Earth's countries, drawn as SVG paths from the vendored TopoJSON.
    assert page.locator(".leaflet-overlay-pane path").count() > 150
    expect(page.get_by_role("status").filter(has_text="incidents on the map")).to_be_visible()
    page.locator(".leaflet-overlay-pane path.leaflet-interactive").last.click(force=True)
    expect(page.locator(".leaflet-popup")).to_contain_text(people.incident_a.reference)
    screenshot(page, "analyst-map")
    _within_budget(page_weight(page, page.url, "map"))

    # Offline: every request went to this site (data: URLs never reach a network).
    site = urlsplit(live_server.url).netloc
    hosts = {urlsplit(url).netloc for url in requested if not url.startswith("data:")}
    assert hosts == {site}, hosts
    assert any("/static/vendor/world-atlas/countries-110m.json" in url for url in requested)
    assert [e for e in console_errors if "favicon" not in e] == []


def test_an_analyst_reads_a_case_with_names_masked_and_may_not_reach_another_missions(
    people, live_server, page, login, screenshot
):
    login(page, live_server, "analyst_a")

    page.goto(f"{live_server.url}{people.case_a.get_absolute_url()}")
    suspects = page.locator("#suspects")
    expect(suspects).to_contain_text("███")
    expect(suspects).not_to_contain_text(people.suspect_a.name)
    expect(suspects.locator("form")).to_have_count(0)
    screenshot(page, "analyst-case-masked")

    response = page.goto(f"{live_server.url}{people.case_b.get_absolute_url()}")
    assert response.status == 404


def test_the_map_clusters_crowded_points_and_counts_the_incidents_without_coordinates(
    people, live_server, page, login, screenshot, page_weight, console_errors
):
    # Five attacks within a few kilometres of Bangui, two without coordinates in the
    # Central African Republic, one in the DR Congo (out of analyst_a's scope).
    for i in range(5):
        IncidentFactory(
            mission=people.mission_a,
            country=people.host_a,
            latitude=4.36 + i / 500,
            longitude=18.55 + i / 500,
            incident_type="malicious_act",
        )
    IncidentFactory(mission=people.mission_a, country=people.host_a)
    IncidentFactory(mission=people.mission_a, country=people.host_a, admin_area="ouaka ")
    IncidentFactory(mission=people.mission_b, country=people.host_b)
    login(page, live_server, "analyst_a")

    page.goto(f"{live_server.url}/cases/map/?mission=MINUSCA")
    area = page.locator("#incident-map")
    expect(area).to_have_attribute("data-incidents", "6")
    expect(area).to_have_attribute("data-unlocated-countries", "1")
    # One numbered circle for the crowd around Bangui, not six dots on top of each other.
    cluster = page.locator(".marker-cluster")
    expect(cluster).to_have_count(1)
    expect(cluster).to_have_text("6")
    # The two without coordinates, on the Central African Republic; nothing on the Congo.
    count = page.locator(".map-count")
    expect(count).to_have_count(1)
    expect(count).to_have_text("2")
    expect(count).to_have_attribute("data-unlocated", "CAF")
    expect(page.locator("#unlocated")).to_contain_text("Central African Republic")
    expect(page.get_by_role("heading", name="Legend")).to_be_visible()
    screenshot(page, "analyst-map-clusters")
    assert axe_here(page) == []

    # Zoomed in, the one whose administrative area is known is counted on that area (its
    # file fetched only now), the other stays on the country.
    page.get_by_role("button", name="Zoom in").click()
    expect(area).to_have_attribute("data-unlocated-areas", "1", timeout=10000)
    expect(page.locator('.map-count[data-unlocated="CAF:ouaka"]')).to_have_text("1")
    expect(page.locator('.map-count[data-unlocated="CAF"]')).to_have_text("1")
    screenshot(page, "analyst-map-areas")

    # Selected, the crowd opens into its six incidents (and the legs that tie them).
    page.wait_for_timeout(500)  # the fit's zoom animation
    cluster.first.click()
    dots = page.locator('.leaflet-overlay-pane path.leaflet-interactive:not([fill="none"])')
    expect(dots).to_have_count(6, timeout=10000)
    _within_budget(page_weight(page, page.url, "map-clusters"))
    assert [e for e in console_errors if "favicon" not in e] == []
