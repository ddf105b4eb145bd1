"""Personas of the accounts tests (helpers are in helpers.py)."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from missions.choices import Role
from missions.models import Membership
from tests.accounts.helpers import PASSWORD, make_user


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # These tests log in hundreds of times; the production hasher is slow by design.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def user(db):
    return make_user("amina")


@pytest.fixture
def legal_officer(db):
    officer = make_user("legal")
    Membership.objects.create(user=officer, role=Role.LEGAL_OFFICER, all_scope=True)
    return officer


@pytest.fixture
def mission_staff(db):
    staff = make_user("staff")
    Membership.objects.create(user=staff, role=Role.MISSION_STAFF, all_scope=True)
    return staff


@pytest.fixture
def administrator(db):
    return get_user_model().objects.create_superuser(
        username="admin", email="admin@example.org", password=PASSWORD
    )


@pytest.fixture
def second_client():
    return Client()
