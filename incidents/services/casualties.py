"""Casualties: the people an incident harmed."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from incidents.choices import IncidentSource, IncidentStatus, Outcome
from incidents.models import Casualty, Incident
from incidents.services.common import (
    _refuse_if_verified,
    _sync_case,
    check_choice,
    check_length,
    lock_row,
)
from missions.choices import PersonnelCategory
from missions.models import Country, Personnel
from peacekeeping.audit import audit_record, model_changes
from peacekeeping.errors import DomainError

_CASUALTY_AUDIT_FIELDS = [
    "incident_id",
    "personnel_id",
    "category",
    "nationality_id",
    "outcome",
    "date_of_death",
    "un_casualty_id",
    "un_personnel_type",
    "notes",
]


@transaction.atomic
def casualty_add(
    *,
    actor,
    incident: Incident,
    personnel: Personnel | None = None,
    category: str = "",
    nationality: Country | None = None,
    outcome: str,
    date_of_death: date | None = None,
    notes: str = "",
    un_casualty_id: str | None = None,
    un_personnel_type: str = "",
) -> Casualty:
    """Add a person harmed: a known peacekeeper, or a category and a nationality.

    For a known peacekeeper the category and nationality default to theirs. A date of
    death is only for someone killed, and not before the incident.
    """
    lock_row(incident)
    _refuse_if_verified(incident, _("adding a casualty"))
    check_choice(outcome, Outcome, field="outcome", label=_("outcome"))
    check_length(Casualty, "notes", notes)
    if personnel is not None:
        category = category or personnel.category
        nationality = nationality or personnel.nationality
        if incident.casualties.filter(personnel=personnel).exists():
            raise DomainError(
                _("%(person)s is already a casualty of %(reference)s.")
                % {"person": personnel, "reference": incident.reference},
                field="personnel",
            )
    if not category:
        raise DomainError(
            _(
                "Give the person's category (military, police, civilian...) or choose a known "
                "peacekeeper."
            ),
            field="category",
        )
    check_choice(category, PersonnelCategory, field="category", label=_("personnel category"))
    if date_of_death is not None:
        if outcome != Outcome.KILLED:
            raise DomainError(
                _("A date of death is only for someone killed."), field="date_of_death"
            )
        if date_of_death < incident.occurred_on:
            raise DomainError(
                _("The date of death cannot be before the incident (%(date)s).")
                % {"date": incident.occurred_on},
                field="date_of_death",
            )
        if date_of_death > timezone.localdate():
            raise DomainError(
                _("The date of death cannot be in the future."), field="date_of_death"
            )
    un_casualty_id = un_casualty_id or None
    if un_casualty_id and Casualty.objects.filter(un_casualty_id=un_casualty_id).exists():
        raise DomainError(
            _("The UN casualty ID %(id)s is already recorded.") % {"id": un_casualty_id},
            field="un_casualty_id",
        )
    casualty = Casualty.objects.create(
        incident=incident,
        personnel=personnel,
        category=category,
        nationality=nationality,
        outcome=outcome,
        date_of_death=date_of_death,
        notes=notes,
        un_casualty_id=un_casualty_id,
        un_personnel_type=un_personnel_type,
    )
    audit_record(
        actor=actor,
        action="casualty.add",
        obj=casualty,
        changes=model_changes(casualty, _CASUALTY_AUDIT_FIELDS, None),
    )
    if incident.status != IncidentStatus.DRAFT or incident.source != IncidentSource.MANUAL:
        _sync_case(actor=actor, incident=incident)
    return casualty


@transaction.atomic
def casualty_remove(*, actor, casualty: Casualty) -> None:
    """Remove a casualty recorded by mistake; a submitted incident keeps at least one."""
    incident = casualty.incident
    lock_row(incident)
    _refuse_if_verified(incident, _("removing a casualty"))
    if incident.status == IncidentStatus.SUBMITTED and incident.casualties.count() == 1:
        raise DomainError(
            _("%(reference)s is submitted and must keep at least one casualty.")
            % {"reference": incident.reference}
        )
    changes = {
        field: [value, None]
        for field, (_, value) in model_changes(casualty, _CASUALTY_AUDIT_FIELDS, None).items()
    }
    pk = casualty.pk
    description = str(casualty)
    casualty.delete()
    audit_record(
        actor=actor,
        action="casualty.remove",
        object_type=Casualty._meta.label_lower,
        object_id=str(pk),
        changes={**changes, "description": [description, None]},
    )
    _sync_case(actor=actor, incident=incident)
