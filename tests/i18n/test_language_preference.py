"""The language switch is remembered per user: saved when a signed-in user switches, and
applied when they log in again on any browser. Dates follow the language."""

from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from incidents.choices import DatePrecision
from peacekeeping.accounts.models import UserPreference
from peacekeeping.models import AuditEntry
from tests.factories import IncidentFactory
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db

SWITCH = reverse("set_language")
LOGIN = reverse("login")
HOME = reverse("home")
LIST = reverse("incidents:incident_list")
COOKIE = settings.LANGUAGE_COOKIE_NAME


def _log_in(client: Client, username: str):
    return client.post(LOGIN, {"username": username, "password": PASSWORD})


def test_a_signed_in_user_who_switches_to_french_has_it_saved(world, client):
    staff = world.users["staff_a"]
    client.force_login(staff)

    response = client.post(SWITCH, {"language": "fr", "next": LIST})

    assert response.status_code == 302 and response["Location"] == LIST
    assert response.cookies[COOKIE].value == "fr"
    assert UserPreference.objects.get(user=staff).language == "fr"
    entry = AuditEntry.objects.filter(action="user.set_language").latest("id")
    assert entry.changes == {"language": [None, "fr"]}


def test_switching_back_to_english_replaces_the_saved_choice(world, client):
    staff = world.users["staff_a"]
    client.force_login(staff)
    client.post(SWITCH, {"language": "fr", "next": LIST})

    client.post(SWITCH, {"language": "en", "next": LIST})

    assert UserPreference.objects.get(user=staff).language == "en"


def test_an_anonymous_switch_sets_the_cookie_and_saves_nothing(client):
    response = client.post(SWITCH, {"language": "fr", "next": LOGIN})

    assert response.cookies[COOKIE].value == "fr"
    assert not UserPreference.objects.exists()
    assert '<html lang="fr">' in client.get(LOGIN).text


def test_an_unknown_language_is_neither_applied_nor_saved(world, client):
    client.force_login(world.users["staff_a"])

    response = client.post(SWITCH, {"language": "xx", "next": LIST})

    assert response.status_code == 302
    assert COOKIE not in response.cookies
    assert not UserPreference.objects.exists()


def test_logging_in_on_another_browser_brings_back_the_chosen_language(world):
    first = Client()
    first.force_login(world.users["legal_a"])
    first.post(SWITCH, {"language": "fr", "next": HOME})

    other = Client()  # a fresh browser: no cookie, English by default
    assert '<html lang="en">' in other.get(LOGIN).text
    response = _log_in(other, "legal_a")

    assert response.status_code == 302
    assert response.cookies[COOKIE].value == "fr"
    page = other.get(HOME).text
    assert '<html lang="fr">' in page
    assert "Tableau de bord" in page


def test_a_user_who_never_chose_keeps_the_browser_language(world):
    browser = Client()
    response = _log_in(browser, "staff_a")

    assert response.status_code == 302
    assert COOKIE not in response.cookies
    assert '<html lang="en">' in browser.get(HOME).text


def test_dates_are_written_the_french_way(world, client):
    IncidentFactory(
        reference="MINUSCA-2025-0999",
        mission=world.mission_a,
        country=world.host_a,
        occurred_at=datetime(2025, 3, 14, 9, 30, tzinfo=UTC),
        date_precision=DatePrecision.DAY,
    )
    client.force_login(world.users["staff_a"])
    detail = reverse("incidents:incident_detail", args=["MINUSCA-2025-0999"])

    english_list, english_page = client.get(LIST).text, client.get(detail).text
    client.post(SWITCH, {"language": "fr", "next": LIST})
    french_list, french_page = client.get(LIST).text, client.get(detail).text

    # ISO 8601 in tables, the UN's style in prose, in both languages.
    assert "2025-03-14" in english_list and "14 March 2025" in english_page
    assert "2025-03-14" in french_list and "14 mars 2025" in french_page
    assert "Acte de malveillance" in french_list
