"""Writes of the incidents app. Every change goes through one of these functions.

Each service checks the current state, refuses an illegal change with a DomainError whose
message says what is wrong, and appends an entry to the audit trail in the same
transaction.

Cases: when an incident comes to call for a justice case (a malicious act that killed or
injured a peacekeeper, once submitted or when recorded by an import), the services below
call `accountability.services.case_sync_for_incident`. The accountability app depends on
this one (its models point at Incident), so the rule of when a case opens and what it
counts lives there; this module imports it inside the functions, which keeps the module
graph one way (accountability → incidents) and lets accountability import incidents freely.
"""

import codecs
import hashlib
import re
import uuid
import zipfile
from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from incidents.choices import (
    AttackType,
    DatePrecision,
    IncidentSource,
    IncidentStatus,
    IncidentType,
    LocationPrecision,
    Outcome,
)
from incidents.models import ArmedGroup, ArmedGroupAlias, Attachment, Casualty, Incident
from missions.choices import PersonnelCategory
from missions.models import Country, Mission, Personnel
from peacekeeping.audit import audit_record, model_changes
from peacekeeping.errors import DomainError, IllegalTransition, StaleVersion
from peacekeeping.outbox import enqueue

# Namespace of the PostgreSQL advisory lock that serialises incident references per
# mission (the second key is the mission id).
_INCIDENT_REFERENCE_LOCK = 0x494E4349  # "INCI"

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
_COORDINATE_STEP = Decimal("0.00001")

DEFAULT_ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Accepted evidence: content type and stored extension, recognised by magic bytes only
# (the client's name and declared type are not trusted).
_MAGIC = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"PK\x03\x04", DOCX_CONTENT_TYPE, ".docx"),
)
_ACCEPTED_TYPES_TEXT = gettext_noop("PDF, JPEG, PNG, plain text (UTF-8) or Word (.docx)")


# --- helpers --------------------------------------------------------------------------


def _user(actor):
    """The actor as a user row, or None for the system and anonymous callers."""
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


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


def _check_choice(value: str, choices, *, field: str, label: str) -> None:
    if value not in choices.values:
        raise DomainError(
            _("“%(value)s” is not a known %(label)s.") % {"value": value, "label": label},
            field=field,
        )


def _clean_incident_fields(data: dict[str, Any]) -> dict[str, Any]:
    """Validate the combination of an incident's fields; return them normalised."""
    data = dict(data)
    data["occurred_at"] = _as_aware_datetime(data["occurred_at"], field="occurred_at")
    if data["occurred_at"] > timezone.now():
        raise DomainError(_("An incident cannot be dated in the future."), field="occurred_at")
    _check_choice(
        data["incident_type"], IncidentType, field="incident_type", label=_("incident type")
    )
    _check_choice(
        data["date_precision"], DatePrecision, field="date_precision", label=_("date precision")
    )
    _check_choice(
        data["location_precision"],
        LocationPrecision,
        field="location_precision",
        label=_("location precision"),
    )
    data["attack_type"] = data["attack_type"] or ""
    if data["attack_type"]:
        _check_choice(data["attack_type"], AttackType, field="attack_type", label=_("attack type"))
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


def _next_reference(prefix: str) -> str:
    pattern = re.compile(rf"^{re.escape(prefix)}(\d+)$")
    taken = Incident.objects.filter(reference__startswith=prefix).values_list(
        "reference", flat=True
    )
    numbers = [int(match.group(1)) for ref in taken if (match := pattern.match(ref))]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


def _lock_reference_sequence(mission: Mission) -> None:
    # Two clerks recording incidents of one mission at the same moment would read the same
    # highest number. On PostgreSQL a transaction-scoped advisory lock per mission makes
    # the second wait until the first commits (SQLite serialises writers by itself). An
    # advisory lock, unlike SELECT ... FOR UPDATE on the mission, does not block edits of
    # the mission itself.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)",
                [_INCIDENT_REFERENCE_LOCK, mission.pk % 2**31],
            )


def _lock(incident: Incident) -> None:
    """Reload the incident under a row lock, so the state checked is the state changed."""
    incident.refresh_from_db(from_queryset=Incident.objects.select_for_update())


def _refuse_if_verified(incident: Incident, what: str) -> None:
    if incident.status == IncidentStatus.VERIFIED:
        raise DomainError(
            _("%(reference)s is verified; %(what)s is no longer possible.")
            % {"reference": incident.reference, "what": what},
            code="verified",
        )


def _case_reference(incident: Incident) -> str | None:
    from accountability.models import CaseIncident

    link = CaseIncident.objects.filter(incident=incident).select_related("case").first()
    return link.case.reference if link else None


def _sync_case(*, actor, incident: Incident) -> None:
    # Imported here, not at the top: see the module docstring.
    from accountability.services import case_sync_for_incident

    case_sync_for_incident(actor=actor, incident=incident)


# --- incidents ------------------------------------------------------------------------


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
) -> Incident:
    """Record an incident as a draft, with its casualties, under a new reference.

    The reference is `<MISSION>-<YEAR>-<NNNN>`, numbered per mission and year of the
    incident. Without a country, the mission's host country is used when it has exactly
    one. An incident recorded by an import (any origin but manual entry) gets its case
    at once when it calls for one; a manual one gets it when submitted.
    """
    _check_choice(source, IncidentSource, field="source", label=_("origin"))
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
    perpetrators = list(perpetrators)

    _lock_reference_sequence(mission)
    incident = Incident.objects.create(
        reference=_next_reference(f"{mission.acronym}-{data['occurred_at'].astimezone(UTC).year}-"),
        mission=mission,
        country=country,
        place=place,
        admin_area=admin_area,
        perpetrator_unknown=not perpetrators,
        narrative=narrative,
        sources=sources,
        source=source,
        created_by=_user(actor),
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
    unknown = sorted(set(fields) - set(INCIDENT_EDITABLE_FIELDS))
    if unknown:
        raise DomainError(
            _("These fields cannot be edited: %(fields)s.") % {"fields": ", ".join(unknown)},
            field=unknown[0],
        )
    _lock(incident)
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
    _lock(incident)
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
    incident.submitted_by = _user(actor)
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
    _sync_case(actor=actor, incident=incident)
    if not had_case:
        _notify_if_case_opened(incident)
    return incident


def _notify_if_case_opened(incident: Incident) -> None:
    """The submission opened a case: its legal officers get an e-mail, through the
    transactional outbox (a broker outage delays the e-mail, never the submission)."""
    from accountability.models import CaseIncident
    from incidents.tasks import notify_case_opened

    case_id = (
        CaseIncident.objects.filter(incident=incident).values_list("case_id", flat=True).first()
    )
    if case_id is not None:
        enqueue(notify_case_opened, case_id=case_id)


@transaction.atomic
def incident_verify(*, actor, incident: Incident) -> Incident:
    """Submitted → verified. A verified incident is no longer edited."""
    _lock(incident)
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
    incident.status = IncidentStatus.VERIFIED
    incident.verified_by = _user(actor)
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


# --- casualties -----------------------------------------------------------------------


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
    _lock(incident)
    _refuse_if_verified(incident, _("adding a casualty"))
    _check_choice(outcome, Outcome, field="outcome", label=_("outcome"))
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
    _check_choice(category, PersonnelCategory, field="category", label=_("personnel category"))
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
    _lock(incident)
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


# --- evidence -------------------------------------------------------------------------


def _human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return _("%(size)g MB") % {"size": size / (1024 * 1024)}
    if size >= 1024:
        return _("%(size)g KB") % {"size": size / 1024}
    return _("%(size)d bytes") % {"size": size}


def _sniff(head: bytes) -> tuple[str, str] | None:
    for magic, content_type, extension in _MAGIC:
        if head.startswith(magic):
            return content_type, extension
    return None


def _is_docx(uploaded_file) -> bool:
    uploaded_file.seek(0)
    try:
        with zipfile.ZipFile(uploaded_file) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


@transaction.atomic
def attachment_add(
    *, actor, incident: Incident, uploaded_file, description: str = ""
) -> Attachment:
    """Keep an evidence file under a generated name, with its SHA-256 and size.

    The type is read from the file's first bytes (PDF, JPEG, PNG, .docx, or UTF-8 text);
    anything else, and anything over ATTACHMENT_MAX_BYTES, is refused. Evidence may be
    added to a verified incident: it documents the facts without changing them.
    """
    max_bytes = getattr(settings, "ATTACHMENT_MAX_BYTES", DEFAULT_ATTACHMENT_MAX_BYTES)
    too_big = DomainError(
        _("The file is larger than the %(size)s allowed.") % {"size": _human_size(max_bytes)},
        field="uploaded_file",
    )
    declared = getattr(uploaded_file, "size", None)
    if declared is not None and declared > max_bytes:
        raise too_big

    digest = hashlib.sha256()
    size = 0
    sniffed: tuple[str, str] | None = None
    head = b""
    text = codecs.getincrementaldecoder("utf-8")()
    is_text = True
    uploaded_file.seek(0)
    for chunk in uploaded_file.chunks():
        size += len(chunk)
        if size > max_bytes:
            raise too_big
        digest.update(chunk)
        if len(head) < 16:
            head += chunk[: 16 - len(head)]
        if is_text:
            try:
                text.decode(chunk)
                is_text = b"\x00" not in chunk
            except UnicodeDecodeError:
                is_text = False
    if size == 0:
        raise DomainError(_("The file is empty."), field="uploaded_file")
    sniffed = _sniff(head)
    if sniffed is None and is_text:
        try:
            text.decode(b"", final=True)
            sniffed = ("text/plain", ".txt")
        except UnicodeDecodeError:
            sniffed = None
    if sniffed is not None and sniffed[0] == DOCX_CONTENT_TYPE and not _is_docx(uploaded_file):
        sniffed = None
    if sniffed is None:
        raise DomainError(
            _("This type of file is not accepted as evidence; send a %(types)s.")
            % {"types": _(_ACCEPTED_TYPES_TEXT)},
            field="uploaded_file",
        )
    content_type, extension = sniffed

    original_name = PurePath(getattr(uploaded_file, "name", "") or "").name[:255] or "file"
    attachment = Attachment(
        incident=incident,
        original_name=original_name,
        sha256=digest.hexdigest(),
        size=size,
        content_type=content_type,
        description=description,
        uploaded_by=_user(actor),
    )
    uploaded_file.seek(0)
    attachment.file.save(f"{uuid.uuid4().hex}{extension}", uploaded_file, save=False)
    try:
        attachment.save()
        audit_record(
            actor=actor,
            action="attachment.add",
            obj=attachment,
            changes={
                "incident_id": [None, incident.pk],
                "file": [None, attachment.file.name],
                "original_name": [None, original_name],
                "sha256": [None, attachment.sha256],
                "size": [None, size],
                "content_type": [None, content_type],
            },
        )
    except Exception:
        # The file is on disk but its row will not be: do not leave an orphan behind.
        attachment.file.delete(save=False)
        raise
    return attachment


# --- armed groups ---------------------------------------------------------------------


def _name_taken(name: str, *, exclude_group: ArmedGroup | None = None) -> ArmedGroup | None:
    groups = ArmedGroup.objects.filter(name__iexact=name)
    aliases = ArmedGroupAlias.objects.filter(alias__iexact=name).select_related("armed_group")
    if exclude_group is not None:
        groups = groups.exclude(pk=exclude_group.pk)
        aliases = aliases.exclude(armed_group=exclude_group)
    group = groups.first()
    if group is not None:
        return group
    alias = aliases.first()
    return alias.armed_group if alias else None


@transaction.atomic
def armed_group_create(
    *, actor, name: str, aliases: Iterable[str] = (), description: str = ""
) -> ArmedGroup:
    """Add an armed group to the register, with the other names it is known by."""
    name = name.strip()
    if not name:
        raise DomainError(_("Give the armed group's name."), field="name")
    existing = _name_taken(name)
    if existing is not None:
        raise DomainError(
            _("“%(name)s” is already in the register, as %(existing)s.")
            % {"name": name, "existing": existing.name},
            field="name",
        )
    group = ArmedGroup.objects.create(name=name, description=description)
    audit_record(
        actor=actor,
        action="armed_group.create",
        obj=group,
        changes={"name": [None, name], "description": [None, description]},
    )
    for alias in aliases:
        armed_group_add_alias(actor=actor, armed_group=group, alias=alias)
    return group


@transaction.atomic
def armed_group_add_alias(*, actor, armed_group: ArmedGroup, alias: str) -> ArmedGroupAlias:
    """Record another name of an armed group; a name belongs to one group only."""
    alias = alias.strip()
    if not alias:
        raise DomainError(_("Give the alias."), field="alias")
    existing = _name_taken(alias)
    if existing is not None:
        whose = _("this group") if existing.pk == armed_group.pk else existing.name
        raise DomainError(
            _("“%(alias)s” is already a name of %(whose)s.") % {"alias": alias, "whose": whose},
            field="alias",
        )
    row = ArmedGroupAlias.objects.create(armed_group=armed_group, alias=alias)
    audit_record(
        actor=actor,
        action="armed_group.add_alias",
        obj=armed_group,
        changes={"alias": [None, alias]},
    )
    return row
