"""The analyst in French filters the incident list with its form (htmx refreshes the
results) and presses CSV: the file holds exactly the incidents on screen, because the
export links are part of what htmx refreshes and carry the filters understood. Then the
rest of the journey issue 17 is done with: the statistics page draws its charts with no
console error, the case page has no English left, and each page's first load stays
within 150 KB (every page of every role: tests/browser/test_every_page.py)."""

import csv
import io
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from incidents.choices import IncidentStatus
from tests.browser.conftest import PAGE_BUDGET_BYTES
from tests.browser.untranslated import english_labels, english_left, english_sentences
from tests.factories import IncidentFactory
from tests.i18n.helpers import ensure_compiled
from tests.personas import build_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def people():
    ensure_compiled()
    world = build_world()
    for n, mission in enumerate([world.mission_a] * 3 + [world.mission_b] * 4):
        IncidentFactory(
            reference=f"{mission.acronym}-X-{n:03d}",
            mission=mission,
            country=world.host_a if mission == world.mission_a else world.host_b,
            occurred_at=datetime(2019 if n % 2 else 2021, 3, 1 + n, 12, tzinfo=UTC),
            status=IncidentStatus.SUBMITTED,
        )
    return world


def test_the_csv_holds_exactly_the_incidents_the_form_filtered(people, live_server, page, login):
    login(page, live_server, "analyst_all")
    page.locator("header form.lang-switch").get_by_role("button", name="FR").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.goto(f"{live_server.url}/incidents/")
    csv_link = page.locator("[data-export-links] a", has_text="CSV")
    expect(csv_link).to_have_attribute("href", "/exports/incidents/?format=csv")

    form = page.get_by_role("search")
    form.get_by_label("Mission").select_option("MONUSCO")  # htmx refreshes on change
    expect(csv_link).to_have_attribute("href", "/exports/incidents/?mission=MONUSCO&format=csv")
    form.get_by_label("Du").fill("2020-01-01")
    form.get_by_role("button", name="Filtrer").click()
    expect(csv_link).to_have_attribute(
        "href", "/exports/incidents/?mission=MONUSCO&occurred_after=2020-01-01&format=csv"
    )
    on_screen = page.locator("table.incidents tbody th[scope=row] a").all_inner_texts()

    with page.expect_download() as download:
        csv_link.click()
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text(encoding="utf-8"))))

    assert sorted(on_screen) == sorted(
        ["MONUSCO-X-004", "MONUSCO-X-006", people.incident_b.reference]
    )
    assert sorted(row["reference"] for row in rows) == sorted(on_screen)
    assert "mission=MONUSCO" in page.url  # the address says it too (bookmark, back button)


def test_the_french_analyst_reads_charts_without_error_and_a_case_without_english(
    people, live_server, page, login, console_errors, page_weight
):
    login(page, live_server, "analyst_all")
    page.locator("header form.lang-switch").get_by_role("button", name="FR").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    sentences, labels = english_sentences(), english_labels()
    pages = {
        "incidents": f"{live_server.url}/incidents/?mission=MONUSCA",
        "statistics": f"{live_server.url}/cases/statistics/",
        "case": f"{live_server.url}{people.case_a.get_absolute_url()}",
    }

    page.goto(pages["statistics"])
    page.wait_for_load_state("networkidle")
    bars = page.locator("#chart-mission svg rect")
    expect(bars.first).to_be_visible()
    # Drawn with numbers the browser reads: "12.5%", never the French "12,5%".
    widths = bars.evaluate_all("rects => rects.map(r => r.getAttribute('width'))")
    assert widths and not any("," in (w or "") for w in widths), widths
    assert console_errors == []

    page.goto(pages["case"])
    expect(page.locator("header.case-header")).to_be_visible()
    assert english_left(page, sentences, labels) == []
    assert console_errors == []

    for name, url in pages.items():
        weight = page_weight(page, url, f"fr-analyst-{name}")
        assert weight["bytes_compressed"] <= PAGE_BUDGET_BYTES, weight
