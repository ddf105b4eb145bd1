"""The statistics page's charts read in every language: geometry never localised, years
written under the columns never collide nor get cut at the edges."""

import re

import pytest
from django.urls import reverse

from accountability.views_analysis import year_ticks
from tests.i18n.helpers import ensure_compiled

STATISTICS = reverse("accountability:statistics")


def test_years_are_written_on_a_round_step_at_most_ten_of_them():
    labels = [str(year) for year in range(1948, 2027)]

    written = [labels[i] for i in sorted(year_ticks(labels))]

    assert written == [str(year) for year in range(1950, 2021, 10)]


def test_a_few_years_are_all_written():
    labels = ["2019", "2020", "2021"]

    assert sorted(year_ticks(labels)) == [0, 1, 2]


@pytest.mark.django_db
def test_chart_geometry_is_not_localised_in_french(world, client):
    ensure_compiled()
    client.force_login(world.users["analyst_all"])

    html = client.get(STATISTICS, HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert 'lang="fr"' in html
    numbers = re.findall(r'\b(?:x|y|width|height)="([^"]*)"', html)
    assert numbers
    assert not [n for n in numbers if "," in n]
