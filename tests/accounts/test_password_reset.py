"""Password reset by e-mail."""

import re

from django.core import mail
from django.urls import reverse
from rest_framework.authtoken.models import Token

from tests.accounts.helpers import log_in

NEW_PASSWORD = "a brand new passphrase for the field"


def _reset_link(client, email: str) -> str:
    client.post(reverse("password_reset"), {"email": email})
    return re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[-1].body).group(1)


def test_it_mails_a_reset_link(client, user):
    response = client.post(reverse("password_reset"), {"email": "amina@example.org"})

    assert response.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["amina@example.org"]
    assert "/accounts/password/reset/" in mail.outbox[0].body


def test_it_mails_nothing_for_an_unknown_address_and_says_the_same(client, user):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})

    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []


def test_the_link_sets_a_new_password(client, user):
    link = _reset_link(client, "amina@example.org")

    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.url == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert log_in(client, "amina", NEW_PASSWORD).status_code == 302


def test_a_reset_ends_every_session_and_token(client, second_client, user):
    log_in(second_client, "amina")
    Token.objects.create(user=user)
    link = _reset_link(client, "amina@example.org")
    form_page = client.get(link, follow=True)

    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert second_client.get(reverse("account")).status_code == 302
    assert not Token.objects.filter(user=user).exists()


def test_the_link_works_only_once(client, user):
    link = _reset_link(client, "amina@example.org")
    form_page = client.get(link, follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    again = client.get(link, follow=True)

    assert not again.context["validlink"]
