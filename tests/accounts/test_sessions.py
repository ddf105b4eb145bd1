"""Logout, password change and deactivation end the user's other sessions and tokens."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from rest_framework.authtoken.models import Token

from peacekeeping.accounts.models import UserSession
from peacekeeping.accounts.services import user_deactivate, user_end_other_sessions
from peacekeeping.errors import DomainError, IllegalTransition
from peacekeeping.models import AuditEntry
from tests.accounts.helpers import PASSWORD, log_in

NEW_PASSWORD = "a brand new passphrase for the field"


def _is_logged_in(client) -> bool:
    return client.get(reverse("account")).status_code == 200


@pytest.fixture
def two_browsers(client, second_client, user):
    log_in(client, "amina")
    log_in(second_client, "amina")
    assert _is_logged_in(client) and _is_logged_in(second_client)
    return client, second_client


def test_logging_out_ends_the_users_other_sessions(two_browsers, user):
    laptop, phone = two_browsers

    laptop.post(reverse("logout"))

    response = phone.get(reverse("account"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert not UserSession.objects.filter(user=user).exists()


def test_logging_out_deletes_the_users_api_tokens(two_browsers, user):
    laptop, _phone = two_browsers
    Token.objects.create(user=user)

    laptop.post(reverse("logout"))

    assert not Token.objects.filter(user=user).exists()


def test_logging_out_leaves_other_users_alone(client, second_client, user, mission_staff):
    log_in(client, "amina")
    log_in(second_client, "staff")
    Token.objects.create(user=mission_staff)

    client.post(reverse("logout"))

    assert _is_logged_in(second_client)
    assert Token.objects.filter(user=mission_staff).exists()


def test_a_password_change_ends_other_sessions_but_keeps_this_one(two_browsers, user):
    laptop, phone = two_browsers
    Token.objects.create(user=user)

    response = laptop.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert response.url == reverse("password_change_done")
    assert _is_logged_in(laptop)
    assert not _is_logged_in(phone)
    assert not Token.objects.filter(user=user).exists()
    # The session kept open is still tracked, under its new key.
    assert list(UserSession.objects.filter(user=user).values_list("session_key", flat=True)) == [
        laptop.session.session_key
    ]
    assert AuditEntry.objects.filter(action="password_changed", object_id=str(user.pk)).exists()


def test_a_weak_new_password_is_refused(client, user):
    log_in(client, "amina")

    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]


def test_signing_out_other_sessions_from_the_account_page(two_browsers):
    laptop, phone = two_browsers

    laptop.post(reverse("account_end_other_sessions"))

    assert _is_logged_in(laptop)
    assert not _is_logged_in(phone)


def test_deactivation_ends_every_session_and_token(two_browsers, user, administrator):
    laptop, phone = two_browsers
    Token.objects.create(user=user)

    user_deactivate(actor=administrator, user=user)

    user.refresh_from_db()
    assert user.is_active is False
    assert not _is_logged_in(laptop)
    assert not _is_logged_in(phone)
    assert not UserSession.objects.filter(user=user).exists()
    assert not Token.objects.filter(user=user).exists()
    entry = AuditEntry.objects.get(action="user_deactivated")
    assert entry.actor == administrator
    assert entry.changes == {"is_active": [True, False]}


def test_a_deactivated_user_cannot_log_in_again(client, user, administrator):
    user_deactivate(actor=administrator, user=user)

    log_in(client, "amina")

    assert not _is_logged_in(client)


def test_only_an_administrator_may_deactivate(user, mission_staff):
    with pytest.raises(DomainError):
        user_deactivate(actor=mission_staff, user=user)

    assert get_user_model().objects.get(pk=user.pk).is_active


def test_deactivating_twice_is_refused(user, administrator):
    user_deactivate(actor=administrator, user=user)

    with pytest.raises(IllegalTransition):
        user_deactivate(actor=administrator, user=user)


def test_ending_other_sessions_reports_how_many_and_audits(two_browsers, user):
    laptop, _phone = two_browsers

    ended = user_end_other_sessions(user=user, keep_session_key=laptop.session.session_key)

    assert ended == 1
    entry = AuditEntry.objects.get(action="sessions_ended")
    assert entry.changes["sessions"] == 1
