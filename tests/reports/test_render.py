"""The report in the host State's working language: HTML, PDF (WeasyPrint), XLSX."""

import io
from datetime import date, timedelta

import pytest
from django.utils import formats, timezone, translation
from openpyxl import load_workbook

from accountability.reports.content import build_followup_content, content_sha256
from accountability.reports.labels import LABELS, choice_label, report_labels
from accountability.reports.periods import Period
from accountability.reports.render import render_html, render_pdf, render_xlsx

pytestmark = pytest.mark.django_db


def content_of(state):
    as_of = timezone.now().replace(microsecond=0) + timedelta(seconds=1)
    return build_followup_content(state, Period.containing(date.today(), "month"), as_of)


def test_every_label_exists_in_english_and_french():
    english, french = report_labels("en"), report_labels("fr")

    assert set(english) == set(french) == set(LABELS)
    assert english["title"] == "Follow-up report on attacks against peacekeepers"
    assert french["title"] == "Rapport de suivi des attaques contre les Casques bleus"
    assert choice_label("stage", "no_investigation", "fr") == "Aucune enquête enregistrée"
    assert choice_label("stage", "no_investigation", "en") == "No investigation recorded"


def test_the_html_page_of_a_french_speaking_state_is_in_french(report_world):
    content = content_of(report_world.caf)

    html = render_html(content, version=2, content_sha256=content_sha256(content))

    assert '<meta charset="utf-8">' in html
    assert '<html lang="fr">' in html
    assert "Rapport de suivi des attaques contre les Casques bleus" in html
    assert "République centrafricaine" in html
    assert "Affaires en cours" in html
    assert "Données arrêtées au" in html and content["as_of"][11:19] in html
    assert content_sha256(content) in html
    assert "Follow-up report" not in html


def test_the_html_page_of_an_english_speaking_state_is_in_english(report_world):
    content = content_of(report_world.ssd)

    html = render_html(content, version=1, content_sha256=content_sha256(content))

    assert '<html lang="en">' in html
    assert "Follow-up report on attacks against peacekeepers" in html
    assert "South Sudan" in html
    assert "Data as of" in html
    assert "Rapport de suivi" not in html


def test_the_pdf_reads_back_in_french_with_the_as_of_time(report_world, pdftotext, tmp_path):
    content = content_of(report_world.caf)
    path = tmp_path / "caf.pdf"

    path.write_bytes(render_pdf(content, version=1, content_sha256="0" * 64))
    text = pdftotext(path)

    assert "Rapport de suivi des attaques contre les Casques bleus" in text
    assert "République centrafricaine" in text
    assert "Suspects en fuite" in text
    assert "Jean-Baptiste KOYAMBA" in text
    assert "Données arrêtées au" in text
    with translation.override("fr"):
        as_of_day = formats.date_format(date.fromisoformat(content["as_of_date"]), "F Y")
    assert as_of_day in text


def test_the_workbook_has_its_sheets_in_the_states_language(report_world):
    content = content_of(report_world.caf)

    french = load_workbook(io.BytesIO(render_xlsx(content, version=1, content_sha256="x" * 64)))
    english = load_workbook(
        io.BytesIO(render_xlsx(content_of(report_world.ssd), version=1, content_sha256="y" * 64))
    )

    assert english.sheetnames == [
        "Summary",
        "Cases",
        "Closed, no conviction",
        "Victims",
        "Procedure",
        "Suspects",
        "Communications",
        "Capacity support",
        "Changes",
    ]
    assert french.sheetnames == [
        "Synthèse",
        "Affaires",
        "Closes sans condamnation",
        "Victimes",
        "Procédure",
        "Suspects",
        "Communications",
        "Renforcement des capacités",
        "Évolutions",
    ]
    cases = french["Affaires"]
    assert cases["A1"].value == "Référence"
    assert [row[0].value for row in cases.iter_rows(min_row=2)] == [
        c["reference"] for c in content["cases"]
    ]
    assert cases["M1"].value == "Impunité"
    assert cases["M2"].value.startswith("oui")
