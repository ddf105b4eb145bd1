"""The follow-up register and the notifications list read their address as the other
lists do: a status or host State the register cannot use, or a key a list does not know,
is named above the list, which then shows nothing rather than everything; a page that
does not exist is named and the first one shown."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

REGISTER = reverse("accountability:followup_register")


def _problems(html: str) -> list[str]:
    block = re.search(r"data-query-problems>(.*?)</div>", html, re.S)
    return re.findall(r"<li>(.*?)</li>", block.group(1), re.S) if block else []


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ("status=lost", "Not understood: status=lost (choose one of: awaiting, overdue, "),
        ("host_state=999999", "Not understood: host_state=999999 (no host State of the "),
        ("stauts=answered", "Not understood: stauts"),
    ],
)
def test_the_register_names_what_it_does_not_understand_and_shows_nothing(
    world, client_of, query, problem
):
    html = client_of(world.users["analyst_all"]).get(f"{REGISTER}?{query}").content.decode()

    assert any(p.startswith(problem) for p in _problems(html)), _problems(html)
    assert world.case_a.reference not in html  # not every communication instead


def test_a_page_that_does_not_exist_is_named_and_the_first_shown(world, client_of):
    html = client_of(world.users["analyst_all"]).get(f"{REGISTER}?page=99").content.decode()

    assert _problems(html) == [
        "Not understood: page=99 (there is no such page; pages go from 1 to 1)"
    ]
    assert world.case_a.reference in html


def test_what_the_register_understands_still_filters(world, client_of):
    client = client_of(world.users["analyst_all"])

    html = client.get(REGISTER, {"status": "awaiting", "host_state": world.host_a.pk}).text

    assert _problems(html) == []
    assert world.case_a.reference in html
    assert world.case_b.reference not in html


def test_the_register_writes_the_channel_colon_the_french_way(world, client_of):
    from tests.i18n.helpers import ensure_compiled

    ensure_compiled()
    client = client_of(world.users["analyst_all"])

    html = client.get(REGISTER, HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert "</strong>\u00a0: " in html


def test_the_notifications_list_names_a_page_that_does_not_exist(world, client_of):
    url = reverse("notifications:notification_list")

    html = client_of(world.users["legal_a"]).get(f"{url}?page=99").content.decode()
    unknown = client_of(world.users["legal_a"]).get(f"{url}?unread=1").content.decode()

    assert _problems(html) == [
        "Not understood: page=99 (there is no such page; pages go from 1 to 1)"
    ]
    assert _problems(unknown) == ["Not understood: unread"]
