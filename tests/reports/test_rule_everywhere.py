"""One impunity rule everywhere, on the demo data plus the UN's fatalities file.

For every host State, the report's impunity count equals the indicators' as of the same
day; over all host-State reports plus the lists of cases whose host State is to be
determined, every case the rule flags appears exactly once.
"""

from collections import Counter
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from accountability.exports.indicators import UNDETERMINED, indicator_table
from accountability.impunity import impunity_cases
from accountability.models import Case
from accountability.reports.content import build_followup_content
from accountability.reports.periods import Period
from incidents.importers.un_fatalities import un_fatalities_import
from missions.models import Country, Mission
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_and_un_file(settings, shared_data_dir):
    settings.DEBUG = True
    # Every case, whatever its year: the indicators count them all.
    settings.FOLLOWUP_REPORT_ATTACKS_SINCE = date(1948, 1, 1)
    call_command("seed_demo", stdout=StringIO())
    un_fatalities_import(path=shared_data_dir / "odp_noticas.csv")
    assert Case.objects.filter(host_state__isnull=True).exists()
    return UserFactory(username="rule_admin", is_superuser=True, is_staff=True)


@pytest.mark.parametrize(
    "period",
    [Period.containing(date.today(), "month"), Period.month(2025, 6)],
    ids=["this-month", "2025-06"],
)
def test_reports_and_indicators_flag_the_same_cases_each_exactly_once(demo_and_un_file, period):
    day = min(period.end, date.today())
    now = timezone.now()
    table = indicator_table(demo_and_un_file, as_of=day)
    indicated = {row.code: row.values["impunity_cases"] for row in table.by_host_state}

    flagged: Counter[str] = Counter()
    states = Country.objects.filter(pk__in=Case.objects.values("host_state_id")).order_by("iso3")
    for state in states:
        body = build_followup_content(state, period, now)
        count = body["summary"]["counts"]["impunity_cases"]
        assert count == indicated.get(state.iso3, 0), state.iso3
        flagged.update(
            c["reference"] for c in (*body["cases"], *body["closed_cases"]) if c["impunity"]
        )

    undetermined = 0
    missions = Mission.objects.filter(
        pk__in=Case.objects.filter(host_state__isnull=True).values("mission_id")
    )
    for mission in missions:
        body = build_followup_content(None, period, now, mission=mission)
        undetermined += body["summary"]["counts"]["impunity_cases"]
        flagged.update(c["reference"] for c in body["cases"] if c["impunity"])
        flagged.update(c["reference"] for c in body["closed_cases"] if c["impunity"])
    assert undetermined == indicated.get(UNDETERMINED[0], 0)

    expected = set(
        impunity_cases(Case.objects.all(), as_of=day).values_list("reference", flat=True)
    )
    assert expected, "the rule flags cases in this data"
    assert set(flagged) == expected
    assert max(flagged.values()) == 1
