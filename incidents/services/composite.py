"""An incident written whole: its facts, casualties, evidence and submission at once.

The guided form records (or edits) an incident, adds the casualties and evidence files
the clerk gave, and submits it when asked, all or nothing. These two services do that in
one transaction, each part through its own service (which locks, checks and audits it),
so the audit trail holds one entry per part, as when the parts are written one by one.

When a part is refused everything rolls back, the evidence files already stored are
deleted (the rows are gone with the transaction; the files would not be), and
`PartRefused` is raised: the refusal itself (its message, code and field), with the part
that was refused, so the form can show it beside what the clerk typed. A conflict on
edit (someone else changed the incident meanwhile) is raised as the StaleVersion itself,
after the same rollback, so the caller can offer the current incident instead.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import transaction

from incidents.choices import IncidentStatus
from incidents.models import Attachment, Casualty, Incident
from incidents.services.casualties import casualty_add, casualty_remove
from incidents.services.evidence import attachment_add
from incidents.services.idempotency import record_once
from incidents.services.recording import incident_record, incident_submit, incident_update
from missions.models import Mission
from peacekeeping.errors import DomainError, StaleVersion


class PartRefused(DomainError):
    """One part of a whole incident write was refused, and nothing was written.

    `part` says which: INCIDENT (its facts; on edit also the casualties removed),
    CASUALTY (`index`: its place in `casualties`), ATTACHMENT (`file_name`: the name the
    file came with) or SUBMISSION. `error` is the part's own refusal.
    """

    INCIDENT = "incident"
    CASUALTY = "casualty"
    ATTACHMENT = "attachment"
    SUBMISSION = "submission"

    def __init__(
        self,
        error: DomainError,
        *,
        part: str,
        index: int | None = None,
        file_name: str = "",
    ):
        super().__init__(error.message, code=error.code, field=error.field)
        self.error = error
        self.part = part
        self.index = index
        self.file_name = file_name


def _part(part: str, write: Callable[[], Any], **where: Any) -> Any:
    try:
        return write()
    except StaleVersion:
        raise
    except DomainError as error:
        raise PartRefused(error, part=part, **where) from error


def _add_parts(
    *,
    actor,
    incident: Incident,
    casualties: Sequence[dict[str, Any]],
    attachments: Iterable,
    submit: bool,
    saved: list[Attachment],
) -> None:
    for index, fields in enumerate(casualties):
        _part(
            PartRefused.CASUALTY,
            lambda fields=fields: casualty_add(actor=actor, incident=incident, **fields),
            index=index,
        )
    for uploaded in attachments:
        saved.append(
            _part(
                PartRefused.ATTACHMENT,
                lambda uploaded=uploaded: attachment_add(
                    actor=actor, incident=incident, uploaded_file=uploaded
                ),
                file_name=uploaded.name,
            )
        )
    if submit:
        _part(PartRefused.SUBMISSION, lambda: incident_submit(actor=actor, incident=incident))


def _forget_files(saved: list[Attachment]) -> None:
    # The transaction rolled back, so the rows are gone; their files are not.
    for attachment in saved:
        attachment.file.delete(save=False)


def incident_record_whole(
    *,
    actor,
    mission: Mission,
    idempotency_key: uuid.UUID | None,
    fields: dict[str, Any],
    casualties: Sequence[dict[str, Any]] = (),
    attachments: Iterable = (),
    submit: bool = False,
) -> tuple[Incident, bool]:
    """Record an incident with its casualties and evidence, submitted if `submit`:
    (incident, created).

    Under the submission's idempotency key: a replay, or a copy arriving meanwhile, gets
    the incident recorded the first time (created False) and nothing is written.
    `fields` are incident_record's; each of `casualties` is casualty_add's; `attachments`
    are uploaded files. A refused part raises PartRefused and leaves nothing behind.
    """
    saved: list[Attachment] = []

    def record() -> Incident:
        incident = _part(
            PartRefused.INCIDENT,
            lambda: incident_record(
                actor=actor, mission=mission, idempotency_key=idempotency_key, **fields
            ),
        )
        _add_parts(
            actor=actor,
            incident=incident,
            casualties=casualties,
            attachments=attachments,
            submit=submit,
            saved=saved,
        )
        return incident

    try:
        incident, created = record_once(actor=actor, key=idempotency_key, record=record)
    except BaseException:
        _forget_files(saved)
        raise
    if not created:  # a copy won the race after this one had begun: its write rolled back
        _forget_files(saved)
    return incident, created


def incident_update_whole(
    *,
    actor,
    incident: Incident,
    expected_version: int | None,
    fields: dict[str, Any],
    remove: Iterable[Casualty] = (),
    casualties: Sequence[dict[str, Any]] = (),
    attachments: Iterable = (),
    submit: bool = False,
) -> Incident:
    """Edit an incident: change its facts, remove and add casualties, add evidence, and
    submit it if `submit` and it is still a draft.

    `expected_version` is the version the clerk read: if the incident has moved on,
    StaleVersion is raised and nothing changes. A refused part raises PartRefused and
    leaves nothing behind.
    """
    saved: list[Attachment] = []
    try:
        with transaction.atomic():
            _part(
                PartRefused.INCIDENT,
                lambda: incident_update(
                    actor=actor, incident=incident, expected_version=expected_version, **fields
                ),
            )
            for casualty in remove:
                _part(
                    PartRefused.INCIDENT,
                    lambda casualty=casualty: casualty_remove(actor=actor, casualty=casualty),
                )
            _add_parts(
                actor=actor,
                incident=incident,
                casualties=casualties,
                attachments=attachments,
                submit=submit and incident.status == IncidentStatus.DRAFT,
                saved=saved,
            )
    except BaseException:
        _forget_files(saved)
        raise
    return incident
