"""The map picker of the incident form: tap, drag or type; the precision as a circle."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.test_field_logging import FORM, _fill, axe_here
from tests.personas import build_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def people():
    return build_world()


def _circle_width(page) -> float:
    return page.locator(".picker-map path.picker-circle").bounding_box()["width"]


def _open_map(page):
    page.get_by_role("button", name="Place it on the map").click()
    picker = page.locator("[data-picker-map]")
    expect(picker).to_be_visible()
    expect(picker).to_have_attribute("data-boundaries", "loaded")
    return picker


def test_a_tap_on_the_map_fills_the_coordinates_and_typing_moves_the_marker(
    people, live_server, page, login, screenshot, console_errors
):
    login(page, live_server, "staff_a")
    page.goto(f"{live_server.url}{FORM}")
    picker = _open_map(page)
    screenshot(page, "location-picker-open")
    # It opens on the mission's host country (MINUSCA: the Central African Republic).
    page.get_by_role("button", name="Put the marker at the map's centre").click()
    assert 2 < float(page.locator("#id_latitude").input_value()) < 11.5
    assert 14 < float(page.locator("#id_longitude").input_value()) < 28

    box = picker.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.4)

    latitude = page.locator("#id_latitude").input_value()
    longitude = page.locator("#id_longitude").input_value()
    assert latitude and longitude
    assert -90 <= float(latitude) <= 90 and -180 <= float(longitude) <= 180
    expect(page.locator("[data-picker-status]")).to_contain_text(f"{latitude}, {longitude}")
    expect(picker.locator(".leaflet-marker-icon")).to_have_count(1)

    # Typed coordinates move the marker; a coarser precision draws a wider circle.
    page.locator("#id_latitude").fill("5.76200")
    page.locator("#id_longitude").fill("20.66900")
    page.locator("#id_longitude").dispatch_event("change")
    page.locator("#id_location_precision").select_option("exact")
    exact = _circle_width(page)
    page.locator("#id_location_precision").select_option("admin_area")
    page.wait_for_function(
        """(exact) => document.querySelector(".picker-map path.picker-circle")
            .getBoundingClientRect().width > exact * 10""",
        arg=exact,
    )
    screenshot(page, "location-picker")
    assert axe_here(page) == []

    # The marker at the map's centre, for keyboard users.
    page.get_by_role("button", name="Put the marker at the map's centre").click()
    assert page.locator("#id_latitude").input_value() != ""
    assert console_errors == []


def test_a_place_tapped_on_a_phone_while_offline_arrives_once_where_it_was_tapped(
    people, live_server, browser, login, tmp_path
):
    context = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True)
    page = context.new_page()
    staff = people.users["staff_a"]
    evidence = tmp_path / "photo-note.txt"
    evidence.write_text("Photos of the burnt vehicle, taken at 07:10.")
    login(page, live_server, "staff_a")
    page.goto(f"{live_server.url}{FORM}")
    page.wait_for_function(
        """async (name) => Boolean(await (await caches.open(name)).match("/incidents/new/"))""",
        arg=f"pk-pages-{staff.pk}",
        timeout=20000,
    )
    _fill(page, evidence, place="Ouaka bridge")
    page.locator("#id_location_precision").select_option("approximate")
    picker = _open_map(page)
    picker.scroll_into_view_if_needed()
    box = picker.bounding_box()
    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    latitude = Decimal(page.locator("#id_latitude").input_value())
    longitude = Decimal(page.locator("#id_longitude").input_value())
    # The country's places, fetched for the suggestion, are kept for offline use.
    page.wait_for_function(
        """async () => {
            for (const name of await caches.keys()) {
                const cache = await caches.open(name);
                for (const request of await cache.keys()) {
                    if (request.url.includes("/vendor/places/CAF")) { return true; }
                }
            }
            return false;
        }""",
        timeout=20000,
    )

    context.set_offline(True)
    page.get_by_role("button", name="Save and submit").click()
    expect(page.locator("#outbox")).to_contain_text("1 incident waiting to be sent")
    context.set_offline(False)
    expect(page.locator("#outbox")).to_be_hidden(timeout=20000)

    from incidents.models import Incident

    incident = Incident.objects.get(place="Ouaka bridge")
    assert (incident.latitude, incident.longitude) == (latitude, longitude)
    assert incident.location_precision == "approximate"
    context.close()


def test_the_marker_suggests_the_nearest_place_and_its_admin_area_and_keeps_what_was_typed(
    people, live_server, page, login, screenshot, console_errors
):
    login(page, live_server, "staff_a")
    page.goto(f"{live_server.url}{FORM}")
    _open_map(page)
    suggestion = page.locator("[data-picker-suggestion]")

    # Typed coordinates in Bangui: the place and the admin area are filled in, editable.
    page.locator("#id_latitude").fill("4.36500")
    page.locator("#id_longitude").fill("18.56000")
    page.locator("#id_longitude").dispatch_event("change")
    expect(page.locator("#id_place")).to_have_value("Bangui")
    expect(page.locator("#id_admin_area")).to_have_value("Bangui")
    expect(suggestion).to_contain_text("Filled in from the map: Bangui, Bangui.")
    expect(page.locator(".picker-map path.picker-area")).to_have_count(1)  # outlined
    screenshot(page, "location-picker-suggestion")

    # Moved to near Bambari: the suggestion follows, since the clerk typed nothing.
    page.locator("#id_latitude").fill("5.90000")
    page.locator("#id_longitude").fill("20.70000")
    page.locator("#id_longitude").dispatch_event("change")
    expect(page.locator("#id_place")).to_have_value("Bambari (15 km N)")
    expect(page.locator("#id_admin_area")).to_have_value("Ouaka")

    # What the clerk types is never overwritten: the suggestion is offered instead.
    page.locator("#id_place").fill("Ouaka bridge")
    page.locator("#id_latitude").fill("5.76800")
    page.locator("#id_longitude").fill("20.67600")
    page.locator("#id_longitude").dispatch_event("change")
    expect(suggestion).to_contain_text("Suggested from the map: Bambari, Ouaka.")
    expect(page.locator("#id_place")).to_have_value("Ouaka bridge")
    expect(page.locator("#id_admin_area")).to_have_value("Ouaka")
    page.get_by_role("button", name="Use the suggestion").click()
    expect(page.locator("#id_place")).to_have_value("Bambari")
    # The country's places and areas complete what is typed.
    assert page.locator("#place-suggestions option[value='Bangassou']").count() == 1
    assert page.locator("#admin-area-suggestions option[value='Ouaka']").count() == 1
    assert axe_here(page) == []
    assert console_errors == []


def test_the_suggestions_speak_french_to_a_french_reader(
    people, live_server, page, login, console_errors
):
    login(page, live_server, "staff_a")
    page.goto(f"{live_server.url}{FORM}")
    page.locator("header form.lang-switch").get_by_role("button", name="FR").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.locator("[data-picker-open]").click()
    expect(page.locator("[data-picker-map]")).to_have_attribute("data-boundaries", "loaded")

    # Goma, in the DR Congo: the province's French name, and the French sentence.
    page.locator("#id_latitude").fill("-1.67900")
    page.locator("#id_longitude").fill("29.22300")
    page.locator("#id_longitude").dispatch_event("change")
    expect(page.locator("#id_admin_area")).to_have_value("Nord-Kivu")
    expect(page.locator("#id_place")).to_have_value("Goma")
    expect(page.locator("[data-picker-suggestion]")).to_contain_text(
        "Rempli d’après la carte\u00a0: Goma, Nord-Kivu."
    )
    assert console_errors == []
