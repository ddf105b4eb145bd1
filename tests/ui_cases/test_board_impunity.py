"""Impunity stands out on the case board: a marker in words with its reason, a count, an
"impunity only" filter, and historical records of the UN file told apart."""

import re

import pytest
from django.urls import reverse

from accountability.models import Case
from tests.ui_cases.helpers import section

pytestmark = pytest.mark.django_db

BOARD = reverse("accountability:case_board")


def _row(html: str, reference: str) -> str:
    match = re.search(rf"<tr[^>]*>\s*<th[^>]*>\s*<a[^>]*>{reference}</a>.*?</tr>", html, re.S)
    assert match, f"no row for {reference}"
    return match.group(0)


def test_an_impunity_case_carries_a_marker_in_words_with_its_reason(world, client_as, make_case):
    stalled = world.case_a  # 300 days old, last progress 290 days ago
    recent_without_investigation = make_case(days_ago=120)

    html = client_as(world.users["legal_a"]).get(BOARD).content.decode()

    row = _row(html, stalled.reference)
    # Not colour alone: a symbol hidden from screen readers, and the word and reason as text.
    assert '<span aria-hidden="true">⚠</span> Impunity</strong>' in row
    assert "No progress for 180 days or more." in row
    fresh = _row(html, recent_without_investigation.reference)
    assert "No investigation opened within 90 days of the attack." in fresh
    assert "No progress for" not in fresh


def test_the_board_counts_impunity_cases_and_filters_them(world, client_as, make_case):
    recent = make_case(days_ago=10)
    client = client_as(world.users["legal_a"])

    html = client.get(BOARD).content.decode()

    count = re.search(r'<p id="impunity-count">.*?</p>', html, re.S).group(0)
    assert "1 case matches the impunity rule" in count
    assert "impunity=true" in count
    assert "1 impunity" in section(html, "stage-suspects_identified")
    only = client.get(BOARD, {"impunity": "true"}).content.decode()
    assert world.case_a.reference in only
    assert recent.reference not in only


def test_historical_records_of_the_un_file_are_told_apart(world, client_as, make_case):
    imported = make_case(days_ago=400)
    Case.objects.filter(pk=imported.pk).update(opened_by_import=True)
    client = client_as(world.users["legal_a"])

    html = client.get(BOARD).content.decode()

    assert "Historical record" in _row(html, imported.reference)
    assert "Historical record" not in _row(html, world.case_a.reference)
    count = re.search(r'<p id="impunity-count">.*?</p>', html, re.S).group(0)
    assert "2 cases match the impunity rule" in count
    assert "of which 1 historical record from the UN file" in count
    tracked = client.get(BOARD, {"opened_by_import": "false"}).content.decode()
    assert imported.reference not in tracked and world.case_a.reference in tracked
    historical = client.get(BOARD, {"opened_by_import": "true"}).content.decode()
    assert imported.reference in historical and world.case_a.reference not in historical
