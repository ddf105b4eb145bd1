"""Dates in running text follow the reader's language: French writes the first of the
month as an ordinal ("1er décembre 2026"), as the reports already did; English does not."""

from datetime import date

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from accountability.models import Case
from peacekeeping.dates import prose_date

pytestmark = pytest.mark.django_db


def test_the_case_page_writes_the_first_of_the_month_as_french_does(world, client):
    Case.objects.filter(pk=world.case_a.pk).update(attack_date=date(2026, 12, 1))
    url = reverse("accountability:case_detail", args=[world.case_a.reference])
    client.force_login(world.users["legal_a"])

    french = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").text
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").text

    assert "1er décembre 2026" in french
    assert "1 décembre 2026" not in french
    assert "1 December 2026" in english


@pytest.mark.parametrize(
    ("language", "day", "expected"),
    [
        ("fr", date(2026, 3, 1), "1er mars 2026"),
        ("fr", date(2026, 3, 2), "2 mars 2026"),
        ("fr", date(2026, 3, 11), "11 mars 2026"),
        ("en", date(2026, 3, 1), "1 March 2026"),
    ],
)
def test_prose_dates_in_templates_and_timelines(language, day, expected):
    with translation.override(language):
        rendered = Template("{% load typography %}{{ day|prose_date }}").render(
            Context({"day": day})
        )
        assert rendered == expected
        assert prose_date(day) == expected
