"""One submission, one incident: recording under an idempotency key.

A client that may send the same submission twice (an offline outbox replaying when the
link returns, a double tap, a retry after a lost answer) sends a key with it: a UUID it
chose for that submission. The key is stored on the incident it recorded, unique per
user; the same user sending the same key again gets that incident back, and nothing is
recorded twice. Another user's key never finds this user's incident.

Two copies arriving at once are settled by the unique constraint: the second waits on
the first one's row, then (once it commits) finds it; if the first is refused and rolls
back, the second records.
"""

import uuid
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from incidents.models import Incident
from incidents.services.common import actor_user
from incidents.services.recording import incident_record
from peacekeeping.errors import DomainError

# The HTTP header API clients send the key in (IETF draft "The Idempotency-Key HTTP
# Header Field"); the HTML form sends it as the field `idempotency_key`.
IDEMPOTENCY_HEADER = "Idempotency-Key"


def parse_idempotency_key(value: Any) -> uuid.UUID | None:
    """The key as a UUID; None when absent; a clear error when it is not a UUID."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value).strip())
    except ValueError as exc:
        raise DomainError(
            _(
                "The idempotency key “%(value)s” is not a UUID; send a new random UUID "
                "(version 4) with each submission."
            )
            % {"value": str(value)[:80]},
            field="idempotency_key",
        ) from exc


def incident_by_idempotency_key(*, actor, key: uuid.UUID | None) -> Incident | None:
    """The incident this user already recorded under this key, if any."""
    user = actor_user(actor)
    if user is None or key is None:
        return None
    return Incident.objects.filter(created_by=user, idempotency_key=key).first()


@transaction.atomic
def record_once(
    *, actor, key: uuid.UUID | None, record: Callable[[], Incident]
) -> tuple[Incident, bool]:
    """`record()` unless this user already recorded under `key`: (incident, created).

    `record` records the incident with `idempotency_key=key` (and may do more in the same
    transaction: casualties, evidence, submission). When it loses a race with a copy of
    the same submission, the winner's incident is returned.
    """
    existing = incident_by_idempotency_key(actor=actor, key=key)
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return record(), True
    except IntegrityError:
        existing = incident_by_idempotency_key(actor=actor, key=key)
        if existing is None:
            raise
        return existing, False


def incident_record_once(
    *, actor, idempotency_key: uuid.UUID | str | None, **fields: Any
) -> tuple[Incident, bool]:
    """`incident_record` under an idempotency key: (incident, created).

    A replay returns the incident recorded the first time, as it now stands, whatever
    the replay carries: the key names the submission, not its content.
    """
    key = parse_idempotency_key(idempotency_key)
    return record_once(
        actor=actor,
        key=key,
        record=lambda: incident_record(actor=actor, idempotency_key=key, **fields),
    )
