"""Helpers of the accounts tests: make a user, log in through the login page, read a TOTP."""

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp

PASSWORD = "correct horse battery staple"


def make_user(username: str, **extra):
    return get_user_model().objects.create_user(
        username=username, email=f"{username}@example.org", password=PASSWORD, **extra
    )


def log_in(client: Client, username: str, password: str = PASSWORD, **extra):
    """POST the login form, as a browser would (so throttling and signals all run)."""
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def current_token(device) -> str:
    """The code an authenticator app would show now for this TOTP device."""
    code = totp(
        device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift
    )
    return f"{code:0{device.digits}d}"
