"""Production headers and cookies, read off real responses of the app started with the
production settings (DEBUG=false, in a subprocess, on the test database): HSTS, nosniff,
a strict Content-Security-Policy with frame-ancestors 'none' and no inline script,
Referrer-Policy, and Secure, HttpOnly, SameSite cookies. (`check --deploy` is clean:
tests/foundation/test_settings.py.)"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from tests.reliability.conftest import subprocess_database_url

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
from django.test.utils import override_settings

# Only change: static files without the manifest (collectstatic is not run for a test).
# Static files found where they lie (WhiteNoise's finders), as collectstatic would serve.
override_settings(
    STORAGES={**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}},
    WHITENOISE_USE_FINDERS=True,
).enable()

def cookie(client, name):
    morsel = client.cookies.get(name)
    if morsel is None:
        return None
    return {"secure": bool(morsel["secure"]), "httponly": bool(morsel["httponly"]),
            "samesite": morsel["samesite"]}

client = Client()
plain = client.get("/accounts/login/")
page = client.get("/accounts/login/", secure=True)
login = client.post(
    "/accounts/login/", {"username": "officer", "password": "a-long-password-2589"}, secure=True
)
language = client.post("/i18n/setlang/", {"language": "fr", "next": "/"}, secure=True)
static = client.get("/static/css/app.css", secure=True)
healthz = client.get("/healthz/", secure=True)
print(json.dumps({
    "language": {"status": language.status_code},
    "django_language": cookie(client, settings.LANGUAGE_COOKIE_NAME),
    "static": {"status": static.status_code, "headers": dict(static.headers.items())},
    "healthz": {"status": healthz.status_code, "headers": dict(healthz.headers.items())},
    "plain": {"status": plain.status_code, "location": plain.get("Location")},
    "page": {"status": page.status_code, "headers": dict(page.headers.items())},
    "login": {"status": login.status_code, "location": login.get("Location")},
    "csrftoken": cookie(client, "csrftoken"),
    "sessionid": cookie(client, "sessionid"),
}))
"""


_PROBED: dict = {}


@pytest.fixture
def production(needs_postgres):
    """What the probe saw (run once for the module: a subprocess costs seconds)."""
    if _PROBED:
        return _PROBED
    # Hashed as production hashes (the test settings use a fast hasher the subprocess
    # does not know).
    get_user_model().objects.create(
        username="officer",
        password=PBKDF2PasswordHasher().encode(
            "a-long-password-2589", "reliabilitysalt1", iterations=1000
        ),
    )
    env = {
        **os.environ,
        "DATABASE_URL": subprocess_database_url(),
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "testserver",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "REDIS_URL": "",
        "LOG_LEVEL": "ERROR",
        "PYTHONPATH": str(ROOT),
    }
    for name in ("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_PRELOAD"):
        env.pop(name, None)  # the production defaults
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-3000:]
    _PROBED.update(json.loads(result.stdout.strip().splitlines()[-1]))
    return _PROBED


def test_plain_http_is_redirected_to_https(production):
    assert production["plain"]["status"] == 301
    assert production["plain"]["location"].startswith("https://")


def test_security_headers_are_set(production):
    headers = production["page"]["headers"]
    assert production["page"]["status"] == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_content_security_policy_is_strict(production):
    policy = {
        directive.split()[0]: directive.split()[1:]
        for directive in production["page"]["headers"]["Content-Security-Policy"].split(";")
        if directive.strip()
    }
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    script = policy["script-src"]
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script
    assert all(source == "'self'" or source.startswith("'nonce-") for source in script)
    assert "'unsafe-inline'" not in policy["style-src"]


def test_cookies_are_secure_httponly_and_samesite(production):
    assert production["login"]["status"] == 302  # signed in: a session cookie was set
    for name in ("csrftoken", "sessionid"):
        assert production[name] == {"secure": True, "httponly": True, "samesite": "Lax"}, name


@pytest.mark.parametrize("answer", ["static", "healthz"])
def test_static_files_and_probes_get_the_pages_security_headers(production, answer):
    page = production["page"]["headers"]
    headers = production[answer]["headers"]

    assert production[answer]["status"] == 200
    for name in (
        "Strict-Transport-Security",
        "X-Content-Type-Options",
        "X-Frame-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
    ):
        assert headers.get(name) == page[name], name
    policy = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy and "default-src 'self'" in policy
    assert "'unsafe-inline'" not in policy


def test_the_language_cookie_is_secure_httponly_and_samesite(production):
    assert production["language"]["status"] == 302
    assert production["django_language"] == {"secure": True, "httponly": True, "samesite": "Lax"}
