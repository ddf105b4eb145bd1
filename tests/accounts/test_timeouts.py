"""Idle and absolute session timeouts: timestamps in the session are moved, no sleeping."""

import time

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from peacekeeping.accounts.models import UserSession
from peacekeeping.accounts.services import SESSION_LAST_SEEN, SESSION_STARTED_AT
from tests.accounts.helpers import log_in


def _age_session(client, **seconds_ago):
    session = client.session
    now = time.time()
    for key, ago in seconds_ago.items():
        session[key] = now - ago
    session.save()


@pytest.fixture
def logged_in(client, user):
    log_in(client, "amina")
    return client


def test_a_session_idle_beyond_the_limit_is_sent_to_the_login_page(logged_in, user):
    _age_session(logged_in, **{SESSION_LAST_SEEN: 1801})

    response = logged_in.get(reverse("account"))

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={reverse('account')}"
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("inactivity" in m for m in messages)
    assert not UserSession.objects.filter(user=user).exists()


def test_the_expiry_message_is_shown_on_the_login_page(logged_in):
    _age_session(logged_in, **{SESSION_LAST_SEEN: 1801})

    response = logged_in.get(reverse("account"), follow=True)

    assert "Your session expired after a period of inactivity" in response.content.decode()
    assert not response.context["user"].is_authenticated


def test_an_expired_session_stays_logged_out(logged_in):
    _age_session(logged_in, **{SESSION_LAST_SEEN: 1801})
    logged_in.get(reverse("account"))

    assert logged_in.get(reverse("account")).status_code == 302
    assert not logged_in.session.get("_auth_user_id")


def test_a_session_used_within_the_idle_limit_stays_open(logged_in):
    _age_session(logged_in, **{SESSION_LAST_SEEN: 1700})

    assert logged_in.get(reverse("account")).status_code == 200
    # The request counted as activity: the idle clock starts again.
    assert time.time() - logged_in.session[SESSION_LAST_SEEN] < 5


def test_a_session_older_than_the_absolute_limit_expires_however_active(logged_in):
    _age_session(logged_in, **{SESSION_STARTED_AT: 12 * 3600 + 1, SESSION_LAST_SEEN: 10})

    response = logged_in.get(reverse("account"), follow=True)

    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert "maximum length" in response.content.decode()


def test_the_limits_come_from_the_settings(logged_in, settings):
    settings.SESSION_IDLE_TIMEOUT = 300
    _age_session(logged_in, **{SESSION_LAST_SEEN: 301})

    assert logged_in.get(reverse("account")).status_code == 302


def test_an_htmx_request_is_redirected_by_htmx(logged_in):
    _age_session(logged_in, **{SESSION_LAST_SEEN: 1801})

    response = logged_in.get(reverse("account"), HTTP_HX_REQUEST="true")

    assert response["HX-Redirect"] == reverse("login")


def test_activity_is_recorded_at_most_once_a_minute(logged_in, user):
    row = UserSession.objects.get(user=user)
    _age_session(logged_in, **{SESSION_LAST_SEEN: 120})
    logged_in.get(reverse("account"))
    touched = UserSession.objects.get(pk=row.pk).last_seen

    logged_in.get(reverse("account"))

    assert touched > row.last_seen
    assert UserSession.objects.get(pk=row.pk).last_seen == touched
