"""The follow-up report as a document a ministry can receive: what it says about each
case, its addressee, symbol, dates, marking and wording, in French and in English."""

import io
import re
import subprocess
from datetime import date, timedelta

import pytest
from django.utils import formats, timezone, translation
from openpyxl import load_workbook

from accountability.choices import FollowUpChannel, Institution, ProcedureStepKind, SupportKind
from accountability.models import Case, Suspect
from accountability.reports.case_details import case_details, un_requests
from accountability.reports.content import build_followup_content
from accountability.reports.delivery import report_addressee_set
from accountability.reports.labels import LABELS, report_labels
from accountability.reports.periods import Period
from accountability.reports.render import render_html, render_pdf, render_xlsx
from accountability.reports.workbook import SHEET_NAME_LIMIT
from accountability.services import (
    capacity_support_record,
    followup_record,
    followup_record_response,
    procedure_record_step,
    suspect_identify,
)
from incidents.models import Incident
from tests.factories import CountryFactory
from tests.reports.conftest import SOURCE, days_ago

pytestmark = pytest.mark.django_db
K = ProcedureStepKind
NBSP = "\u00a0"
FORMULA = '=HYPERLINK("http://evil.example/x","clic")'


def content_of(state, *, as_of=None):
    as_of = as_of or timezone.now().replace(microsecond=0) + timedelta(seconds=1)
    return build_followup_content(state, Period.containing(as_of.date(), "month"), as_of)


def case_in(content, case):
    return next(c for c in content["cases"] if c["reference"] == case.reference)


def pdf_text(content, pdftotext, tmp_path, name="report.pdf") -> str:
    """The PDF's text in reading order, each run of spaces and line breaks as one space
    (a table cell's text wraps), pages still separated by form feeds."""
    path = tmp_path / name
    path.write_bytes(render_pdf(content, version=2, content_sha256="f" * 64))
    pdftotext(path)  # fails the test in CI when poppler is missing
    raw = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    return "\f".join(re.sub(r"\s+", " ", page) for page in raw.split("\f"))


@pytest.fixture
def detailed(report_world):
    """The detained suspect's case, with its place, victims' nationality and contingent,
    a communication answered and one unanswered."""
    case = report_world.case_detained
    Incident.objects.filter(case_link__case=case).update(place="Bambari", admin_area="Ouaka")
    admin = report_world.users["admin"]
    answered = followup_record(
        actor=admin,
        case=case,
        sent_on=days_ago(200),
        channel=FollowUpChannel.NOTE_VERBALE,
        summary="Demande de renvoi en jugement",
    )
    followup_record_response(
        actor=admin, follow_up=answered, received_on=days_ago(190), outcome="Instruction en cours"
    )
    return case


def test_each_case_names_its_place_victims_procedure_communications_and_the_uns_request(
    report_world, detailed
):
    case = case_in(content_of(report_world.caf), detailed)

    assert case["places"] == [{"place": "Bambari", "admin_area": "Ouaka"}]
    assert [(v["outcome"], v["count"], v["nationality"]["iso3"]) for v in case["victims"]] == [
        ("killed", 2, "SEN")
    ]
    [suspect] = case["suspect_history"]
    assert suspect["name"] == "Pierre NGAÏKOSSET"
    assert [(s["date"], s["kind"], s["legal_term"]) for s in suspect["steps"]] == [
        (days_ago(260).isoformat(), K.IDENTIFIED, ""),
        (days_ago(250).isoformat(), K.ARRESTED, "mandat de dépôt"),
    ]
    [follow_up] = case["follow_ups"]
    assert follow_up["response_received_on"] == days_ago(190).isoformat()
    assert follow_up["outcome"] == "Instruction en cours"
    assert case["un_requests"] == ["bring_charges"]


def test_steps_and_responses_after_the_reports_day_are_left_out(report_world, detailed):
    details = case_details([detailed.pk], as_of_date=days_ago(255))[detailed.reference]

    [suspect] = details["suspect_history"]
    assert [step["kind"] for step in suspect["steps"]] == [K.IDENTIFIED]
    assert details["follow_ups"] == []


@pytest.mark.parametrize(
    ("stage", "last_steps", "requests"),
    [
        ("no_investigation", [], ["open_investigation"]),
        ("investigation", [], ["identify_suspects"]),
        ("suspects_identified", ["identified"], ["issue_warrant"]),
        ("suspects_identified", ["warrant_issued"], ["execute_warrant"]),
        ("arrest", ["arrested", "at_large"], ["bring_charges", "execute_warrant"]),
        ("charged", ["charged"], ["bring_to_trial"]),
        ("trial", ["trial_opened"], ["conclude_trial"]),
        ("verdict", ["convicted"], ["enforce_sentence"]),
        ("verdict", ["acquitted"], ["report_outcome"]),
        ("closed", [], ["review_closure"]),
    ],
)
def test_what_the_un_asks_follows_the_stage(stage, last_steps, requests):
    suspects = [{"steps": [{"kind": kind}]} for kind in last_steps]

    assert un_requests(stage, suspects) == requests


def test_capacity_support_is_cumulative_since_the_start_date(report_world):
    capacity_support_record(
        actor=report_world.users["admin"],
        host_state=report_world.caf,
        provided_on=days_ago(300),
        institution=Institution.PROSECUTION,
        kind=SupportKind.TECHNICAL_ADVICE,
        description="Appui au parquet de Bambari",
    )

    support = content_of(report_world.caf)["capacity_support"]

    assert [row["description"] for row in support] == [
        "Appui au parquet de Bambari",
        "Formation des magistrats de la Cour pénale spéciale",
    ]


def test_the_french_document_has_its_addressee_symbol_long_date_and_marking_on_every_page(
    report_world, detailed, pdftotext, tmp_path
):
    report_addressee_set(
        actor=report_world.users["legal_caf"],
        host_state=report_world.caf,
        lines="Mission permanente de la République centrafricaine\nauprès de l'ONU\nNew York",
    )
    content = content_of(report_world.caf)

    text = pdf_text(content, pdftotext, tmp_path)
    pages = [page for page in text.split("\f") if page.strip()]

    with translation.override("fr"):
        long_date = formats.date_format(date.fromisoformat(content["as_of_date"]), "F Y")
        month = formats.date_format(date.today().replace(day=1), "F Y")
    assert "Mission permanente de la République centrafricaine" in text
    assert f"UN/R2589/FUR/CAF/{content['period']['label']}/2" in text
    assert long_date in text  # "décembre 2026", never 2026-12-06
    assert month in text and "Mois " not in text
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text)
    assert len(pages) >= 2
    assert all("CONFIDENTIEL" in page for page in pages)
    for words in ("Tués", "Bambari, Ouaka", "Nationalité", "Sénégal", "mandat de dépôt",
                  "Demande de l'ONU", "Inculper les suspects détenus", "Instruction en cours",
                  "Sources et couverture", "Inconnue (aucune enquête enregistrée)",
                  "Affaires en situation d'impunité"):  # fmt: skip
        assert words in text, words
    assert "Tué " not in text.replace("tué ", "")


def test_a_report_naming_nobody_carries_no_marking_and_is_in_english(
    report_world, pdftotext, tmp_path
):
    text = pdf_text(content_of(report_world.ssd), pdftotext, tmp_path)

    assert "CONFIDENTIAL" not in text
    assert "Addressee not yet recorded for this State." in text
    assert "What the UN asks" in text
    assert "Open a criminal investigation by the competent national authorities." in text
    assert re.search(r"\b\d{1,2} [A-Z][a-z]+ \d{4}\b", text)  # "6 December 2026"
    # No heading left at the foot of a page: it stays with the first row of its table.
    [page] = [page for page in text.split("\f") if "Each case in detail" in page]
    assert "Open a criminal investigation" in page


def test_french_typography_in_the_html_page(report_world, detailed):
    html = render_html(content_of(report_world.caf), version=1, content_sha256="0" * 64)
    text = re.sub(r"<style>.*?</style>|<[^>]+>", " ", html, flags=re.S)

    assert f"Cote{NBSP}:" in text
    assert not re.search(r"\w [:;?!]", text)


def test_every_label_of_the_report_comes_from_the_catalogue():
    french = report_labels("fr")
    english = report_labels("en")
    same_in_both = {
        *("version", "mission", "alias", "description", "page", "date", "date_of_document"),
        *("date_format_long", "contingent", "institution", "suspects", "sheet_suspects"),
        *("sheet_communications", "change_verdict"),
    }

    assert not [k for k in LABELS if k not in same_in_both and french[k] == english[k]]
    assert french["killed"] == "Tués" and french["injured"] == "Blessés"
    assert french["colon"] == f"{NBSP}:"


def test_sheet_names_fit_and_every_text_cell_is_neutralised(report_world):
    admin = report_world.users["admin"]
    case = report_world.case_recent
    suspect = suspect_identify(
        actor=admin, case=case, name=FORMULA, identified_on=date.today(), source=SOURCE
    )
    procedure_record_step(
        actor=admin, suspect=suspect, kind=K.AT_LARGE, occurred_on=date.today(), source=SOURCE
    )
    followup_record(actor=admin, case=case, sent_on=date.today(), channel="letter", summary=FORMULA)
    capacity_support_record(
        actor=admin,
        host_state=report_world.caf,
        provided_on=date.today(),
        institution=Institution.POLICE,
        kind=SupportKind.TRAINING,
        description=FORMULA,
    )
    content = content_of(report_world.caf)

    for language in ("fr", "en"):
        workbook = load_workbook(
            io.BytesIO(
                render_xlsx({**content, "language": language}, version=1, content_sha256="0" * 64)
            )
        )
        assert all(len(name) <= SHEET_NAME_LIMIT for name in workbook.sheetnames)
        cells = [
            cell for sheet in workbook for row in sheet.iter_rows() for cell in row if cell.value
        ]
        assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
        neutralised = [cell.value for cell in cells if str(cell.value).startswith("'=HYPERLINK")]
        # The name (suspects at large, procedure), the summary, the description.
        assert len(neutralised) >= 4
    assert Suspect.objects.filter(name=FORMULA).exists()


def test_the_sources_note_dates_the_un_file(report_world):
    Incident.objects.filter(case_link__case=report_world.case_old).update(source="un_fatalities")
    content = content_of(report_world.caf)
    html = render_html(content, version=1, content_sha256="0" * 64)

    assert content["sources"] == {
        "un_file_until": Case.objects.get(pk=report_world.case_old.pk).attack_date.isoformat()
    }
    assert "proviennent du fichier des décès de Casques bleus" in html


def test_a_state_without_an_addressee_can_be_given_one_only_by_its_legal_officers(report_world):
    from peacekeeping.errors import DomainError, OutOfScope

    with pytest.raises(OutOfScope):
        report_addressee_set(
            actor=report_world.users["liaison_caf"], host_state=report_world.caf, lines="X"
        )
    with pytest.raises(DomainError):
        report_addressee_set(
            actor=report_world.users["legal_caf"], host_state=report_world.caf, lines="  \n "
        )
    with pytest.raises(OutOfScope):
        report_addressee_set(
            actor=report_world.users["legal_caf"],
            host_state=CountryFactory(iso3="NER"),
            lines="Ministère de la Justice",
        )

    assert content_of(report_world.caf)["addressee"] == []
