"""Production mode refuses to start half-configured, and passes Django's deploy checks."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-long-random-production-secret-" + "x7Qp2" * 10,
    "ALLOWED_HOSTS": "peacekeeping.example.org",
    "EMAIL_HOST": "smtp.example.org",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser tests' conftest, never in deployment.
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    clean.pop("ALLOWED_HOSTS", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_checks():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without(missing):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}

    result = manage("check", env=env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"{missing} must be set when DEBUG is false" in result.stderr


@pytest.mark.parametrize(
    ("variable", "value"),
    [("DB_CONN_MAX_AGE", "sixty"), ("DEBUG", "maybe"), ("LOG_LEVEL", "LOUD")],
)
def test_a_malformed_variable_is_named_at_start_up(variable, value):
    result = manage("check", env={variable: value})

    assert result.returncode != 0
    assert variable in result.stderr
    assert value in result.stderr


def test_production_without_a_mail_server_refuses_to_start_and_says_what_to_set():
    env = {k: v for k, v in PRODUCTION.items() if k != "EMAIL_HOST"}

    refused = manage("check", env=env)
    console = manage(
        "check", env={**env, "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    )

    assert refused.returncode != 0
    assert "EMAIL_HOST must name your SMTP server" in refused.stderr
    assert console.returncode == 0, console.stderr


def test_plain_http_with_secure_cookies_refuses_to_start_and_names_the_variable():
    lan = {**PRODUCTION, "SITE_URL": "http://192.168.1.20:8000", "SECURE_SSL_REDIRECT": "false"}

    refused = manage("check", env=lan)
    allowed = manage(
        "shell",
        "-c",
        "from django.conf import settings; "
        "print(settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE)",
        env={**lan, "SECURE_COOKIES": "false"},
    )

    assert refused.returncode != 0
    assert "SECURE_COOKIES=false" in refused.stderr
    assert allowed.returncode == 0, allowed.stderr
    assert allowed.stdout.split()[-2:] == ["False", "False"]


def test_the_documented_local_production_recipe_starts():
    """The variables of the recipe in docs/operators/security-platform.md, as written."""
    doc = (ROOT / "docs" / "operators" / "security-platform.md").read_text()
    recipe = doc.split("<!-- local-production-recipe -->")[1]
    env = dict(re.findall(r"^export ([A-Z_]+)=(\S*)$", recipe, re.M))
    env.pop("DATABASE_URL", None)  # the machine's database is not under test here
    env.pop("REDIS_URL", None)

    assert {"DEBUG", "SECRET_KEY", "SECURE_COOKIES", "EMAIL_BACKEND"} <= set(env)
    result = manage("check", env=env)
    assert result.returncode == 0, result.stderr


def test_local_defaults_need_no_variable_at_all():
    result = manage("check", env={})

    assert result.returncode == 0, result.stderr


def test_every_variable_the_settings_read_is_documented_in_env_example():
    read = set(
        __import__("re").findall(
            r'env_(?:str|bool|int|list|choice)\(\s*"([A-Z0-9_]+)"',
            "".join(path.read_text() for path in (ROOT / "peacekeeping" / "settings").glob("*.py")),
        )
    )
    documented = {
        line.split("=", 1)[0].strip()
        for line in (ROOT / ".env.example").read_text().splitlines()
        if "=" in line and not line.lstrip().startswith("#")
    }

    assert read, "the pattern found no variable: the test would pass vacuously"
    assert read - documented == set()
