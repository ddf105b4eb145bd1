"""Each role's main journey once in French, switched with the header's language switch:
French labels, French validation messages (the form's and the services'), French dates;
the choice remembered at the next login on another browser; a refused page in French.
The main pages are screenshotted, audited with axe-core and weighed against the budget.
"""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from accountability.models import ProcedureStep
from incidents.models import Incident
from tests.browser.conftest import PAGE_BUDGET_BYTES
from tests.browser.test_accessibility import axe_violations
from tests.i18n.helpers import ensure_compiled
from tests.personas import build_world
from tests.ui_cases.helpers import located

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True, scope="module")
def compiled_translations():
    # `make test` compiles them; a bare `pytest` on a fresh checkout would have no .mo.
    ensure_compiled()


@pytest.fixture
def people():
    world = build_world()
    located(world.incident_a, 4.3947, 18.5582)  # Bangui
    return world


def _in_french(page) -> None:
    """Switch with the header's switch, as a user would; the page comes back in French."""
    page.locator("header form.lang-switch").get_by_role("button", name="FR").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")


def _checked(page, url: str, name: str, page_weight, screenshot) -> None:
    """The main page in French: no WCAG 2.1 A/AA violation, within the weight budget."""
    screenshot(page, f"fr-{name}")
    violations = axe_violations(page, url)
    assert violations == [], violations
    weight = page_weight(page, url, f"fr-{name}")
    assert weight["bytes_compressed"] <= PAGE_BUDGET_BYTES, weight


def test_mission_staff_log_an_incident_in_french_after_a_refusal(
    people, live_server, page, login, screenshot, page_weight, console_errors
):
    login(page, live_server, "staff_a")
    _in_french(page)

    expect(page.get_by_role("heading", name="Tableau de bord")).to_be_visible()
    nav = page.get_by_role("navigation", name="Principale")
    expect(nav.get_by_role("link", name="Incidents")).to_be_visible()
    expect(nav.get_by_role("link", name="Affaires")).to_be_visible()
    _checked(page, f"{live_server.url}/", "dashboard", page_weight, screenshot)

    page.get_by_role("link", name="Signaler un incident").first.click()
    expect(page.get_by_role("heading", name="Signaler un incident")).to_be_visible()
    expect(page.get_by_text("Les champs marqués * sont obligatoires.")).to_be_visible()
    expect(page.get_by_label("Type d'incident")).to_be_visible()
    _checked(page, page.url, "incident-form", page_weight, screenshot)

    # A mistake: an attack type on an accident, and no place given.
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    page.locator("#id_occurred_date").fill(yesterday)
    page.locator("#id_date_precision").select_option("day")
    page.locator("#id_place").fill("Bambari")
    page.locator("#id_location_precision").select_option("near")
    page.locator("#id_incident_type").select_option("accident")
    page.locator("#id_attack_type").select_option("ambush")
    page.locator("#id_narrative").fill("Embuscade contre une patrouille près du pont.")
    page.locator("#id_casualties-0-category").select_option("formed_police_unit")
    page.locator("#id_casualties-0-nationality").fill("Sénégal")
    page.locator("#id_casualties-0-outcome").select_option("injured")
    expect(page.locator("#id_incident_type option:checked")).to_have_text("Accident")
    page.get_by_role("button", name="Enregistrer comme brouillon").click()

    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Veuillez corriger ce qui suit")
    expect(summary).to_contain_text(
        "Un type d'attaque n'est prévu que pour les actes de malveillance"
    )
    expect(page.locator("#id_attack_type")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_place")).to_have_value("Bambari")
    expect(page.locator("#id_casualties-0-nationality")).to_have_value("Sénégal")
    screenshot(page, "fr-incident-form-error")

    # Fixed: it was a malicious act ("Acte de malveillance").
    page.locator("#id_incident_type").select_option(label="Acte de malveillance")
    page.get_by_role("button", name="Enregistrer comme brouillon").click()
    expect(page.get_by_role("status").first).to_contain_text("enregistré comme brouillon")
    incident = Incident.objects.get(place="Bambari")
    expect(page.get_by_role("heading", name=incident.reference)).to_be_visible()

    page.get_by_role("button", name="Soumettre").click()
    expect(page.get_by_role("status").first).to_contain_text(f"{incident.reference} a été soumis")
    main = page.locator("main")
    expect(main).to_contain_text("Soumis")
    expect(main).to_contain_text("Embuscade")  # the attack type, in French
    expect(main).to_contain_text("Unité de police constituée")
    expect(main).to_contain_text(incident.cases.get().reference)
    _checked(page, page.url, "incident-page", page_weight, screenshot)

    page.get_by_role("navigation", name="Principale").get_by_role("link", name="Incidents").click()
    page.get_by_label("Recherche", exact=True).fill("Bambari")
    page.get_by_role("button", name="Filtrer", exact=True).click()
    results = page.locator("#results")
    expect(results).to_contain_text(incident.reference)
    # Dates in tables are ISO 8601 in every language (the UN's style is for prose).
    expect(results).to_contain_text(date.today().strftime("%Y-%m-"))
    _checked(page, f"{live_server.url}/incidents/", "incident-list", page_weight, screenshot)
    # The form's own 400 answer to the mistake is the one error the browser reports.
    assert [e for e in console_errors if "status of 400" not in e] == []


def test_the_language_chosen_comes_back_at_the_next_login_elsewhere(
    people, live_server, page, login, new_context
):
    login(page, live_server, "legal_a")
    _in_french(page)

    elsewhere = new_context(locale="en-GB").new_page()  # another browser, English
    elsewhere.goto(f"{live_server.url}/accounts/login/")
    expect(elsewhere.get_by_role("heading", name="Log in")).to_be_visible()
    login(elsewhere, live_server, "legal_a")

    expect(elsewhere.locator("html")).to_have_attribute("lang", "fr")
    expect(elsewhere.get_by_role("heading", name="Tableau de bord")).to_be_visible()


def test_a_legal_officer_records_a_step_in_french_after_a_refusal(
    people, live_server, page, login, screenshot, page_weight
):
    case, suspect = people.case_a, people.suspect_a
    login(page, live_server, "legal_a")
    _in_french(page)

    page.get_by_role("navigation", name="Principale").get_by_role("link", name="Affaires").click()
    expect(page.get_by_role("heading", name="Tableau des affaires", exact=True)).to_be_visible()
    stage = page.locator("#stage-suspects_identified")
    expect(stage).to_contain_text("Suspects identifiés")
    row = stage.get_by_role("row").filter(has_text=case.reference)
    expect(row).to_contain_text("Impunité")
    _checked(page, page.url, "case-board", page_weight, screenshot)

    row.get_by_role("link", name=case.reference).click()
    expect(page.get_by_role("heading", name=f"Affaire {case.reference}")).to_be_visible()
    expect(page.get_by_role("heading", name="Suivi auprès de l'État hôte")).to_be_visible()
    expect(page.locator("header.case-header")).to_contain_text("État hôte compétent")
    _checked(page, page.url, "case-page", page_weight, screenshot)

    # A verdict before any charge: refused, with the service's reason in French.
    article = page.locator(f"#suspect-{suspect.pk}")
    article.get_by_text("Enregistrer l'acte suivant").click()
    day = (date.today() - timedelta(days=3)).isoformat()
    article.get_by_label("Acte de procédure").select_option(label="Condamné")
    article.get_by_label("Date").fill(day)
    article.get_by_label("Terme juridique local").fill("arrêt de condamnation")
    article.get_by_label("Source").fill("Greffe de la cour criminelle")
    article.get_by_role("button", name="Enregistrer l'acte").click()

    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Rien n'a été enregistré")
    expect(summary).to_contain_text("Un jugement suppose l'ouverture d'un procès")
    expect(page.get_by_label("Terme juridique local")).to_have_value("arrêt de condamnation")
    screenshot(page, "fr-legal-step-refused")

    # Fixed: the charge comes first ("Inculpé").
    page.get_by_label("Acte de procédure").select_option(label="Inculpé")
    page.get_by_label("Terme juridique local").fill("inculpation")
    page.get_by_role("button", name="Enregistrer", exact=True).click()

    expect(page.get_by_role("status").first).to_contain_text("Acte enregistré.")
    expect(page.locator("header.case-header")).to_contain_text("Poursuites engagées")
    expect(page.locator("#timeline")).to_contain_text("Greffe de la cour criminelle")
    assert ProcedureStep.objects.filter(suspect=suspect, kind="charged").exists()
    screenshot(page, "fr-legal-step-recorded")


def test_an_analyst_filters_the_statistics_in_french_and_maps_them(
    people, live_server, page, login, screenshot, page_weight
):
    login(page, live_server, "analyst_a")
    _in_french(page)

    nav = page.get_by_role("navigation", name="Principale")
    nav.get_by_role("link", name="Statistiques").click()
    expect(page.get_by_role("heading", name="Statistiques", exact=True)).to_be_visible()
    filters = page.get_by_role("form", name="Filtrer les incidents et les affaires")
    filters.get_by_label("Mission").select_option("MINUSCA")
    filters.get_by_label("Type d'incident").select_option(label="Acte de malveillance")
    filters.get_by_label("Conséquence").select_option(label="Tué")
    filters.get_by_role("button", name="Appliquer").click()

    assert "mission=MINUSCA" in page.url and "incident_type=malicious_act" in page.url
    totals = page.locator("#totals")
    expect(totals).to_contain_text("En chiffres")
    expect(totals).to_contain_text("Affaires en situation d'impunité")
    expect(page.locator("#chart-mission")).to_contain_text("MINUSCA")
    _checked(page, page.url, "statistics", page_weight, screenshot)

    page.get_by_role("link", name="Afficher ces incidents sur la carte").click()
    expect(page.get_by_role("heading", name="Carte des incidents")).to_be_visible()
    expect(page.locator("#incident-map")).to_have_attribute("data-boundaries", "loaded")
    expect(page.get_by_role("status").filter(has_text="incidents sur la carte")).to_be_visible()
    screenshot(page, "fr-map")
    weight = page_weight(page, page.url, "fr-map")
    assert weight["bytes_compressed"] <= PAGE_BUDGET_BYTES, weight


def test_another_missions_incident_is_a_french_404_page(people, live_server, page, login):
    login(page, live_server, "staff_b")
    _in_french(page)

    response = page.goto(f"{live_server.url}{people.incident_a.get_absolute_url()}")

    assert response.status == 404
    expect(page.get_by_role("heading", name="Page introuvable")).to_be_visible()
    expect(page.locator("main")).to_contain_text("cela sort de ce que votre rôle")
    expect(page.locator("main")).not_to_contain_text(people.incident_a.reference)


def test_the_language_switch_works_from_the_keyboard(people, live_server, page, login):
    login(page, live_server, "staff_a")

    french = page.locator("header form.lang-switch").get_by_role("button", name="FR")
    french.focus()
    page.keyboard.press("Enter")

    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", name="Tableau de bord")).to_be_visible()
    expect(
        page.locator("header form.lang-switch").get_by_role("button", name="FR")
    ).to_have_attribute("aria-pressed", "true")
