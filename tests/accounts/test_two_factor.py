"""TOTP two-factor authentication: required of privileged users when the setting is on."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from peacekeeping.models import AuditEntry
from tests.accounts.helpers import current_token, log_in


@pytest.fixture
def required(settings):
    settings.REQUIRE_2FA_FOR_PRIVILEGED = True


def _confirmed_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def test_a_legal_officer_without_a_device_is_sent_to_set_one_up(client, legal_officer, required):
    log_in(client, "legal")

    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response.url == f"{reverse('two_factor_setup')}?next=%2F"


def test_an_administrator_is_sent_to_set_up_too(client, administrator, required):
    log_in(client, "admin")

    assert client.get(reverse("account")).url.startswith(reverse("two_factor_setup"))


def test_every_page_but_the_two_factor_ones_is_closed_until_verified(
    client, legal_officer, required
):
    log_in(client, "legal")

    assert client.get(reverse("admin:index")).url.startswith(reverse("two_factor_setup"))
    assert client.get(reverse("password_change")).url.startswith(reverse("two_factor_setup"))
    assert client.get(reverse("two_factor_setup")).status_code == 200
    assert client.post(reverse("logout")).url == reverse("login")


def test_the_setup_page_shows_the_secret_and_an_otpauth_uri(client, legal_officer, required):
    log_in(client, "legal")

    page = client.get(reverse("two_factor_setup")).content.decode()

    device = TOTPDevice.objects.get(user=legal_officer, confirmed=False)
    assert "otpauth://totp/Peacekeeping%20accountability%3Alegal?secret=" in page
    assert 'src="data:image/svg+xml;base64,' in page
    secret = "".join(page.split("<code>")[1].split("</code>")[0].split())
    assert device.config_url.split("secret=")[1].startswith(secret)


def test_a_correct_code_at_setup_lets_the_legal_officer_in(client, legal_officer, required):
    log_in(client, "legal")
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=legal_officer)

    response = client.post(
        reverse("two_factor_setup"), {"token": current_token(device), "next": reverse("home")}
    )

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEntry.objects.filter(action="two_factor_enabled").exists()


def test_a_wrong_code_at_setup_does_not(client, legal_officer, required):
    log_in(client, "legal")
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=legal_officer)
    wrong = f"{(int(current_token(device)) + 1) % 1_000_000:06d}"

    response = client.post(reverse("two_factor_setup"), {"token": wrong})

    assert response.status_code == 200
    assert response.context["form"].errors["token"]
    assert client.get(reverse("home")).url.startswith(reverse("two_factor_setup"))
    device.refresh_from_db()
    assert not device.confirmed


def test_a_legal_officer_with_a_device_is_asked_for_a_code(client, legal_officer, required):
    _confirmed_device(legal_officer)
    log_in(client, "legal")

    response = client.get(reverse("account"))

    assert response.url == f"{reverse('two_factor_verify')}?next=%2Faccounts%2F"


def test_a_correct_code_lets_them_in(client, legal_officer, required):
    device = _confirmed_device(legal_officer)
    log_in(client, "legal")

    response = client.post(
        reverse("two_factor_verify"), {"token": current_token(device), "next": reverse("account")}
    )

    assert response.url == reverse("account")
    assert client.get(reverse("account")).status_code == 200


def test_a_wrong_code_does_not(client, legal_officer, required):
    device = _confirmed_device(legal_officer)
    log_in(client, "legal")
    wrong = f"{(int(current_token(device)) + 1) % 1_000_000:06d}"

    response = client.post(reverse("two_factor_verify"), {"token": wrong})

    assert response.status_code == 200
    assert response.context["form"].errors["token"]
    assert client.get(reverse("account")).url.startswith(reverse("two_factor_verify"))
    assert AuditEntry.objects.filter(action="two_factor_failed").count() == 1


def test_a_device_cannot_be_added_to_get_around_the_one_there_is(client, legal_officer, required):
    _confirmed_device(legal_officer)
    log_in(client, "legal")

    response = client.get(reverse("two_factor_setup"))

    assert response.url.startswith(reverse("two_factor_verify"))
    assert TOTPDevice.objects.filter(user=legal_officer).count() == 1


def test_verification_does_not_survive_logout(client, legal_officer, required):
    device = _confirmed_device(legal_officer)
    log_in(client, "legal")
    client.post(reverse("two_factor_verify"), {"token": current_token(device)})
    client.post(reverse("logout"))

    log_in(client, "legal")

    assert client.get(reverse("account")).url.startswith(reverse("two_factor_verify"))


def test_mission_staff_are_not_asked_for_a_second_factor(client, mission_staff, required):
    log_in(client, "staff")

    assert client.get(reverse("account")).status_code == 200


def test_nobody_is_required_while_the_setting_is_off(client, legal_officer):
    log_in(client, "legal")

    assert client.get(reverse("account")).status_code == 200


def test_a_user_who_enabled_it_is_asked_for_a_code_even_when_not_required(client, user):
    device = _confirmed_device(user)
    log_in(client, "amina")

    assert client.get(reverse("account")).url.startswith(reverse("two_factor_verify"))
    client.post(reverse("two_factor_verify"), {"token": current_token(device)})
    assert client.get(reverse("account")).status_code == 200


def test_a_user_may_turn_it_off_but_a_required_one_may_not(
    client, second_client, user, legal_officer, settings
):
    settings.REQUIRE_2FA_FOR_PRIVILEGED = True
    for who, browser in [(user, client), (legal_officer, second_client)]:
        device = _confirmed_device(who)
        log_in(browser, who.username)
        browser.post(reverse("two_factor_verify"), {"token": current_token(device)})

    client.post(reverse("two_factor_disable"))
    second_client.post(reverse("two_factor_disable"))

    assert not TOTPDevice.objects.filter(user=user).exists()
    assert TOTPDevice.objects.filter(user=legal_officer).exists()


def test_an_administrator_never_reads_another_users_second_factor_secret(
    client, administrator, legal_officer
):
    """The admin's device pages would show the secret (a QR code of it): whoever reads it
    holds the user's second factor. Refused, for a device that exists or not (not a 500)."""
    device = _confirmed_device(legal_officer)
    log_in(client, "admin")

    for view in ("config", "qrcode"):
        assert client.get(f"/admin/otp_totp/totpdevice/{device.pk}/{view}/").status_code == 403
        assert client.get(f"/admin/otp_totp/totpdevice/{device.pk + 99}/{view}/").status_code == 403
    change = client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))
    assert change.status_code == 200
    assert device.key not in change.content.decode()
