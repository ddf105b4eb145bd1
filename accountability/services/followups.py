"""The UN's follow-up with the host State about a case, and the State's responses."""

import uuid
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from accountability.choices import CaseEventKind, FollowUpChannel
from accountability.models import Case, FollowUp
from accountability.notifications.models import NotificationKind
from accountability.notifications.services import notify_later
from accountability.services.common import (
    _check_date,
    _created,
    _event,
    _lock_case_then,
    _require_text,
)
from incidents.services import actor_user, check_choice, lock_row
from incidents.services.evidence import check_upload
from missions.scope import can_answer_followup
from peacekeeping.audit import audit_record
from peacekeeping.errors import DomainError, IllegalTransition, OutOfScope


@transaction.atomic
def followup_record(
    *,
    actor,
    case: Case,
    sent_on: date,
    channel: str,
    summary: str,
    response_due: date | None = None,
) -> FollowUp:
    """Record a communication of the UN with the host State about the case."""
    lock_row(case)
    check_choice(channel, FollowUpChannel, field="channel", label=_("channel"))
    summary = _require_text(summary, field="summary", message=_("Summarise what was communicated."))
    _check_date(sent_on, case=case, field="sent_on", what=(_("a follow-up"), _("A follow-up")))
    if response_due is not None and response_due < sent_on:
        raise DomainError(
            _("A response cannot be due before the follow-up was sent (%(date)s).")
            % {"date": sent_on},
            field="response_due",
        )
    follow_up = FollowUp.objects.create(
        case=case,
        sent_on=sent_on,
        channel=channel,
        summary=summary,
        response_due=response_due,
        recorded_by=actor_user(actor),
    )
    _event(
        actor=actor,
        case=case,
        kind=CaseEventKind.FOLLOW_UP,
        on=sent_on,
        params={
            "channel": follow_up.channel,
            "response_due": response_due.isoformat() if response_due else None,
        },
        description=summary,
    )
    audit_record(
        actor=actor,
        action="follow_up.record",
        obj=follow_up,
        changes=_created(
            case_id=case.pk,
            sent_on=sent_on,
            channel=channel,
            summary=summary,
            response_due=response_due,
        ),
    )
    return follow_up


def _record_response(
    *,
    actor,
    follow_up: FollowUp,
    received_on: date,
    outcome: str,
    by_liaison: bool,
    checked=None,
    document=None,
) -> FollowUp:
    """The State's response, once: checked, stored, on the timeline and in the audit."""
    case = _lock_case_then(follow_up)
    if follow_up.response_received_on is not None:
        raise IllegalTransition(
            _("A response to this follow-up was already recorded on %(date)s.")
            % {"date": follow_up.response_received_on},
            field="received_on",
        )
    outcome = _require_text(outcome, field="outcome", message=_("Summarise the response received."))
    _check_date(
        received_on,
        case=case,
        field="received_on",
        what=(_("a response"), _("A response")),
        not_before=(
            follow_up.sent_on,
            _("the follow-up was sent (%(date)s)") % {"date": follow_up.sent_on},
        ),
    )
    follow_up.response_received_on = received_on
    follow_up.outcome = outcome
    follow_up.response_by_liaison = by_liaison
    follow_up.response_recorded_by = actor_user(actor)
    fields = [
        "response_received_on",
        "outcome",
        "response_by_liaison",
        "response_recorded_by",
    ]
    if checked is not None:
        follow_up.response_document_name = checked.original_name
        follow_up.response_document_type = checked.content_type
        follow_up.response_document.save(
            f"{uuid.uuid4().hex}{checked.extension}", document, save=False
        )
        fields += ["response_document", "response_document_name", "response_document_type"]
    try:
        follow_up.save(update_fields=fields)
        _event(
            actor=actor,
            case=case,
            kind=CaseEventKind.FOLLOW_UP_RESPONSE,
            on=received_on,
            params={"channel": follow_up.channel, "sent_on": follow_up.sent_on.isoformat()},
            description=outcome,
        )
        audit_record(
            actor=actor,
            action="follow_up.answer" if by_liaison else "follow_up.record_response",
            obj=follow_up,
            changes=_created(
                response_received_on=received_on,
                outcome=outcome,
                response_by_liaison=by_liaison,
                **(
                    {
                        "response_document": follow_up.response_document.name,
                        "sha256": checked.sha256,
                        "size": checked.size,
                    }
                    if checked is not None
                    else {}
                ),
            ),
        )
    except Exception:
        if checked is not None:
            # The file is stored but its row will not be: leave no orphan behind.
            follow_up.response_document.delete(save=False)
        raise
    return follow_up


@transaction.atomic
def followup_record_response(
    *, actor, follow_up: FollowUp, received_on: date, outcome: str
) -> FollowUp:
    """Record the host State's response to a follow-up (once), as a legal officer."""
    return _record_response(
        actor=actor, follow_up=follow_up, received_on=received_on, outcome=outcome, by_liaison=False
    )


@transaction.atomic
def followup_answer(
    *, actor, follow_up: FollowUp, answered_on: date, text: str, document=None
) -> FollowUp:
    """The host State's liaison answers a communication about a case of its State (once),
    with an optional document (checked as evidence is: type, size, active content).
    The case's legal officers are notified after the commit."""
    if not can_answer_followup(actor, follow_up.case):
        raise OutOfScope(_("Only the liaison of the case's host State answers its communications."))
    checked = check_upload(document) if document else None
    follow_up = _record_response(
        actor=actor,
        follow_up=follow_up,
        received_on=answered_on,
        outcome=text,
        by_liaison=True,
        checked=checked,
        document=document,
    )
    notify_later(
        kind=NotificationKind.STATE_ANSWERED,
        event_key=f"followup:{follow_up.pk}:answered",
        case_id=follow_up.case_id,
        data={"sent_on": follow_up.sent_on.isoformat(), "anchor": f"follow-up-{follow_up.pk}"},
        actor=actor,
    )
    return follow_up
