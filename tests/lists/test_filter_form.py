"""The incident list's filter form shows each request's own filters, missions and
language, though it is rendered once a process for each of them (templates' cache)."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

LIST = reverse("incidents:incident_list")


def _form(response) -> str:
    assert response.status_code == 200
    return re.search(r'<form method="get".*?</form>', response.text, re.S).group(0)


def _selected(form: str, name: str) -> str:
    select = re.search(rf'<select [^>]*name="{name}">(.*?)</select>', form, re.S).group(1)
    chosen = re.findall(r'<option value="([^"]*)" selected>', select)
    return chosen[0] if chosen else ""


def test_each_request_sees_its_own_filters_selected(world, client_of):
    client = client_of(world.users["analyst_all"])

    first = _form(client.get(LIST, {"incident_type": "malicious_act", "q": "ambush"}))
    second = _form(client.get(LIST, {"status": "draft", "page_size": 10}))
    again = _form(client.get(LIST, {"incident_type": "malicious_act", "q": "ambush"}))

    assert _selected(first, "incident_type") == "malicious_act"
    assert _selected(first, "status") == ""
    assert re.search(r'name="q"\s+value="ambush"', first)
    assert _selected(second, "incident_type") == ""
    assert _selected(second, "status") == "draft"
    assert _selected(second, "page_size") == "10"
    assert re.search(r'name="q"\s+value=""', second)
    assert again == first


def test_each_user_sees_only_the_missions_of_their_own_incidents(world, client_of):
    analyst = _form(client_of(world.users["analyst_all"]).get(LIST))
    staff = _form(client_of(world.users["staff_a"]).get(LIST))

    assert '<option value="MONUSCO">' in analyst
    # One mission: no mission drop-down at all, and nothing of the analyst's form.
    assert 'name="mission"' not in staff
    assert "MONUSCO" not in staff


def test_the_form_follows_the_language(world, client_of):
    client = client_of(world.users["analyst_all"])

    english = _form(client.get(LIST, headers={"accept-language": "en"}))
    french = _form(client.get(LIST, headers={"accept-language": "fr"}))

    assert "Incident type" in english
    assert "Type d’incident" in french or "Type d'incident" in french
    assert "Incident type" not in french
