"""A small world for follow-up reports: the Central African Republic (French) and South
Sudan (English), their missions, cases at every point of the path to justice, the
legal officers responsible for each State, an analyst and a mission focal point."""

import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import pytest

from accountability.choices import (
    FollowUpChannel,
    Institution,
    InvestigatingAuthority,
    ProcedureStepKind,
    SupportKind,
)
from accountability.models import Case
from accountability.services import (
    capacity_support_record,
    case_open,
    followup_record,
    investigation_open,
    procedure_record_step,
    suspect_identify,
)
from missions.choices import Role
from missions.models import Country, Mission
from missions.services import membership_grant
from tests.conftest import IN_CI
from tests.factories import (
    CasualtyFactory,
    CountryFactory,
    IncidentFactory,
    MissionFactory,
    UserFactory,
)

K = ProcedureStepKind
SOURCE = "Procès-verbal"


def days_ago(days: int) -> date:
    return date.today() - timedelta(days=days)


@dataclass
class ReportWorld:
    caf: Country
    ssd: Country
    cod: Country
    minusca: Mission
    unmiss: Mission
    case_old: Case  # no investigation for 400 days: impunity
    case_detained: Case  # suspect held 250 days without trial: impunity (no progress)
    case_recent: Case  # attack 20 days ago, investigation and arrest today
    case_ssd: Case
    users: dict


def state(iso3: str, name_en: str, name_fr: str, language: str) -> Country:
    return CountryFactory(iso3=iso3, name_en=name_en, name_fr=name_fr, working_language=language)


def attack(actor, mission, host, *, days: int, killed: int = 1) -> Case:
    incident = IncidentFactory(
        mission=mission,
        country=host,
        occurred_at=datetime.combine(days_ago(days), time(9), UTC),
    )
    for _ in range(killed):
        CasualtyFactory(incident=incident)
    return case_open(actor=actor, incidents=[incident], opened_on=days_ago(days))


def build_report_world() -> ReportWorld:
    caf = state("CAF", "Central African Republic", "République centrafricaine", "fr")
    ssd = state("SSD", "South Sudan", "Soudan du Sud", "en")
    cod = state("COD", "Democratic Republic of the Congo", "République démocratique du Congo", "fr")
    minusca = MissionFactory(acronym="MINUSCA", host_countries=[caf])
    unmiss = MissionFactory(acronym="UNMISS", host_countries=[ssd])
    monusco = MissionFactory(acronym="MONUSCO", host_countries=[cod])
    admin = UserFactory(username="report_admin", is_superuser=True, is_staff=True)

    case_old = attack(admin, minusca, caf, days=400)
    at_large = suspect_identify(
        actor=admin,
        case=case_old,
        name="Jean-Baptiste KOYAMBA",
        identified_on=days_ago(390),
        source=SOURCE,
    )
    procedure_record_step(
        actor=admin, suspect=at_large, kind=K.AT_LARGE, occurred_on=days_ago(385), source=SOURCE
    )
    # suspect_identify counts as progress; push the case back into impunity by its date.
    followup_record(
        actor=admin,
        case=case_old,
        sent_on=days_ago(60),
        channel=FollowUpChannel.NOTE_VERBALE,
        summary="Demande d'information sur l'enquête",
        response_due=days_ago(30),
    )

    case_detained = attack(admin, minusca, caf, days=300, killed=2)
    investigation_open(
        actor=admin,
        case=case_detained,
        authority=InvestigatingAuthority.PROSECUTOR,
        opened_on=days_ago(280),
        source=SOURCE,
        authority_name="Tribunal de grande instance de Bangui",
    )
    held = suspect_identify(
        actor=admin,
        case=case_detained,
        name="Pierre NGAÏKOSSET",
        identified_on=days_ago(260),
        source=SOURCE,
    )
    procedure_record_step(
        actor=admin,
        suspect=held,
        kind=K.ARRESTED,
        occurred_on=days_ago(250),
        source=SOURCE,
        legal_term="mandat de dépôt",
    )

    case_recent = attack(admin, minusca, caf, days=20)
    investigation_open(
        actor=admin,
        case=case_recent,
        authority=InvestigatingAuthority.POLICE,
        opened_on=date.today(),
        source=SOURCE,
    )
    recent = suspect_identify(
        actor=admin,
        case=case_recent,
        name="Abdel ZAKARIA",
        identified_on=date.today(),
        source=SOURCE,
    )
    procedure_record_step(
        actor=admin, suspect=recent, kind=K.ARRESTED, occurred_on=date.today(), source=SOURCE
    )
    capacity_support_record(
        actor=admin,
        host_state=caf,
        provided_on=date.today(),
        institution=Institution.JUDICIARY,
        kind=SupportKind.TRAINING,
        description="Formation des magistrats de la Cour pénale spéciale",
        mission=minusca,
        cases=[case_recent],
    )
    case_ssd = attack(admin, unmiss, ssd, days=200)
    attack(admin, monusco, cod, days=150)

    users = {"admin": admin}
    grants = {
        "legal_caf": {"role": Role.LEGAL_OFFICER, "country": caf},
        "legal_minusca": {"role": Role.LEGAL_OFFICER, "mission": minusca},
        "legal_ssd": {"role": Role.LEGAL_OFFICER, "country": ssd},
        "analyst_caf": {"role": Role.ANALYST, "country": caf},
        "analyst_caf_names": {"role": Role.ANALYST, "mission": minusca, "can_see_names": True},
        "analyst_all": {"role": Role.ANALYST, "all_scope": True, "can_see_names": True},
        "staff_minusca": {"role": Role.MISSION_STAFF, "mission": minusca},
        "focal_minusca": {"role": Role.MISSION_STAFF, "mission": minusca, "is_focal_point": True},
        "liaison_caf": {"role": Role.LIAISON, "country": caf, "liaison_basis": "host_state"},
    }
    for username, grant in grants.items():
        users[username] = UserFactory(username=username)
        membership_grant(actor=admin, user=users[username], **grant)
    users["anonymous"] = None
    for case in (case_old, case_detained, case_recent, case_ssd):
        case.refresh_from_db()
    return ReportWorld(
        caf=caf,
        ssd=ssd,
        cod=cod,
        minusca=minusca,
        unmiss=unmiss,
        case_old=case_old,
        case_detained=case_detained,
        case_recent=case_recent,
        case_ssd=case_ssd,
        users=users,
    )


@pytest.fixture
def report_world(db) -> ReportWorld:
    return build_report_world()


@pytest.fixture
def media_root(settings, tmp_path):
    """Report files go to a throwaway folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def pdftotext():
    """Read a PDF's text back with poppler's pdftotext."""
    binary = shutil.which("pdftotext")
    if binary is None:
        if IN_CI:
            pytest.fail("CI needs pdftotext (Debian poppler-utils)")
        pytest.skip("needs pdftotext (Debian poppler-utils)")

    def read(path) -> str:
        result = subprocess.run(
            [binary, "-layout", "-enc", "UTF-8", str(path), "-"],
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


def stored_files(media_root) -> list[str]:
    """Every report file under the media folder, relative to it, sorted."""
    root = media_root / "reports"
    return sorted(str(p.relative_to(media_root)) for p in root.rglob("*") if p.is_file())
