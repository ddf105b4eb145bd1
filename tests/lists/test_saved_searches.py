"""Saved searches: named filters per user, applied with one click, deleted, shared with
colleagues of the same reach, always run in the scope of whoever applies them."""

import pytest
from django.urls import reverse

from missions.choices import SavedList
from missions.models import SavedSearch
from missions.scope import users_of_same_reach
from missions.services import saved_search_save, saved_search_share
from peacekeeping.errors import DomainError, OutOfScope
from peacekeeping.models import AuditEntry

pytestmark = pytest.mark.django_db

LIST = reverse("incidents:incident_list")
SAVE = reverse("searches:search_save")


def _save(client, name: str, query: str):
    return client.post(
        SAVE,
        {"list_name": "incidents", "name": name, "query": query, "next": f"{LIST}?{query}"},
    )


def test_the_list_offers_to_save_what_it_shows_with_its_sort_and_page_size(world, client_of):
    html = (
        client_of(world.users["staff_a"])
        .get(LIST, {"status": "submitted", "sort": "-killed", "page_size": "50", "page": "1"})
        .text
    )

    assert 'name="query" value="status=submitted&amp;page_size=50&amp;sort=-killed"' in html


def test_the_save_form_follows_the_filters_refreshed_by_htmx(world, client_of):
    response = client_of(world.users["staff_a"]).get(
        LIST, {"q": "Route", "sort": "place"}, headers={"HX-Request": "true"}
    )

    assert response.text.lstrip().startswith('<div id="results">')
    assert 'name="query" value="q=Route&amp;sort=place"' in response.text


def test_a_saved_search_is_listed_near_the_filters_and_applies_with_one_click(world, client_of):
    client = client_of(world.users["staff_a"])

    response = _save(client, "  Route  ambushes ", "q=Route&sort=-killed")
    html = client.get(LIST).text

    assert response.status_code == 302 and response["Location"] == f"{LIST}?q=Route&sort=-killed"
    assert f'href="{LIST}?q=Route&amp;sort=-killed"' in html
    assert "Route ambushes" in html
    entry = AuditEntry.objects.get(action="saved_search.save")
    assert entry.actor == world.users["staff_a"]
    assert entry.changes["query"] == [None, "q=Route&sort=-killed"]


def test_saving_under_the_same_name_replaces_the_filters(world, client_of):
    client = client_of(world.users["staff_a"])
    _save(client, "Mine", "q=Route")

    _save(client, "Mine", "q=Village")

    assert list(SavedSearch.objects.values_list("name", "query")) == [("Mine", "q=Village")]


def test_a_search_without_a_name_is_refused_with_the_reason(world, client_of):
    client = client_of(world.users["staff_a"])

    response = client.post(SAVE, {"list_name": "incidents", "name": " ", "next": LIST}, follow=True)

    assert "Give the search a name." in response.text
    assert not SavedSearch.objects.exists()


def test_the_owner_deletes_a_search_and_no_one_else_can(world, client_of):
    staff = world.users["staff_a"]
    search = saved_search_save(actor=staff, list_name="incidents", name="Mine", query="q=x")
    delete = reverse("searches:search_delete", args=[search.pk])

    other = client_of(world.users["legal_a"]).post(delete, {"next": LIST})
    assert other.status_code == 404
    client_of(staff).post(delete, {"next": LIST})

    assert not SavedSearch.objects.exists()
    assert AuditEntry.objects.filter(action="saved_search.delete", actor=staff).count() == 1


def test_colleagues_of_the_same_reach_are_those_a_search_can_be_shared_with(world):
    users = world.users

    same = {u.username for u in users_of_same_reach(users["staff_a"])}

    # mission A's legal officer and analyst; not the deactivated account, not mission B,
    # not the liaisons, not the analyst who sees everything
    assert same == {"legal_a", "analyst_a"}
    assert {u.username for u in users_of_same_reach(users["analyst_all"])} == {"admin"}


def test_a_shared_search_is_listed_for_the_colleague_with_its_owner(world, client_of):
    staff, legal = world.users["staff_a"], world.users["legal_a"]
    search = saved_search_save(actor=staff, list_name="incidents", name="Ambushes", query="q=R")
    share = reverse("searches:search_share", args=[search.pk])

    page = client_of(staff).get(share, {"next": LIST})
    client_of(staff).post(share, {"user": [legal.pk], "next": LIST})
    html = client_of(legal).get(LIST).text

    assert "legal_a" in page.text and "staff_b" not in page.text
    assert "Ambushes" in html and "shared by staff_a" in html
    # the receiver may apply it, not delete or share it
    assert reverse("searches:search_delete", args=[search.pk]) not in html
    entry = AuditEntry.objects.get(action="saved_search.share")
    assert entry.changes == {"shared_with": [[], ["legal_a"]]}


def test_the_panel_lists_the_users_own_and_shared_searches_of_this_list_only(world, client_of):
    staff, legal = world.users["staff_a"], world.users["legal_a"]
    saved_search_save(actor=legal, list_name="incidents", name="Zeta mine", query="q=Z")
    saved_search_save(actor=legal, list_name="cases", name="Cases of mine", query="")
    shared = saved_search_save(actor=staff, list_name="incidents", name="Alpha shared", query="")
    saved_search_share(actor=staff, search=shared, users=[legal])
    saved_search_save(actor=staff, list_name="incidents", name="Not shared", query="q=N")

    html = client_of(legal).get(LIST).text

    assert "Cases of mine" not in html and "Not shared" not in html
    assert html.index("Alpha shared") < html.index("Zeta mine")  # by name
    assert "shared by staff_a" in html


def test_sharing_outside_the_same_reach_is_refused_and_nothing_is_shared(world):
    staff = world.users["staff_a"]
    search = saved_search_save(actor=staff, list_name="incidents", name="A", query="q=R")

    with pytest.raises(OutOfScope, match="staff_b"):
        saved_search_share(actor=staff, search=search, users=[world.users["staff_b"]])

    assert not search.shared_with.exists()
    assert not AuditEntry.objects.filter(action="saved_search.share").exists()


def test_only_the_owner_shares_a_search(world, client_of):
    search = saved_search_save(
        actor=world.users["staff_a"], list_name="incidents", name="A", query=""
    )

    response = client_of(world.users["legal_a"]).get(
        reverse("searches:search_share", args=[search.pk])
    )
    with pytest.raises(DomainError):
        saved_search_share(actor=world.users["legal_a"], search=search, users=[])

    assert response.status_code == 404


def test_a_search_shared_anyhow_runs_in_the_receivers_scope(world, client_of):
    """Even a search that reached someone outside the owner's scope (here written to the
    database directly) shows them only their own records: the query runs in their scope."""
    search = SavedSearch.objects.create(
        owner=world.users["staff_a"], list_name=SavedList.INCIDENTS, name="A", query="q=Route"
    )
    search.shared_with.add(world.users["staff_b"])
    client = client_of(world.users["staff_b"])

    html = client.get(LIST).text
    results = client.get(f"{LIST}?{search.query}").text

    assert "shared by staff_a" in html
    assert world.incident_b.reference in results
    assert world.incident_a.reference not in results


def test_the_share_page_is_in_french_for_a_french_user(world, client_of):
    from django.conf import settings

    staff = world.users["staff_a"]
    search = saved_search_save(actor=staff, list_name="incidents", name="A", query="")
    client = client_of(staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    html = client.get(reverse("searches:search_share", args=[search.pk])).text

    assert "Partager avec" in html
