"""The incident history names every changed field in the reader's language: a casualty's
nationality reads "Nationalité" in French, never the English field name."""

import pytest
from django.utils import translation

from incidents.history import incident_timeline
from tests.i18n.helpers import ensure_compiled

pytestmark = pytest.mark.django_db


def _labels(incident, language: str) -> list[str]:
    with translation.override(language):
        return [label for entry in incident_timeline(incident) for label, _b, _a in entry.details]


def test_a_casualtys_nationality_is_named_in_the_readers_language(world):
    ensure_compiled()

    french = _labels(world.incident_a, "fr")
    english = _labels(world.incident_a, "en")

    assert "nationalité" in french
    assert "nationality" not in french
    assert "nationality" in english
