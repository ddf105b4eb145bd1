"""Mixed load for test_scale_out.py. Run by locust's command line only: it is never
imported by a process that has imported Django (locust's gevent patches would not mix).

Each simulated user sends every request to one of the web processes at random (the two
share nothing but PostgreSQL, Redis and the object store): it reads lists through the
API, and now and then asks for an export or a follow-up report, which the Celery workers
build. Any answer but the expected status counts as a failure.

Environment: SCALE_HOSTS (comma-separated base URLs), SCALE_TOKEN (an API token of a
legal officer), SCALE_STATE (a host State that officer answers for).
"""

import os
import random

from locust import HttpUser, between, task

HOSTS = [host.rstrip("/") for host in os.environ["SCALE_HOSTS"].split(",") if host]
TOKEN = os.environ["SCALE_TOKEN"]
STATE = os.environ.get("SCALE_STATE", "CAF")
EXPORTS = [("incidents", "csv"), ("cases", "xlsx"), ("casualties", "json")]


class LegalOfficer(HttpUser):
    wait_time = between(0.2, 0.8)
    host = HOSTS[0]

    def on_start(self):
        self.client.headers["Authorization"] = f"Token {TOKEN}"

    def _get(self, path: str, name: str) -> None:
        url = random.choice(HOSTS) + path
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}: {response.text[:200]}")

    def _post(self, path: str, body: dict, name: str, expected: set[int]) -> None:
        url = random.choice(HOSTS) + path
        with self.client.post(url, json=body, name=name, catch_response=True) as response:
            if response.status_code not in expected:
                response.failure(f"{response.status_code}: {response.text[:200]}")

    @task(6)
    def incident_list(self):
        self._get("/api/v1/incidents/?page_size=50", "GET /api/v1/incidents/")

    @task(4)
    def case_list(self):
        self._get("/api/v1/cases/?page_size=50", "GET /api/v1/cases/")

    @task(2)
    def report_list(self):
        self._get("/api/v1/followup-reports/", "GET /api/v1/followup-reports/")

    @task(1)
    def export_list(self):
        self._get("/api/v1/exports/", "GET /api/v1/exports/")

    @task(3)
    def request_export(self):
        kind, fmt = random.choice(EXPORTS)
        body = {"kind": kind, "format": fmt}
        # 202: queued for a worker (EXPORT_ASYNC_THRESHOLD=0 in the test).
        self._post("/api/v1/exports/", body, "POST /api/v1/exports/", {202})

    @task(1)
    def request_report(self):
        body = {"host_state": STATE}
        # 201 for a new version; 200 when the period's content is unchanged (the existing
        # version, or the one being built, is returned).
        self._post("/api/v1/followup-reports/", body, "POST /api/v1/followup-reports/", {200, 201})
