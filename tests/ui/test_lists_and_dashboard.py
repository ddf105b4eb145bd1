"""The incident list, the dashboard and the shell: scope, filters, and constant queries."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from incidents.choices import IncidentStatus, IncidentType, Outcome
from tests.factories import CasualtyFactory, IncidentFactory, PersonnelFactory

pytestmark = pytest.mark.django_db

LIST = reverse("incidents:incident_list")
HOME = reverse("home")


def _incidents(world, count: int, *, start: int = 0):
    """`count` incidents of mission A this year, each with a killed and an injured."""
    this_year = timezone.now().replace(month=1, day=2, hour=12, tzinfo=UTC)
    for n in range(start, start + count):
        incident = IncidentFactory(
            reference=f"MINUSCA-T-{n:04d}",
            mission=world.mission_a,
            country=world.host_a,
            occurred_at=max(this_year, datetime.now(UTC) - timedelta(days=1)) - timedelta(hours=n),
            status=IncidentStatus.SUBMITTED if n % 3 else IncidentStatus.DRAFT,
            place=f"Village {n}",
        )
        CasualtyFactory(incident=incident, outcome=Outcome.KILLED)
        CasualtyFactory(
            incident=incident,
            outcome=Outcome.INJURED,
            personnel=PersonnelFactory() if n % 2 else None,
        )


def _queries(client, url) -> list[str]:
    client.get(url)  # the first request of a session records it; not part of the count
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in queries.captured_queries]


# --- the list ---------------------------------------------------------------------------


def test_the_list_shows_only_incidents_in_scope_with_their_toll(world, client_of):
    _incidents(world, 2)

    html = client_of(world.users["staff_a"]).get(LIST).text

    assert world.incident_a.reference in html
    assert world.incident_b.reference not in html
    assert "MINUSCA-T-0001" in html
    assert world.case_a.get_stage_display() in html


def test_the_list_filters_with_a_plain_get_form(world, client_of):
    _incidents(world, 3)
    client = client_of(world.users["staff_a"])

    by_text = client.get(LIST, {"q": "Village 2"}).context["page_obj"]
    by_type = client.get(LIST, {"incident_type": IncidentType.ACCIDENT}).context["page_obj"]
    by_status = client.get(LIST, {"status": "draft"}).context["page_obj"]

    assert [i.reference for i in by_text] == ["MINUSCA-T-0002"]
    assert list(by_type) == []
    assert [i.reference for i in by_status] == ["MINUSCA-T-0000"]


def test_htmx_gets_only_the_results(world, client_of):
    response = client_of(world.users["staff_a"]).get(
        LIST, {"q": "Route"}, headers={"HX-Request": "true"}
    )

    assert response.text.lstrip().startswith('<div id="results">')
    assert "<html" not in response.text
    assert world.incident_a.reference in response.text
    assert "HX-Request" in response["Vary"]


def test_the_back_button_under_htmx_gets_the_whole_page(world, client_of):
    response = client_of(world.users["staff_a"]).get(
        LIST, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )

    assert "<html" in response.text


def test_the_list_counts_a_rows_casualties_once_whatever_the_filters_join(world, client_of):
    _incidents(world, 1)

    page = client_of(world.users["staff_a"]).get(LIST, {"q": "Village 0"}).context["page_obj"]

    assert [(i.killed, i.injured) for i in page] == [(1, 1)]


def test_the_list_is_paginated_and_pages_keep_the_filters(world, client_of):
    _incidents(world, 30)

    response = client_of(world.users["staff_a"]).get(LIST, {"q": "Village"})

    assert len(response.context["page_obj"]) == 25
    assert "?q=Village&amp;page=2" in response.text


@pytest.mark.parametrize("rows", [10, 100])
@pytest.mark.parametrize("sort", ["", "reference", "-killed", "perpetrators", "type", "-case"])
def test_the_list_costs_the_same_queries_for_10_or_100_incidents(world, client_of, rows, sort):
    """Queries, per request (the page of 25 rows), whatever the sort:
    1. the session, 2. the user, 3. their memberships (scope),
    4. the missions offered in the filter,
    5. the page: incidents + country + case (joins), killed/injured (subqueries), the
       filtered incidents counted up to a cap (one subquery for the statement), ordered
       by the column asked for, then by id,
    6. the page's perpetrators (one query for all its rows),
    7. the user's saved searches of the list (and those shared with them).
    """
    _incidents(world, rows)

    queries = _queries(client_of(world.users["staff_a"]), LIST + (f"?sort={sort}" if sort else ""))

    assert len(queries) == 7, "\n".join(queries)


# --- the dashboard ----------------------------------------------------------------------


def test_mission_staff_see_their_missions_figures_and_no_suspect(world, client_of):
    _incidents(world, 3)

    response = client_of(world.users["staff_a"]).get(HOME)

    context = response.context
    # Submitted this year: two of the three (the first is a draft), one killed and one
    # injured each; plus the world's attack on mission A if it fell this year.
    earlier = int(world.incident_a.occurred_at.year == timezone.localdate().year)
    assert (context["killed"], context["injured"]) == (2 + earlier, 2)
    assert [d.reference for d in context["drafts"]] == ["MINUSCA-T-0000"]
    assert world.incident_b.reference not in response.text
    assert dict(context["cases_by_stage"])[world.case_a.get_stage_display()] == 1
    assert world.suspect_a.name not in response.text
    assert reverse("incidents:incident_create") in response.text


def test_administrators_get_a_short_dashboard_of_links(world, client_of):
    response = client_of(world.users["admin"]).get(HOME)

    assert not response.context["has_desk"]
    assert "Administrator" in response.text
    assert reverse("incidents:incident_list") in response.text
    assert reverse("admin:index") in response.text


@pytest.mark.parametrize("rows", [30, 100])
def test_the_dashboard_costs_the_same_queries_for_30_or_100_incidents(world, client_of, rows):
    """Queries, per request:
    1. the session, 2. the user, 3. their memberships (scope),
    4. this year's killed and injured (one aggregate),
    5. cases by stage (one GROUP BY),
    6. the incidents awaiting verification (ten shown), 7. how many in all (past ten),
    8. the missions' names,
    9. the ten recent incidents with their columns, 10. their perpetrators,
    11. the drafts to submit.
    """
    _incidents(world, rows)

    queries = _queries(client_of(world.users["staff_a"]), HOME)

    assert len(queries) == 11, "\n".join(queries)


# --- the shell --------------------------------------------------------------------------


def test_the_shell_has_a_skip_link_landmarks_language_switch_and_logout(world, client_of):
    html = client_of(world.users["staff_a"]).get(HOME).text

    assert '<a class="skip-link" href="#content">' in html
    assert '<main id="content"' in html
    assert 'aria-label="Main"' in html
    assert f'action="{reverse("set_language")}"' in html
    assert re.search(r'name="language"\s+value="fr"\s+lang="fr"', html)
    assert f'action="{reverse("logout")}"' in html
    assert "Admin" not in html  # not a staff user
    # Assets come from this site only, scripts deferred, none inline.
    assert 'src="/static/js/htmx.min.js" defer' in html
    assert 'src="/static/js/app.js" defer' in html
    assert "<script>" not in html
    assert " style=" not in html


def test_the_admin_link_is_for_staff_users(world, client_of):
    html = client_of(world.users["admin"]).get(HOME).text

    assert reverse("admin:index") in html


def test_choosing_french_is_remembered(world, client_of):
    client = client_of(world.users["staff_a"])

    response = client.post(reverse("set_language"), {"language": "fr", "next": LIST})

    assert response.status_code == 302
    assert response["Location"] == LIST
    assert client.cookies["django_language"].value == "fr"
    assert '<html lang="fr">' in client.get(LIST).text


def test_an_unknown_page_is_the_friendly_404(world, client_of):
    response = client_of(world.users["staff_a"]).get("/incidents/NOPE-0000/")

    assert response.status_code == 404
    assert "Page not found" in response.text
    assert reverse("home") in response.text
