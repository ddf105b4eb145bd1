"""The account page."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from missions.choices import Role
from missions.models import Membership
from tests.accounts.helpers import log_in


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(reverse("account"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_shows_the_username_roles_and_two_factor_status(client, legal_officer):
    log_in(client, "legal")

    page = client.get(reverse("account")).content.decode()

    assert "legal" in page
    assert "Legal officer" in page
    assert "Not enabled." in page
    assert reverse("password_change") in page
    assert reverse("two_factor_setup") in page
    assert 'name="language"' in page


def test_its_query_count_does_not_grow_with_roles_or_sessions(client, second_client, user):
    log_in(client, "amina")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("account")).status_code == 200
        return len(queries)

    # session, user, TOTP devices, the user's scope (navigation: may they export?),
    # memberships (with their mission and country), sessions
    assert count() == 6
    Membership.objects.create(user=user, role=Role.ANALYST, all_scope=True)
    Membership.objects.create(user=user, role=Role.LEGAL_OFFICER, all_scope=True)
    log_in(second_client, "amina")
    assert count() == 6
