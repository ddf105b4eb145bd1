"""Who may be given which role over what, and missions written one row at a time."""

from datetime import date
from decimal import Decimal

import pytest

from missions.choices import LiaisonBasis, Role
from missions.models import Country, Membership, Mission
from missions.services import membership_grant, membership_revoke, mission_upsert_from_row
from peacekeeping.errors import DomainError
from peacekeeping.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(django_user_model):
    return django_user_model.objects.create_user(username="admin", password="x" * 16)


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user(username="officer", password="x" * 16)


@pytest.fixture
def minusca():
    return Mission.objects.get(acronym="MINUSCA")


@pytest.fixture
def car():
    return Country.objects.get(iso3="CAF")


# --- membership_grant / membership_revoke ----------------------------------------------


def test_it_grants_a_liaison_of_a_host_state_and_audits_who_did_it(admin, user, car):
    membership = membership_grant(
        actor=admin,
        user=user,
        role=Role.LIAISON,
        country=car,
        liaison_basis=LiaisonBasis.HOST_STATE,
    )

    assert user.memberships.get() == membership
    entry = AuditEntry.objects.get(action="membership.grant")
    assert (entry.actor_name, entry.object_id) == ("admin", str(membership.pk))
    assert entry.changes["role"] == [None, "liaison"]
    assert entry.changes["country_id"] == [None, car.pk]


def test_it_rejects_a_liaison_without_a_country(admin, user, minusca):
    with pytest.raises(DomainError, match="A liaison works for a State: choose the country"):
        membership_grant(
            actor=admin,
            user=user,
            role=Role.LIAISON,
            mission=minusca,
            liaison_basis=LiaisonBasis.CONTRIBUTOR,
        )

    assert not user.memberships.exists()


def test_it_rejects_a_liaison_who_does_not_say_why_the_state_may_follow_cases(admin, user, car):
    with pytest.raises(DomainError, match="host State, contributor or nationality"):
        membership_grant(actor=admin, user=user, role=Role.LIAISON, country=car)


@pytest.mark.parametrize("scope", ["none", "mission_and_country", "mission_and_everything"])
def test_it_rejects_anything_but_exactly_one_scope(admin, user, minusca, car, scope):
    kwargs = {
        "none": {},
        "mission_and_country": {"mission": minusca, "country": car},
        "mission_and_everything": {"mission": minusca, "all_scope": True},
    }[scope]

    with pytest.raises(DomainError, match="exactly one scope") as refused:
        membership_grant(actor=admin, user=user, role=Role.ANALYST, **kwargs)

    assert refused.value.code == "scope"
    assert not Membership.objects.exists()


def test_it_grants_everything_to_an_analyst_but_not_to_mission_staff(admin, user):
    analyst = membership_grant(actor=admin, user=user, role=Role.ANALYST, all_scope=True)
    assert analyst.all_scope

    with pytest.raises(DomainError, match="Only administrators and analysts"):
        membership_grant(actor=admin, user=user, role=Role.MISSION_STAFF, all_scope=True)


def test_it_rejects_mission_staff_of_a_state(admin, user, car):
    with pytest.raises(DomainError, match="Mission staff work for a mission"):
        membership_grant(actor=admin, user=user, role=Role.MISSION_STAFF, country=car)


def test_it_rejects_a_focal_point_who_is_not_attached_to_a_mission(admin, user, car):
    with pytest.raises(DomainError, match="focal point of a mission"):
        membership_grant(
            actor=admin, user=user, role=Role.LEGAL_OFFICER, country=car, is_focal_point=True
        )


def test_it_rejects_giving_the_same_role_over_the_same_mission_twice(admin, user, minusca):
    membership_grant(actor=admin, user=user, role=Role.MISSION_STAFF, mission=minusca)

    with pytest.raises(DomainError, match="already has the role Mission staff for MINUSCA"):
        membership_grant(actor=admin, user=user, role=Role.MISSION_STAFF, mission=minusca)

    assert user.memberships.count() == 1


def test_revoking_a_membership_takes_the_access_away_and_keeps_a_record(admin, user, minusca):
    membership = membership_grant(
        actor=admin, user=user, role=Role.LEGAL_OFFICER, mission=minusca, can_see_names=True
    )

    membership_revoke(actor=admin, membership=membership)

    assert not user.memberships.exists()
    entry = AuditEntry.objects.get(action="membership.revoke")
    assert entry.object_id == str(membership.pk)
    assert entry.changes["mission_id"] == [minusca.pk, None]
    assert entry.changes["can_see_names"] == [True, None]
    with pytest.raises(DomainError, match="already been revoked"):
        membership_revoke(actor=admin, membership=membership)


# --- mission_upsert_from_row -------------------------------------------------------------


def test_it_creates_a_mission_from_a_row_and_audits_it(admin):
    mission, outcome = mission_upsert_from_row(
        actor=admin,
        acronym="UNTEST",
        values={"name_en": "United Nations Test Mission", "mandate_start": date(2020, 1, 1)},
        host_iso3=["mli", "NER"],
    )

    assert outcome == "created"
    assert sorted(mission.host_countries.values_list("iso3", flat=True)) == ["MLI", "NER"]
    entry = AuditEntry.objects.get(action="mission.create")
    assert entry.changes["host_countries"] == [None, ["MLI", "NER"]]


def test_a_row_that_matches_the_mission_changes_nothing(admin):
    values = {"name_en": "United Nations Interim Force in Lebanon", "active": True}

    _, outcome = mission_upsert_from_row(
        actor=admin, acronym="UNIFIL", values=values, host_iso3=["LBN"]
    )

    assert outcome == "unchanged"
    assert not AuditEntry.objects.exists()


def test_it_refuses_a_latitude_out_of_range_and_keeps_the_mission_as_it_was(admin):
    with pytest.raises(DomainError, match="Mission UNIFIL: hq_latitude"):
        mission_upsert_from_row(
            actor=admin, acronym="UNIFIL", values={"hq_latitude": Decimal("135.1342")}
        )

    assert Mission.objects.get(acronym="UNIFIL").hq_latitude == Decimal("33.12")


def test_it_refuses_an_unknown_host_country(admin):
    with pytest.raises(DomainError, match="unknown host country code XYZ"):
        mission_upsert_from_row(
            actor=admin, acronym="UNTEST", values={"name_en": "Test"}, host_iso3=["XYZ"]
        )

    assert not Mission.objects.filter(acronym="UNTEST").exists()


def test_unknown_codes_are_counted_in_the_plural_in_both_languages(admin):
    from django.utils import translation

    for language, one, many in (
        ("en", "unknown host country code XYZ.", "unknown host country codes XYY, XYZ."),
        ("fr", "code de pays hôte inconnu XYZ.", "codes de pays hôte inconnus XYY, XYZ."),
    ):
        with translation.override(language):
            for codes, expected in ((["XYZ"], one), (["XYZ", "XYY"], many)):
                with pytest.raises(DomainError) as refused:
                    mission_upsert_from_row(
                        actor=admin, acronym="UNTEST", values={"name_en": "Test"}, host_iso3=codes
                    )
                assert refused.value.message.endswith(expected)
