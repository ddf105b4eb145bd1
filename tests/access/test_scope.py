"""Each persona sees exactly its scope: `visible_to(user)` per model."""

import pytest

from accountability.models import Case, FollowUp, Suspect
from incidents.models import Casualty, Incident

pytestmark = pytest.mark.django_db

# persona -> (incidents seen, cases seen, suspects seen), as sets of "a"/"b".
POLICY = {
    "admin": ({"a", "b"}, {"a", "b"}, {"a", "b"}),
    "staff_a": ({"a"}, {"a"}, set()),
    "legal_a": ({"a"}, {"a"}, {"a"}),
    "analyst_a": ({"a"}, {"a"}, {"a"}),
    "analyst_all": ({"a", "b"}, {"a", "b"}, {"a", "b"}),
    "liaison_a": ({"a"}, {"a"}, {"a"}),
    "liaison_fr": ({"b"}, {"b"}, {"b"}),
    "staff_b": ({"b"}, {"b"}, set()),
    "liaison_other": (set(), set(), set()),
    "deactivated": (set(), set(), set()),
}


def _seen(queryset, world, attr):
    names = {"a": getattr(world, f"{attr}_a").pk, "b": getattr(world, f"{attr}_b").pk}
    pks = set(queryset.values_list("pk", flat=True))
    return {label for label, pk in names.items() if pk in pks}


@pytest.mark.parametrize("persona", sorted(POLICY))
def test_each_persona_sees_exactly_its_scope(world, persona):
    user = world.users[persona]
    incidents, cases, suspects = POLICY[persona]

    assert _seen(Incident.objects.visible_to(user), world, "incident") == incidents
    assert _seen(Case.objects.visible_to(user), world, "case") == cases
    assert _seen(Suspect.objects.visible_to(user), world, "suspect") == suspects


def test_anonymous_sees_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert not Incident.objects.visible_to(anonymous).exists()
    assert not Case.objects.visible_to(anonymous).exists()
    assert not Casualty.objects.visible_to(anonymous).exists()
    assert not FollowUp.objects.visible_to(anonymous).exists()


def test_mission_staff_never_see_suspects_or_follow_ups(world):
    staff = world.users["staff_a"]

    assert not Suspect.objects.visible_to(staff).exists()
    assert not FollowUp.objects.visible_to(staff).exists()
    assert Casualty.objects.visible_to(staff).filter(incident=world.incident_a).exists()


def test_names_are_masked_for_analysts_unless_granted(world):
    from missions.scope import sees_names

    assert not sees_names(world.users["analyst_a"], mission_id=world.mission_a.pk)
    assert sees_names(world.users["analyst_all"], mission_id=world.mission_a.pk)
    assert sees_names(world.users["legal_a"], mission_id=world.mission_a.pk)
    assert not sees_names(world.users["liaison_a"], mission_id=world.mission_a.pk)
