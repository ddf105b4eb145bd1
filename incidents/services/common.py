"""Helpers of the services: the incidents' own, and those the accountability services and
the importers share with them (they import incidents, never the other way round).
"""

import re

from django.db import connection, models
from django.utils.translation import gettext as _

from incidents.case_link import case_link, case_reference
from incidents.choices import IncidentStatus
from incidents.models import Incident
from missions.models import Mission
from peacekeeping.errors import DomainError

# Namespace of the PostgreSQL advisory lock that serialises incident references per
# mission (the second key is the mission id).
INCIDENT_REFERENCE_LOCK = 0x494E4349  # "INCI"


# --- shared with the accountability services and the importers -------------------------


def actor_user(actor):
    """The actor as a user row, or None for the system and anonymous callers."""
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def lock_row(instance: models.Model) -> models.Model:
    """Reload the row under a lock, so the state checked is the state changed."""
    instance.refresh_from_db(from_queryset=type(instance).objects.select_for_update())
    return instance


def check_choice(value: str, choices, *, field: str, label: str) -> None:
    if value not in choices.values:
        raise DomainError(
            _("“%(value)s” is not a known %(label)s.") % {"value": value, "label": label},
            field=field,
        )


def check_length(model: type[models.Model], field: str, value: str | None) -> None:
    """Refuse text longer than the model field's max_length (the one limit of that text)."""
    limit = model._meta.get_field(field).max_length
    if value and limit and len(value) > limit:
        raise DomainError(
            _("The %(field)s is %(length)s characters long; at most %(limit)s are kept.")
            % {
                "field": model._meta.get_field(field).verbose_name,
                "length": f"{len(value):,}",
                "limit": f"{limit:,}",
            },
            field=field,
            code="too_long",
        )


def refuse_unknown_fields(fields, editable) -> None:
    """Refuse an edit of any field outside `editable`, naming the first one."""
    unknown = sorted(set(fields) - set(editable))
    if unknown:
        raise DomainError(
            _("These fields cannot be edited: %(fields)s.") % {"fields": ", ".join(unknown)},
            field=unknown[0],
        )


def lock_reference_sequence(mission: Mission, *, namespace: int = INCIDENT_REFERENCE_LOCK) -> None:
    """Serialise the numbering of one mission's references until the transaction ends.

    Two clerks recording incidents (or opening cases) of one mission at the same moment
    would read the same highest number. On PostgreSQL a transaction-scoped advisory lock
    per mission makes the second wait until the first commits (SQLite serialises writers
    by itself). An advisory lock, unlike SELECT ... FOR UPDATE on the mission, does not
    block edits of the mission itself. `namespace` keeps the sequences of different
    references (incidents, cases) apart.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [namespace, mission.pk % 2**31])


def next_reference(model: type[models.Model], prefix: str) -> str:
    """`<prefix><NNNN>`, numbered on from the highest of `model`'s references in use.

    Only references that are exactly the prefix and digits count, so a longer acronym
    sharing the prefix does not. Callers hold the mission's sequence lock.
    """
    pattern = re.compile(rf"^{re.escape(prefix)}(\d+)$")
    taken = model.objects.filter(reference__startswith=prefix).values_list("reference", flat=True)
    numbers = [int(match.group(1)) for ref in taken if (match := pattern.match(ref))]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


# --- the incidents' own ------------------------------------------------------------------


def _refuse_if_verified(incident: Incident, what: str) -> None:
    if incident.status == IncidentStatus.VERIFIED:
        raise DomainError(
            _("%(reference)s is verified; %(what)s is no longer possible.")
            % {"reference": incident.reference, "what": what},
            code="verified",
        )


def _case_reference(incident: Incident) -> str | None:
    return case_reference(incident)


def _sync_case(*, actor, incident: Incident):
    """The incident's case, opened or brought in step, or None (the accountability app's
    `case_sync_for_incident`, registered with incidents/case_link.py)."""
    return case_link().sync(actor=actor, incident=incident)
