"""Impunity stands out on the case page as on the board: the marker in words with its
reasons, and historical records of the UN file told apart from tracked cases."""

import re
from datetime import date, timedelta

import pytest

from accountability.models import Case
from accountability.services import investigation_open

pytestmark = pytest.mark.django_db


def _impunity(html: str) -> str:
    match = re.search(r'<ul class="impunity-reasons">.*?</ul>', html, re.S)
    return match.group(0) if match else ""


def test_the_case_page_says_why_a_case_is_in_impunity(world, client_of):
    html = client_of("legal_a").get(world.case_a.get_absolute_url()).content.decode()

    assert "⚠</span> This case matches the impunity rule." in html
    reasons = _impunity(html)
    assert "No investigation opened within 90 days of the attack." in reasons
    assert "No progress for 180 days or more." in reasons


def test_a_late_investigation_leaves_only_the_late_reason(world, client_of):
    investigation_open(
        actor=world.users["admin"],
        case=world.case_a,
        authority="prosecutor",
        opened_on=date.today() - timedelta(days=10),
        source="Réquisitoire introductif",
    )

    reasons = _impunity(client_of("legal_a").get(world.case_a.get_absolute_url()).content.decode())

    assert "No investigation opened within 90 days of the attack." in reasons
    assert "No progress" not in reasons


def test_mission_staff_see_the_reason_too(world, client_of):
    html = client_of("staff_a").get(world.case_a.get_absolute_url()).content.decode()

    assert "No investigation opened within 90 days of the attack." in _impunity(html)


def test_a_historical_record_of_the_un_file_is_told_apart_on_the_case_page(world, client_of):
    Case.objects.filter(pk=world.case_a.pk).update(opened_by_import=True)
    client = client_of("analyst_all")

    historical = client.get(world.case_a.get_absolute_url()).content.decode()
    tracked = client.get(world.case_b.get_absolute_url()).content.decode()
    assert world.case_b.reference in tracked

    assert 'id="historical-record"' in historical
    assert "investigation status is unknown" in historical
    assert 'id="historical-record"' not in tracked
