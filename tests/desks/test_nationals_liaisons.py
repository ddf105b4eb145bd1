"""Contributing-country and nationality liaisons see the cases where their contingents or
nationals were harmed, as the README's policy says, and nothing else: on the desk, the
case board and the case page (personas: tests/personas.py)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from accountability.models import Case
from incidents.choices import AttackType, IncidentType, Outcome
from incidents.services import casualty_add, incident_record, incident_submit
from missions.choices import LiaisonBasis, PersonnelCategory, Role
from missions.models import Country, Personnel
from missions.services import membership_grant
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def contingent_case(world):
    """Mission A's attack injuring a peacekeeper of Niger's contingent (a Chadian)."""
    admin = world.users["admin"]
    niger = Country.objects.get(iso3="NER")
    peacekeeper = Personnel.objects.create(
        service_number="NER-0001",
        contributing_country=niger,
        nationality=Country.objects.get(iso3="TCD"),
        given_name="Ibrahim",
        family_name="Moussa",
        category=PersonnelCategory.MILITARY_CONTINGENT,
    )
    incident = incident_record(
        actor=admin,
        mission=world.mission_a,
        occurred_at=datetime.now(UTC) - timedelta(days=120),
        incident_type=IncidentType.MALICIOUS_ACT,
        attack_type=AttackType.AMBUSH,
        country=world.host_a,
        place="Kaga-Bandoro",
        latitude="6.98",
        longitude="19.18",
        narrative="Ambush of a Nigerien convoy.",
        sources="Flash report",
    )
    casualty_add(actor=admin, incident=incident, personnel=peacekeeper, outcome=Outcome.INJURED)
    incident_submit(actor=admin, incident=incident)
    return Case.objects.get(case_incidents__incident=incident)


def _liaison(world, username: str, iso3: str, basis: str) -> Client:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(username, password=PASSWORD)
    membership_grant(
        actor=world.users["admin"],
        user=user,
        role=Role.LIAISON,
        country=Country.objects.get(iso3=iso3),
        liaison_basis=basis,
    )
    client = Client()
    client.force_login(user)
    return client


def _sees(client, case) -> bool:
    return client.get(case.get_absolute_url()).status_code == 200


def test_a_contributing_countrys_liaison_sees_the_cases_where_its_contingent_was_harmed(
    world, contingent_case
):
    niger = _liaison(world, "liaison_ner", "NER", LiaisonBasis.CONTRIBUTOR)

    desk = niger.get(reverse("home")).content.decode()
    board = niger.get(reverse("accountability:case_board")).content.decode()

    assert contingent_case.reference in desk and contingent_case.reference in board
    assert _sees(niger, contingent_case)
    for other in (world.case_a, world.case_b):
        assert other.reference not in desk and other.reference not in board
        assert not _sees(niger, other)  # 404: absent, not forbidden


def test_the_nationality_liaison_follows_its_nationals_not_the_contingent(world, contingent_case):
    chad = _liaison(world, "liaison_tcd", "TCD", LiaisonBasis.NATIONALITY)
    niger_by_nationality = _liaison(world, "liaison_ner_nat", "NER", LiaisonBasis.NATIONALITY)

    assert _sees(chad, contingent_case)
    assert not _sees(niger_by_nationality, contingent_case)


def test_frances_nationality_liaison_sees_mission_bs_case_only(world, client_of):
    france = client_of("liaison_fr")

    assert _sees(france, world.case_b)
    assert not _sees(france, world.case_a)
    board = france.get(reverse("accountability:case_board")).content.decode()
    assert world.case_b.reference in board and world.case_a.reference not in board


def test_liaisons_of_nationals_answer_no_communication(world, contingent_case):
    from accountability.services import followup_record

    follow_up = followup_record(
        actor=world.users["admin"],
        case=contingent_case,
        sent_on=contingent_case.attack_date + timedelta(days=5),
        channel="letter",
        summary="Request for information",
    )
    niger = _liaison(world, "liaison_ner", "NER", LiaisonBasis.CONTRIBUTOR)

    response = niger.get(reverse("accountability:followup_answer", args=[follow_up.pk]))

    assert response.status_code == 404
    assert 'id="desk-awaiting"' not in niger.get(reverse("home")).content.decode()
