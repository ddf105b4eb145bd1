"""A case's timeline and an incident's history are stored as codes and parameters and
written in the reader's language when shown; the English prose stored before is turned
into codes by a data migration."""

import importlib
from datetime import date

import pytest
from django.apps import apps
from django.db import connection
from django.utils import translation

from accountability.choices import CaseEventKind
from accountability.models import CaseEvent
from accountability.selectors import case_timeline
from accountability.services import followup_record
from peacekeeping.choices import AuditAction
from tests.i18n.helpers import ensure_compiled

migration = importlib.import_module(
    "accountability.migrations.0010_case_event_kind_choices_and_params"
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def compiled():
    ensure_compiled()


def _lines(case, language: str) -> list[str]:
    with translation.override(language):
        return [entry.description for entry in case_timeline(case)]


def test_the_case_timeline_is_written_in_the_readers_language(world):
    case = world.case_a
    followup_record(
        actor=world.users["admin"],
        case=case,
        channel="note_verbale",
        sent_on=date(2026, 12, 1),
        summary="Demande d'information",
        response_due=date(2026, 12, 6),
    )

    english, french = _lines(case, "en"), _lines(case, "fr")

    assert any(line.startswith("Case opened for ") for line in english)
    assert any(line.startswith("Affaire ouverte pour ") for line in french)
    assert not any(line.startswith("Case opened") for line in french)
    assert (
        "Note verbale to the host State, response due 6 December 2026: Demande d'information"
        in english
    )
    assert (
        "Note verbale à l’État hôte, réponse attendue le 6 décembre 2026\u00a0: "
        "Demande d'information" in french
    )


def test_event_kinds_and_audit_actions_have_labels_in_both_languages():
    with translation.override("fr"):
        assert str(CaseEventKind.CASE_OPENED.label) == "Affaire ouverte"
        assert AuditAction.label_of("procedure_step.record") == "Étape de la procédure enregistrée"
        assert AuditAction.label_of("case.notify_opened") == "Ouverture de l’affaire notifiée"
    assert AuditAction.label_of("case.notify_opened") == "Opening of the case notified"
    assert AuditAction.label_of("something.else") == "something.else"


@pytest.mark.parametrize(
    ("kind", "prose", "params", "typed"),
    [
        (
            "case_opened",
            "Case opened by an import for MINUSMA-2019-0001, MINUSMA-2019-0002.",
            {"incidents": ["MINUSMA-2019-0001", "MINUSMA-2019-0002"], "by_import": True},
            "",
        ),
        (
            "investigation_opened",
            "Investigation opened by Military justice (Tribunal militaire). Saisi.",
            {"authority": "military_justice", "authority_name": "Tribunal militaire"},
            "Saisi.",
        ),
        (
            "investigation_status",
            "Investigation by Military justice: Opened → Suspects identified.",
            {"authority": "military_justice", "before": "opened", "after": "suspects_identified"},
            "",
        ),
        (
            "follow_up",
            "Letter to the host State: Asked for news (response due 2026-01-31)",
            {"channel": "letter", "response_due": "2026-01-31"},
            "Asked for news",
        ),
        (
            "follow_up_response",
            "Response of the host State to the note verbale of 2026-01-02: Under way",
            {"channel": "note_verbale", "sent_on": "2026-01-02"},
            "Under way",
        ),
        (
            "capacity_support",
            "Training for prosecution service: Two weeks in Bangui",
            {"kind": "training", "institution": "prosecution"},
            "Two weeks in Bangui",
        ),
        (
            "host_state_assigned",
            "Host State with jurisdiction: Mali.",
            {"host_state": {"en": "Mali", "fr": "Mali (fr)"}},
            "",
        ),
    ],
)
def test_the_migration_reads_each_kind_of_stored_prose(kind, prose, params, typed):
    assert migration.parse(kind, prose, {"Mali": "Mali (fr)"}) == (params, typed)


def test_the_migration_turns_stored_prose_into_codes_and_keeps_what_it_cannot_read(world):
    case = world.case_a
    CaseEvent.objects.filter(case=case).delete()
    old = CaseEvent.objects.create(
        case=case,
        kind="incident_joined",
        occurred_on=date(2025, 1, 1),
        description="MINUSCA-2025-0007 joined to the case.",
    )
    odd = CaseEvent.objects.create(
        case=case, kind="incident_joined", occurred_on=date(2025, 1, 2), description="Something"
    )

    # The editor as the migration gets it, not entered: SQLite's cannot be entered inside
    # the test's transaction, and the migration only reads its connection.
    migration.prose_to_codes(apps, connection.schema_editor())

    old.refresh_from_db()
    odd.refresh_from_db()
    assert (old.params, old.description) == ({"incident": "MINUSCA-2025-0007"}, "")
    assert (odd.params, odd.description) == ({}, "Something")
    assert "MINUSCA-2025-0007 rattaché à l’affaire." in _lines(case, "fr")


def test_a_host_state_not_yet_known_reads_to_be_determined(world, client):
    case = world.case_a
    case.host_state = None
    case.save(update_fields=["host_state"])
    client.force_login(world.users["admin"])

    english = client.get(case.get_absolute_url()).text
    french = client.get(case.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").text

    assert "None" not in english
    assert "to be determined" in english
    assert "à déterminer" in french
