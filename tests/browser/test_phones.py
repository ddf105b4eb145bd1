"""Phones: the incident form, the incident list and the dashboard at 360 px wide.

No sideways scrolling, and every control a finger aims at (buttons, fields, menus,
navigation and pagination links) at least 44 px high and wide, WCAG 2.5.5's size. Links
inside sentences are exempt, as WCAG exempts them. Screenshots go to
test-results/screenshots/phone-*.png for a look.
"""

import pytest
from playwright.sync_api import expect

from tests.personas import build_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PHONE = {"width": 360, "height": 740}
MIN_TARGET = 44
TARGETS = ", ".join(
    [
        "button",
        "select",
        "textarea",
        "summary",
        ".button",
        "input:not([type=hidden]):not([type=checkbox]):not([type=radio])",
        ".site-nav a",
        ".pagination a",
        ".breadcrumb a",
        ".form-actions a",
        ".actions a",
        "label:has(> input[type=checkbox])",
        "label:has(> input[type=radio])",
        ".leaflet-control a",
    ]
)

# The sizes of the visible targets that are too small, and the page's scroll width.
MEASURE = """([selector, min]) => {
    const small = [];
    for (const el of document.querySelectorAll(selector)) {
        const box = el.getBoundingClientRect();
        if (!box.width || !box.height || el.closest("[hidden]")) continue;
        if (box.width < min || box.height < min) {
            small.push(`${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""} ` +
                `"${(el.textContent || el.name || "").trim().slice(0, 30)}" ` +
                `${Math.round(box.width)}x${Math.round(box.height)}`);
        }
    }
    // Nor may anything scroll sideways inside the page (a wide table in its frame).
    const wide = [...document.querySelectorAll(".table-wrap")]
        .filter((el) => el.scrollWidth > el.clientWidth + 1)
        .map((el) => `${el.className} ${el.scrollWidth}>${el.clientWidth}`);
    return {
        wide,
        scrollWidth: document.documentElement.scrollWidth,
        clientWidth: document.documentElement.clientWidth,
        small,
    };
}"""


@pytest.fixture
def people():
    return build_world()


@pytest.fixture
def phone(browser, live_server, login):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    login(page, live_server, "staff_a")
    yield page
    context.close()


@pytest.mark.parametrize(
    ("path", "heading", "name"),
    [
        ("/", "Dashboard", "phone-dashboard"),
        ("/incidents/", "Incidents", "phone-incident-list"),
        ("/incidents/new/", "Log an incident", "phone-incident-form"),
    ],
)
def test_the_page_fits_a_phone_and_its_targets_take_a_finger(
    people, live_server, phone, screenshot, path, heading, name
):
    phone.goto(f"{live_server.url}{path}")
    expect(phone.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    if path == "/incidents/new/":
        phone.get_by_role("button", name="Place it on the map").click()
        expect(phone.locator("[data-picker-map]")).to_have_attribute("data-boundaries", "loaded")

    measured = phone.evaluate(MEASURE, [TARGETS, MIN_TARGET])
    shot = screenshot(phone, name)
    if path == "/incidents/new/":  # the "Where" step and its map, at full size
        phone.locator("fieldset.step").nth(1).screenshot(
            path=str(shot.with_name(f"{name}-where.png"))
        )

    assert measured["scrollWidth"] <= PHONE["width"], measured
    assert measured["wide"] == [], measured
    assert measured["small"] == [], measured["small"]
