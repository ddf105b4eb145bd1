"""Every field and every model of the project is named in the user's language: the admin,
the forms and the errors that name a field show its verbose_name, the admin's titles
("Add incident", "Select case to change") the model's, so each one is a translatable
string (gettext_lazy) with a French translation in the catalogue."""

from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise

from peacekeeping.management.commands.compile_translations import read_po

FRENCH_PO = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"
APP_LABELS = ("missions", "incidents", "accountability", "reports", "exports", "peacekeeping")
# Field and model names French writes exactly as English does. Each is still a msgid of the French
# catalogue (checked below); listing it here says the sameness is deliberate, so a name
# missing from the catalogue (which also comes back in English) is not mistaken for one.
SAME_IN_FRENCH = {
    # French words spelt as in English (same meaning in legal and UN usage)
    *("action", "active", "alias", "date", "description", "export", "format"),
    *("exports", "incident", "incidents", "institution", "latitude", "longitude", "mission"),
    *("missions", "note", "notes", "notification", "notifications", "personnel", "source"),
    *("sources", "suspect", "suspects", "version"),
    # names of formats and standards
    *("HTML", "PDF", "XLSX", "SHA-256", "ISO 3166 alpha-3"),
}


def _fields():
    for label in APP_LABELS:
        for model in apps.get_app_config(label).get_models():
            for field in model._meta.get_fields():
                if field.auto_created or not hasattr(field, "verbose_name"):
                    continue
                yield f"{model._meta.label}.{field.name}", field.verbose_name


def _model_names():
    for label in APP_LABELS:
        for model in apps.get_app_config(label).get_models():
            yield f"{model._meta.label} verbose_name", model._meta.verbose_name
            yield f"{model._meta.label} verbose_name_plural", model._meta.verbose_name_plural


def _french_catalogue():
    return {
        entry.msgid
        for entry in read_po(FRENCH_PO)
        if entry.translated and not entry.msgctxt and not entry.fuzzy
    }


def _missing_from(translated, names):
    missing = []
    for name, verbose in names:
        english = str(verbose)
        with translation.override("fr"):
            french = str(verbose)
        if english not in translated or (french == english and english not in SAME_IN_FRENCH):
            missing.append(f"{name}: {english!r}")
    return missing


def test_every_field_of_the_project_has_a_translatable_name():
    untranslatable = [name for name, verbose in _fields() if not isinstance(verbose, Promise)]
    assert untranslatable == []


def test_every_field_name_has_its_french_translation():
    assert _missing_from(_french_catalogue(), _fields()) == []


def test_every_model_of_the_project_has_a_translatable_name():
    # Set in Meta as gettext_lazy: Django's default (the class name, or "+s") is English.
    untranslatable = [
        f"{model._meta.label} {option}"
        for label in APP_LABELS
        for model in apps.get_app_config(label).get_models()
        for option in ("verbose_name", "verbose_name_plural")
        if not isinstance(model._meta.original_attrs.get(option), Promise)
    ]
    assert untranslatable == []


def test_every_model_name_has_its_french_translation():
    assert _missing_from(_french_catalogue(), _model_names()) == []


@pytest.mark.django_db
def test_the_french_admin_names_the_fields_in_french(admin_client):
    # Casualties are entered on the incident's page; a membership names its country.
    incident_page = admin_client.get(
        reverse("admin:incidents_incident_add"), HTTP_ACCEPT_LANGUAGE="fr"
    ).text
    membership_page = admin_client.get(
        reverse("admin:missions_membership_add"), HTTP_ACCEPT_LANGUAGE="fr"
    ).text

    assert "Nationalité" in incident_page
    assert "Nationality" not in incident_page
    assert ">Pays" in membership_page
    assert ">Utilisateur" in membership_page
    assert ">User" not in membership_page and ">Country" not in membership_page


@pytest.mark.django_db
def test_the_french_admin_names_the_models_in_french(admin_client):
    add_case = admin_client.get(
        reverse("admin:accountability_case_add"), HTTP_ACCEPT_LANGUAGE="fr"
    ).text
    memberships = admin_client.get(
        reverse("admin:missions_membership_changelist"), HTTP_ACCEPT_LANGUAGE="fr"
    ).text

    # The model's French name in Django's own French titles ("Ajout de %s": Django's
    # catalogue, not ours, elides nothing).
    title = add_case.split("<title>")[1].split("</title>")[0]
    assert "affaire" in title
    assert "Case" not in title
    assert "Sélectionnez l’objet affectation à changer" in memberships
