"""Checkpoints of the audit chain and the row history, so that a cut shows.

The chain's links show an entry edited or removed in the middle; they cannot show an
emptied table or a chain whose newest entries were removed: what is left still links.
A checkpoint records the chain's head (id and hash) and both tables' sizes; the app's
database role may append checkpoints but never change or remove one
(peacekeeping.db_roles), and each is logged, so a copy also lives outside the database.
`checkpoint_problems` compares the tables with the latest checkpoint (or with one kept
elsewhere and given by the operator).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, Max
from django.utils import timezone

from peacekeeping.models import AuditCheckpoint, AuditEntry, RowHistory

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Expected:
    """What the history held at some moment: from a checkpoint row or from a log line."""

    audit_last_id: int | None
    audit_last_hash: str
    audit_count: int
    history_last_id: int | None = None
    history_count: int = 0


@transaction.atomic
def audit_checkpoint_take() -> AuditCheckpoint | None:
    """Append a checkpoint unless nothing was written since the last one."""
    if connection.vendor == "postgresql":
        # The chain's writers hold this lock while they append (peacekeeping.audit):
        # the head and the count below describe one and the same chain.
        from peacekeeping.audit import _CHAIN_LOCK_KEY

        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
    audit = AuditEntry.objects.aggregate(last=Max("id"), count=Count("id"))
    history = RowHistory.objects.aggregate(last=Max("id"), count=Count("id"))
    last_hash = ""
    if audit["last"] is not None:
        last_hash = AuditEntry.objects.values_list("entry_hash", flat=True).get(pk=audit["last"])
    previous = AuditCheckpoint.objects.order_by("-id").first()
    if (
        previous is not None
        and previous.audit_last_id == audit["last"]
        and previous.audit_count == audit["count"]
        and previous.history_last_id == history["last"]
        and previous.history_count == history["count"]
    ):
        return None
    checkpoint = AuditCheckpoint.objects.create(
        taken_at=timezone.now(),
        audit_last_id=audit["last"],
        audit_last_hash=last_hash,
        audit_count=audit["count"],
        history_last_id=history["last"],
        history_count=history["count"],
    )
    # One JSON log line per checkpoint: the copy outside the database that an operator
    # passes back to `verify_audit_chain --expect ...` if the table itself was cut.
    logger.info(
        "audit checkpoint",
        extra={
            "checkpoint_id": checkpoint.pk,
            "audit_last_id": checkpoint.audit_last_id,
            "audit_last_hash": checkpoint.audit_last_hash,
            "audit_count": checkpoint.audit_count,
            "history_last_id": checkpoint.history_last_id,
            "history_count": checkpoint.history_count,
        },
    )
    return checkpoint


def latest_expected() -> Expected | None:
    checkpoint = AuditCheckpoint.objects.order_by("-id").first()
    if checkpoint is None:
        return None
    return Expected(
        audit_last_id=checkpoint.audit_last_id,
        audit_last_hash=checkpoint.audit_last_hash,
        audit_count=checkpoint.audit_count,
        history_last_id=checkpoint.history_last_id,
        history_count=checkpoint.history_count,
    )


def checkpoint_problems(expected: Expected | None = None) -> list[str]:
    """What the tables lost since `expected` (default: the latest checkpoint) was taken.

    Only the latest checkpoint matters: everything an earlier one saw, it saw too. Rows
    written after it are counted by the next one; counts may grow (a transaction that
    took a lower id may commit later) but never shrink.
    """
    expected = expected or latest_expected()
    if expected is None:
        return []
    problems: list[str] = []
    if expected.audit_last_id is not None:
        head = (
            AuditEntry.objects.filter(pk=expected.audit_last_id)
            .values_list("entry_hash", flat=True)
            .first()
        )
        if head is None:
            problems.append(
                f"audit entry {expected.audit_last_id}, the chain's head at the last "
                "checkpoint, is missing: the chain was cut"
            )
        elif head != expected.audit_last_hash:
            problems.append(
                f"audit entry {expected.audit_last_id} no longer has the hash the last "
                "checkpoint recorded"
            )
        kept = AuditEntry.objects.filter(pk__lte=expected.audit_last_id).count()
        if kept < expected.audit_count:
            problems.append(
                f"the audit trail holds {kept} entries up to {expected.audit_last_id}; "
                f"the last checkpoint counted {expected.audit_count}"
            )
    if expected.history_last_id is not None:
        kept = RowHistory.objects.filter(pk__lte=expected.history_last_id).count()
        if kept < expected.history_count:
            problems.append(
                f"the row history holds {kept} rows up to {expected.history_last_id}; "
                f"the last checkpoint counted {expected.history_count}"
            )
    return problems
