"""An incident's case, kept by the accountability app above this one.

The accountability app registers, in its AppConfig.ready, how an incident's case is
opened or brought in step (`sync`) and how the cases of an import's attacks are opened
in bulk (`open_imported`). The incident services, the admin and the UN fatalities
importer ask through here, so this app imports nothing of the one above it; the case of
an incident is read from its table (`case_reference`), as missions/scope.py does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class CaseLink:
    # (actor, incident) -> the incident's case, opened or brought in step, or None.
    sync: Callable
    # (actor, touched, summary, warnings) -> None: the cases of an import's attacks.
    open_imported: Callable


_registered: list[CaseLink] = []


def case_link_register(link: CaseLink) -> None:
    _registered[:] = [link]


def case_link() -> CaseLink:
    if not _registered:
        raise ImproperlyConfigured("No app registered an incident's case (accountability).")
    return _registered[0]


def case_reference(incident) -> str | None:
    """The reference of the incident's case, if one is open."""
    CaseIncident = apps.get_model("accountability", "CaseIncident")
    link = CaseIncident.objects.filter(incident=incident).select_related("case").first()
    return link.case.reference if link else None
