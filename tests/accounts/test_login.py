"""Logging in and out."""

from django.urls import reverse

from peacekeeping.accounts.models import UserSession
from tests.accounts.helpers import log_in


def test_it_logs_a_user_in_with_the_right_password(client, user):
    response = log_in(client, "amina")

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.get(reverse("home")).context["user"] == user


def test_it_refuses_a_wrong_password(client, user):
    response = log_in(client, "amina", "not the password at all")

    assert response.status_code == 200
    assert response.context["form"].errors
    assert client.get(reverse("home")).status_code == 302


def test_it_gives_a_new_session_key_on_login(client, user):
    session = client.session  # an anonymous session, as a visitor would have
    session["visited"] = True
    session.save()
    before = session.session_key

    log_in(client, "amina")

    assert client.session.session_key != before
    assert client.cookies["sessionid"].value == client.session.session_key


def test_it_records_the_session_of_each_login(client, user):
    log_in(client, "amina", HTTP_USER_AGENT="FieldBrowser/1.0", REMOTE_ADDR="10.1.2.3")

    row = UserSession.objects.get(user=user)
    assert row.session_key == client.session.session_key
    assert row.ip == "10.1.2.3"
    assert row.user_agent == "FieldBrowser/1.0"


def test_logging_out_takes_a_post(client, user):
    log_in(client, "amina")

    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response.url == reverse("login")
    assert client.get(reverse("home")).status_code == 302
    assert not UserSession.objects.filter(user=user).exists()


def test_the_login_page_links_to_the_password_reset(client, db):
    response = client.get(reverse("login"))

    assert reverse("password_reset") in response.content.decode()
