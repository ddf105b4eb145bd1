"""Incidents: recording, editing, submitting and verifying them."""

from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from incidents.choices import (
    AttackType,
    DatePrecision,
    IncidentSource,
    IncidentStatus,
    IncidentType,
    LocationPrecision,
)
from incidents.models import ArmedGroup, Incident
from incidents.services.casualties import casualty_add
from incidents.services.common import (
    _case_reference,
    _refuse_if_verified,
    _sync_case,
    actor_user,
    check_choice,
    check_length,
    lock_reference_sequence,
    lock_row,
    next_reference,
    refuse_unknown_fields,
)
from incidents.tasks import notify_case_opened
from missions.models import Country, Mission
from peacekeeping.audit import audit_record, model_changes
from peacekeeping.errors import DomainError, IllegalTransition, StaleVersion
from peacekeeping.outbox import enqueue

# The fields `incident_update` may change. The mission and the reference are permanent.
INCIDENT_EDITABLE_FIELDS = (
    "occurred_at",
    "date_precision",
    "place",
    "admin_area",
    "country",
    "latitude",
    "longitude",
    "location_precision",
    "incident_type",
    "attack_type",
    "perpetrators",
    "narrative",
    "sources",
)
# What the audit trail records of an incident (foreign keys by id).
_INCIDENT_AUDIT_FIELDS = [
    "reference",
    "mission_id",
    "occurred_at",
    "date_precision",
    "country_id",
    "place",
    "admin_area",
    "latitude",
    "longitude",
    "location_precision",
    "incident_type",
    "attack_type",
    "perpetrator_unknown",
    "narrative",
    "sources",
    "status",
    "source",
]
_COORDINATE_STEP = Decimal("0.00001")


def _as_aware_datetime(value: datetime | date, *, field: str) -> datetime:
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        # A bare date (imports, day precision) is the start of that day in UTC.
        return datetime.combine(value, time.min, tzinfo=UTC)
    raise DomainError(_("Give the date of the incident."), field=field)


def _coordinate(value: Any, *, field: str, limit: int) -> Decimal | None:
    if value is None or value == "":
        return None
    name = {"latitude": _("latitude"), "longitude": _("longitude")}.get(field, field)
    try:
        number = Decimal(str(value)).quantize(_COORDINATE_STEP)
    except (InvalidOperation, ValueError) as exc:
        raise DomainError(
            _("The %(field)s “%(value)s” is not a number.") % {"field": name, "value": value},
            field=field,
        ) from exc
    if not -limit <= number <= limit:
        raise DomainError(
            _("The %(field)s must lie between -%(limit)s and %(limit)s; %(value)s does not.")
            % {"field": name, "limit": limit, "value": value},
            field=field,
        )
    return number


def incident_country_check(*, mission: Mission, country: Country | None, current_id=None) -> None:
    """Refuse a country that is not one of the mission's host countries.

    The one rule behind the form's choices, the API, the admin and the importer (which
    only ever sets a mission's single host): a case takes its host State from the
    incident's country, so a free choice here would hand the case to another State's
    liaisons and reports. An incident already in another country (older data) may keep
    it; it cannot be moved to one.
    """
    if country is None or country.pk == current_id:
        return
    if not mission.host_countries.filter(pk=country.pk).exists():
        raise DomainError(
            _("%(country)s is not a host country of %(mission)s; choose one of its host countries.")
            % {"country": country, "mission": mission.acronym},
            field="country",
            code="not_a_host_country",
        )


def _clean_incident_fields(data: dict[str, Any]) -> dict[str, Any]:
    """Validate the combination of an incident's fields; return them normalised."""
    data = dict(data)
    data["occurred_at"] = _as_aware_datetime(data["occurred_at"], field="occurred_at")
    if data["occurred_at"] > timezone.now():
        raise DomainError(_("An incident cannot be dated in the future."), field="occurred_at")
    check_choice(
        data["incident_type"], IncidentType, field="incident_type", label=_("incident type")
    )
    check_choice(
        data["date_precision"], DatePrecision, field="date_precision", label=_("date precision")
    )
    check_choice(
        data["location_precision"],
        LocationPrecision,
        field="location_precision",
        label=_("location precision"),
    )
    data["attack_type"] = data["attack_type"] or ""
    if data["attack_type"]:
        check_choice(data["attack_type"], AttackType, field="attack_type", label=_("attack type"))
        if data["incident_type"] != IncidentType.MALICIOUS_ACT:
            raise DomainError(
                _(
                    "An attack type is only for malicious acts; clear it or record the incident "
                    "as a malicious act."
                ),
                field="attack_type",
            )
    data["latitude"] = _coordinate(data["latitude"], field="latitude", limit=90)
    data["longitude"] = _coordinate(data["longitude"], field="longitude", limit=180)
    if (data["latitude"] is None) != (data["longitude"] is None):
        raise DomainError(
            _("Give both the latitude and the longitude, or neither."),
            field="latitude" if data["latitude"] is None else "longitude",
        )
    if data["location_precision"] == LocationPrecision.EXACT and data["latitude"] is None:
        raise DomainError(
            _("An exact location needs coordinates; give them or choose a coarser precision."),
            field="location_precision",
        )
    return data


@transaction.atomic
def incident_record(
    *,
    actor,
    mission: Mission,
    occurred_at: datetime | date,
    incident_type: str,
    date_precision: str = DatePrecision.DAY,
    place: str = "",
    admin_area: str = "",
    country: Country | None = None,
    latitude: Decimal | float | str | None = None,
    longitude: Decimal | float | str | None = None,
    location_precision: str = LocationPrecision.NEAR,
    attack_type: str = "",
    perpetrators: Iterable[ArmedGroup] = (),
    narrative: str = "",
    sources: str = "",
    source: str = IncidentSource.MANUAL,
    casualties: Iterable[dict[str, Any]] = (),
    idempotency_key: UUID | None = None,
) -> Incident:
    """Record an incident as a draft, with its casualties, under a new reference.

    The reference is `<MISSION>-<YEAR>-<NNNN>`, numbered per mission and year of the
    incident. Without a country, the mission's host country is used when it has exactly
    one. An incident recorded by an import (any origin but manual entry) gets its case
    at once when it calls for one; a manual one gets it when submitted.
    `idempotency_key`: see incidents.services.idempotency (use `incident_record_once`).
    """
    check_choice(source, IncidentSource, field="source", label=_("origin"))
    check_length(Incident, "narrative", narrative)
    check_length(Incident, "sources", sources)
    data = _clean_incident_fields(
        {
            "occurred_at": occurred_at,
            "incident_type": incident_type,
            "date_precision": date_precision,
            "location_precision": location_precision,
            "attack_type": attack_type,
            "latitude": latitude,
            "longitude": longitude,
        }
    )
    if country is None:
        hosts = list(mission.host_countries.all()[:2])
        country = hosts[0] if len(hosts) == 1 else None
    incident_country_check(mission=mission, country=country)
    perpetrators = list(perpetrators)

    lock_reference_sequence(mission)
    incident = Incident.objects.create(
        reference=next_reference(
            Incident, f"{mission.acronym}-{data['occurred_at'].astimezone(UTC).year}-"
        ),
        mission=mission,
        country=country,
        place=place,
        admin_area=admin_area,
        perpetrator_unknown=not perpetrators,
        narrative=narrative,
        sources=sources,
        source=source,
        created_by=actor_user(actor),
        idempotency_key=idempotency_key,
        **data,
    )
    if perpetrators:
        incident.perpetrators.set(perpetrators)
    audit_record(
        actor=actor,
        action="incident.record",
        obj=incident,
        changes={
            **model_changes(incident, _INCIDENT_AUDIT_FIELDS, None),
            "perpetrators": [None, sorted(group.pk for group in perpetrators)],
        },
    )
    for casualty in casualties:
        casualty_add(actor=actor, incident=incident, **casualty)
    if source != IncidentSource.MANUAL:
        _sync_case(actor=actor, incident=incident)
    return incident


@transaction.atomic
def incident_update(
    *, actor, incident: Incident, expected_version: int | None = None, **fields: Any
) -> Incident:
    """Change an unverified incident's facts; refuse if someone changed it meanwhile.

    `expected_version` is the version the user read: if the incident has moved on since,
    StaleVersion is raised and nothing changes.
    """
    refuse_unknown_fields(fields, INCIDENT_EDITABLE_FIELDS)
    for name in ("narrative", "sources"):
        check_length(Incident, name, fields.get(name))
    lock_row(incident)
    if expected_version is not None and expected_version != incident.version:
        raise StaleVersion(
            _(
                "%(reference)s was changed by someone else since you opened it "
                "(version %(expected)s, now %(current)s); reload it and redo your changes."
            )
            % {
                "reference": incident.reference,
                "expected": expected_version,
                "current": incident.version,
            }
        )
    _refuse_if_verified(incident, _("editing it"))

    perpetrators = fields.pop("perpetrators", None)
    before = {f: getattr(incident, f) for f in _INCIDENT_AUDIT_FIELDS}
    before_perpetrators = sorted(incident.perpetrators.values_list("pk", flat=True))
    current = {
        name: getattr(incident, name)
        for name in (
            "occurred_at",
            "incident_type",
            "date_precision",
            "location_precision",
            "attack_type",
            "latitude",
            "longitude",
        )
    }
    data = _clean_incident_fields({**current, **fields})
    if "country" in fields:
        incident_country_check(
            mission=incident.mission, country=fields["country"], current_id=incident.country_id
        )
    in_case = _case_reference(incident)
    if in_case and data["incident_type"] != IncidentType.MALICIOUS_ACT:
        raise DomainError(
            _("%(reference)s is part of case %(case)s; it must remain a malicious act.")
            % {"reference": incident.reference, "case": in_case},
            field="incident_type",
        )
    for name, value in {**fields, **data}.items():
        setattr(incident, name, value)
    if perpetrators is not None:
        perpetrators = list(perpetrators)
        incident.perpetrators.set(perpetrators)
        incident.perpetrator_unknown = not perpetrators
    changes = model_changes(incident, _INCIDENT_AUDIT_FIELDS, before)
    after_perpetrators = sorted(incident.perpetrators.values_list("pk", flat=True))
    if after_perpetrators != before_perpetrators:
        changes["perpetrators"] = [before_perpetrators, after_perpetrators]
    if not changes:
        return incident
    incident.version += 1
    incident.save()
    audit_record(
        actor=actor,
        action="incident.update",
        obj=incident,
        changes={**changes, "version": [incident.version - 1, incident.version]},
    )
    _sync_case(actor=actor, incident=incident)
    return incident


@transaction.atomic
def incident_submit(*, actor, incident: Incident) -> Incident:
    """Draft → submitted. Needs at least one casualty; opens the case when one is due."""
    lock_row(incident)
    if incident.status != IncidentStatus.DRAFT:
        raise IllegalTransition(
            _("Only a draft can be submitted; %(reference)s is already %(status)s.")
            % {"reference": incident.reference, "status": incident.get_status_display().lower()}
        )
    if not incident.casualties.exists():
        raise IllegalTransition(
            _("%(reference)s has no casualty; record at least one before submitting.")
            % {"reference": incident.reference}
        )
    incident.status = IncidentStatus.SUBMITTED
    incident.submitted_by = actor_user(actor)
    incident.submitted_at = timezone.now()
    incident.version += 1
    incident.save()
    audit_record(
        actor=actor,
        action="incident.submit",
        obj=incident,
        changes={"status": [IncidentStatus.DRAFT, IncidentStatus.SUBMITTED]},
    )
    had_case = _case_reference(incident) is not None
    case = _sync_case(actor=actor, incident=incident)
    if case is not None and not had_case:
        # The submission opened a case: its legal officers get an e-mail, through the
        # transactional outbox (a broker outage delays the e-mail, never the submission).
        enqueue(notify_case_opened, case_id=case.pk)
    return incident


@transaction.atomic
def incident_verify(*, actor, incident: Incident) -> Incident:
    """Submitted → verified. A verified incident is no longer edited.

    Verification is the check of someone else's report: with FOUR_EYES_VERIFICATION (the
    default) the user who submitted the incident cannot verify it.
    """
    lock_row(incident)
    if incident.status != IncidentStatus.SUBMITTED:
        values = {"reference": incident.reference, "status": incident.get_status_display().lower()}
        raise IllegalTransition(
            _(
                "Only a submitted incident can be verified; %(reference)s is %(status)s: "
                "submit it first."
            )
            % values
            if incident.status == IncidentStatus.DRAFT
            else _("Only a submitted incident can be verified; %(reference)s is %(status)s.")
            % values
        )
    verifier = actor_user(actor)
    if (
        settings.FOUR_EYES_VERIFICATION
        and incident.submitted_by_id is not None
        and (verifier is None or verifier.pk == incident.submitted_by_id)
    ):
        # Four eyes: the check is worth something only if another person makes it.
        raise IllegalTransition(
            _(
                "You submitted %(reference)s, so you cannot verify it too: another "
                "colleague must check it."
            )
            % {"reference": incident.reference},
            code="four_eyes",
        )
    incident.status = IncidentStatus.VERIFIED
    incident.verified_by = verifier
    incident.verified_at = timezone.now()
    incident.version += 1
    incident.save()
    audit_record(
        actor=actor,
        action="incident.verify",
        obj=incident,
        changes={"status": [IncidentStatus.SUBMITTED, IncidentStatus.VERIFIED]},
    )
    return incident
