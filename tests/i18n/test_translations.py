"""French throughout: every message translated, none fuzzy, placeholders kept, the .po file
in step with the code, the legal vocabulary of francophone criminal procedure, and the
services' refusals in the user's language with their English wording unchanged."""

import gettext
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

from accountability.choices import (
    CaseStage,
    FollowUpChannel,
    InvestigationStatus,
    ProcedureStepKind,
    SupportKind,
)
from accountability.procedure import ProcedureState, procedure_step_refusal
from incidents.choices import AttackType, IncidentType
from missions.choices import PersonnelCategory, Role
from peacekeeping.management.commands.compile_translations import mo_bytes, read_po

FRENCH_PO = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"
# What makemessages is run with (the Makefile and the README say the same).
IGNORED = [".venv", "static", "tests", "bench", "node_modules"]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdgr]|\{(\w+)\}")


def _messages():
    return [entry for entry in read_po(FRENCH_PO) if entry.msgid]


def test_every_french_message_is_translated_and_none_is_fuzzy():
    entries = _messages()

    assert len(entries) > 500
    untranslated = [e.msgid for e in entries if not e.translated]
    fuzzy = [e.msgid for e in entries if e.fuzzy]
    assert untranslated == []
    assert fuzzy == []
    header = read_po(FRENCH_PO)[0]
    assert header.msgid == "" and "Language: fr" in header.msgstr[0]
    assert "fuzzy" not in header.flags


def test_every_translation_keeps_the_placeholders_of_its_message():
    mismatched = []
    for entry in _messages():
        wanted = {m.group(1) or m.group(2) for m in PLACEHOLDER.finditer(entry.msgid)}
        if entry.msgid_plural:
            wanted |= {m.group(1) or m.group(2) for m in PLACEHOLDER.finditer(entry.msgid_plural)}
        for form in entry.msgstr.values():
            found = {m.group(1) or m.group(2) for m in PLACEHOLDER.finditer(form)}
            # A plural's singular form may leave out the count; nothing else may differ.
            if found - wanted or (not entry.msgid_plural and found != wanted):
                mismatched.append((entry.msgid, form))
    assert mismatched == []


def test_the_french_file_has_every_message_of_the_code(tmp_path, monkeypatch):
    """makemessages finds no message the committed .po file lacks.

    It runs in a scratch tree (the project's folders linked, the locale folder copied):
    makemessages writes into the locale folder under the current directory, and must not
    rewrite the real one.
    """
    if shutil.which("xgettext") is None:
        pytest.skip("needs GNU gettext's xgettext (apt-get install gettext)")
    base = Path(settings.BASE_DIR)
    for child in base.iterdir():
        if child.is_dir() and child.name not in {*IGNORED, "locale", ".git", "media"}:
            (tmp_path / child.name).symlink_to(child, target_is_directory=True)
    shutil.copytree(base / "locale", tmp_path / "locale", ignore=shutil.ignore_patterns("*.mo"))
    monkeypatch.chdir(tmp_path)

    with override_settings(LOCALE_PATHS=[tmp_path / "locale"]):
        call_command(
            "makemessages", locale=["fr"], ignore_patterns=IGNORED, symlinks=True, verbosity=0
        )

    extracted = {
        (e.msgctxt, e.msgid) for e in read_po(tmp_path / "locale/fr/LC_MESSAGES/django.po")
    }
    committed = {(e.msgctxt, e.msgid) for e in read_po(FRENCH_PO)}
    assert len(extracted) > 500
    assert extracted - committed == set(), "run makemessages -l fr and translate the new ones"


def test_the_pure_python_compiler_gives_what_msgfmt_gives(tmp_path):
    if shutil.which("msgfmt") is None:
        pytest.skip("needs GNU gettext's msgfmt to compare with")
    ours = tmp_path / "ours.mo"
    ours.write_bytes(mo_bytes(read_po(FRENCH_PO)))
    reference = tmp_path / "msgfmt.mo"
    subprocess.run(
        ["msgfmt", "--check", "-o", str(reference), str(FRENCH_PO)], check=True, timeout=60
    )

    with ours.open("rb") as a, reference.open("rb") as b:
        mine, theirs = gettext.GNUTranslations(a)._catalog, gettext.GNUTranslations(b)._catalog
    assert mine.keys() == theirs.keys()
    assert {k: v for k, v in mine.items() if k} == {k: v for k, v in theirs.items() if k}


@pytest.mark.parametrize(
    ("label", "french"),
    [
        (ProcedureStepKind.WARRANT_ISSUED.label, "Mandat d'arrêt décerné"),
        (ProcedureStepKind.CHARGED.label, "Inculpé"),
        (ProcedureStepKind.COMMITTED_FOR_TRIAL.label, "Renvoyé devant la juridiction de jugement"),
        (ProcedureStepKind.TRIAL_OPENED.label, "Procès ouvert"),
        (ProcedureStepKind.CONVICTED.label, "Condamné"),
        (ProcedureStepKind.ACQUITTED.label, "Acquitté"),
        (ProcedureStepKind.APPEAL.label, "Appel interjeté"),
        (ProcedureStepKind.FINAL.label, "Décision définitive"),
        (InvestigationStatus.CLOSED_WITHOUT_CHARGE.label, "Classée sans suite"),
        (
            InvestigationStatus.REFERRED_FOR_TRIAL.label,
            "Renvoyée devant la juridiction de jugement",
        ),
        (CaseStage.CHARGED.label, "Poursuites engagées"),
        (FollowUpChannel.NOTE_VERBALE.label, "Note verbale"),
        (FollowUpChannel.DEMARCHE.label, "Démarche"),
        (SupportKind.TRAINING.label, "Formation"),
        (IncidentType.MALICIOUS_ACT.label, "Acte de malveillance"),
        (AttackType.IED.label, "Engin explosif improvisé ou mine"),
        (PersonnelCategory.FORMED_POLICE_UNIT.label, "Unité de police constituée"),
        (Role.MISSION_STAFF.label, "Personnel de la mission"),
        (Role.LEGAL_OFFICER.label, "Juriste"),
    ],
)
def test_the_legal_vocabulary_is_that_of_francophone_criminal_procedure(label, french):
    with translation.override("fr"):
        assert str(label) == french


def test_the_capacity_support_host_state_and_impunity_words():
    with translation.override("fr"):
        assert translation.gettext("Capacity support") == "Appui au renforcement des capacités"
        assert translation.gettext("Host State") == "État hôte"
        assert translation.gettext("Impunity") == "Impunité"


def test_a_refused_step_is_explained_in_french_and_still_in_english():
    nothing_yet = ProcedureState.from_steps([])

    with translation.override("fr"):
        french = procedure_step_refusal(ProcedureStepKind.CONVICTED, nothing_yet)
    with translation.override("en"):
        english = procedure_step_refusal(ProcedureStepKind.CONVICTED, nothing_yet)

    assert french == (
        "Un jugement suppose l'ouverture d'un procès\u00a0; aucun procès n'a été ouvert pour "
        "ce suspect."
    )
    assert english == "A verdict needs a trial opened; no trial has been opened for this suspect."


def test_a_refusal_with_values_puts_them_in_the_french_sentence():
    state = ProcedureState(deceased_on=date(2025, 3, 1))

    with translation.override("fr"):
        message = procedure_step_refusal(ProcedureStepKind.CHARGED, state)

    assert message == "Le suspect est décédé le 2025-03-01\u00a0; aucun acte ne peut suivre."


# French typography: a no-break space (or a narrow one) before : ; ? ! so that the mark
# never starts a line; not in times, ratios or addresses (12:30, http://).
SPACED_MARK = re.compile(r"(.)([:;?!])(?![/\d])")


def test_every_french_message_puts_a_no_break_space_before_high_punctuation():
    wrong = []
    for entry in _messages():
        for form in entry.msgstr.values():
            for match in SPACED_MARK.finditer(form):
                before = match.group(1)
                if before.isdigit() or before in "\u00a0\u202f":
                    continue
                wrong.append(form[max(0, match.start() - 15) : match.end() + 5])
    assert wrong == []


def test_no_template_puts_punctuation_after_a_message_where_french_cannot_space_it():
    """`{% translate "Status" %}:` gives "Statut:" in French: the mark belongs inside the
    message, where the French catalogue spaces it."""
    templates = Path(settings.BASE_DIR) / "templates"
    outside = re.compile(r"\{%\s*(?:translate|trans)\s+\"[^\"]*\"\s*%\}\s*[:;?!]")
    found = [
        f"{path.relative_to(templates)}: {match.group(0)}"
        for path in sorted(templates.rglob("*.html"))
        for match in outside.finditer(path.read_text())
    ]
    assert found == []
