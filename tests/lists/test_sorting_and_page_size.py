"""The incident list sorts by any column it shows and pages at the size chosen."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.urls import reverse

from incidents.choices import IncidentStatus, Outcome
from tests.factories import CasualtyFactory, IncidentFactory

pytestmark = pytest.mark.django_db

LIST = reverse("incidents:incident_list")


def _incident(world, n: int, *, place: str, killed: int, status=IncidentStatus.SUBMITTED):
    incident = IncidentFactory(
        reference=f"MINUSCA-S-{n:03d}",
        mission=world.mission_a,
        country=world.host_a,
        occurred_at=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=n),
        status=status,
        place=place,
    )
    for _ in range(killed):
        CasualtyFactory(incident=incident, outcome=Outcome.KILLED)
    return incident


def _references(response) -> list[str]:
    return [row["reference"] for row in response.context["page_obj"]]


def test_the_list_sorts_by_a_column_and_reverses_it(world, client_of):
    _incident(world, 1, place="Bangui", killed=2)
    _incident(world, 2, place="Alindao", killed=0)
    _incident(world, 3, place="Kaga-Bandoro", killed=1)
    client = client_of(world.users["staff_a"])

    by_place = _references(client.get(LIST, {"q": "MINUSCA-S", "sort": "place"}))
    by_place_reversed = _references(client.get(LIST, {"q": "MINUSCA-S", "sort": "-place"}))
    most_killed = _references(client.get(LIST, {"q": "MINUSCA-S", "sort": "-killed"}))

    assert by_place == ["MINUSCA-S-002", "MINUSCA-S-001", "MINUSCA-S-003"]
    assert by_place_reversed == list(reversed(by_place))
    assert most_killed == ["MINUSCA-S-001", "MINUSCA-S-003", "MINUSCA-S-002"]


def test_rows_with_the_same_value_keep_one_order_across_pages(world, client_of):
    for n in range(12):
        _incident(world, n, place="Same place", killed=1)
    client = client_of(world.users["staff_a"])
    params = {"q": "MINUSCA-S", "sort": "place", "page_size": 5}

    pages = [_references(client.get(LIST, {**params, "page": p})) for p in (1, 2, 3)]

    seen = [reference for page in pages for reference in page]
    assert len(seen) == len(set(seen)) == 12
    assert seen == sorted(seen)  # the tie-breaker: creation order


def test_the_sorted_column_header_says_so_and_links_to_the_reverse(world, client_of):
    _incident(world, 1, place="Bangui", killed=1)

    html = client_of(world.users["staff_a"]).get(LIST, {"sort": "place", "q": "S-0"}).text

    assert re.search(r'aria-sort="ascending">\s*<a href="\?sort=-place&amp;q=S-0"', html)
    # a first click on a count sorts the largest first
    assert 'href="?sort=-killed&amp;q=S-0"' in html


def test_page_links_and_the_filter_form_keep_the_sort(world, client_of):
    for n in range(8):
        _incident(world, n, place=f"Village {n}", killed=1)

    html = (
        client_of(world.users["staff_a"])
        .get(LIST, {"q": "MINUSCA-S", "sort": "-place", "page_size": 5})
        .text
    )

    assert re.search(r'href="\?[^"]*sort=-place[^"]*&amp;page=2" rel="next"', html)
    assert 'name="sort" value="-place"' in html


def test_an_unknown_sort_is_named_and_the_usual_order_is_kept(world, client_of):
    _incident(world, 1, place="B", killed=0)
    _incident(world, 2, place="A", killed=0)

    response = client_of(world.users["staff_a"]).get(LIST, {"q": "MINUSCA-S", "sort": "secret"})

    assert "Not understood: sort=secret" in response.text
    assert _references(response) == ["MINUSCA-S-002", "MINUSCA-S-001"]


def test_sorting_never_shows_more_than_the_users_scope(world, client_of):
    html = client_of(world.users["staff_a"]).get(LIST, {"sort": "-killed"}).text

    assert world.incident_a.reference in html
    assert world.incident_b.reference not in html


def test_the_page_size_control_offers_bounded_choices_and_applies(world, client_of):
    for n in range(12):
        _incident(world, n, place=f"V{n}", killed=0)
    client = client_of(world.users["staff_a"])

    response = client.get(LIST, {"q": "MINUSCA-S", "page_size": "10"})
    too_many = client.get(LIST, {"q": "MINUSCA-S", "page_size": "5000"})

    assert len(response.context["page_obj"]) == 10
    assert '<option value="10" selected>10</option>' in response.text
    assert 'name="page_size"' in response.text
    assert "Not understood: page_size=5000" in too_many.text
    assert len(too_many.context["page_obj"]) == 12  # the usual 25 a page


def test_in_french_the_headers_and_an_unknown_sort_are_in_french(world, client_of):
    client = client_of(world.users["staff_a"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    html = client.get(LIST, {"sort": "nope"}).text

    assert "Lignes par page" in html
    assert "Non compris" in html


def test_the_headers_keep_every_other_parameter_where_it_was(world, client_of):
    _incident(world, 1, place="Camp &sort=-x", killed=1)

    html = (
        client_of(world.users["staff_a"])
        .get(LIST + "?q=Camp+%26sort%3D-x&sort=place&status=submitted&page=1")
        .text
    )

    # The sort replaced where it was, the page dropped, the rest encoded as it came.
    assert _references_in(html) == ["MINUSCA-S-001"]
    assert 'href="?q=Camp+%26sort%3D-x&amp;sort=-place&amp;status=submitted"' in html
    assert 'href="?q=Camp+%26sort%3D-x&amp;sort=-killed&amp;status=submitted"' in html


def _references_in(html: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="[^"]*">([^<]+)</a>', html)


def test_one_process_shows_each_language_its_own_labels_and_headers(world, client_of):
    _incident(world, 1, place="Bangui", killed=1, status=IncidentStatus.VERIFIED)
    client = client_of(world.users["staff_a"])

    def page(language):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client.get(LIST, {"q": "MINUSCA-S"}).text

    english, french, english_again = page("en"), page("fr"), page("en")

    assert ">Verified</span>" in english and ">Verified</span>" in english_again
    assert ">Vérifié</span>" in french and ">Verified</span>" not in french
    assert re.search(r">\s*Statut\s*</a>", french)
    assert re.search(r">\s*Status\s*</a>", english_again)
