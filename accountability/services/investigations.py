"""Investigations into a case: by the host State's authorities (which stop the impunity
clock) or by others (recorded and shown: accountability/impunity.py)."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from accountability.choices import CaseEventKind, InvestigatingAuthority, InvestigationStatus
from accountability.models import Case, Investigation
from accountability.services.common import (
    _check_date,
    _created,
    _lock_case_then,
    _record_progress,
    _require_source,
)
from incidents.services import check_choice, lock_row
from peacekeeping.errors import IllegalTransition

IS = InvestigationStatus

# Allowed changes of an investigation's status.
INVESTIGATION_TRANSITIONS: dict[str, frozenset[str]] = {
    IS.OPENED: frozenset({IS.SUSPECTS_IDENTIFIED, IS.CLOSED_WITHOUT_CHARGE}),
    IS.SUSPECTS_IDENTIFIED: frozenset({IS.REFERRED_FOR_TRIAL, IS.CLOSED_WITHOUT_CHARGE}),
    IS.CLOSED_WITHOUT_CHARGE: frozenset({IS.OPENED}),
    IS.REFERRED_FOR_TRIAL: frozenset(),
}


@transaction.atomic
def investigation_open(
    *,
    actor,
    case: Case,
    authority: str,
    opened_on: date,
    source: str,
    authority_name: str = "",
    note: str = "",
) -> Investigation:
    """Record that an authority opened an investigation into the case."""
    lock_row(case)
    check_choice(
        authority, InvestigatingAuthority, field="authority", label=_("investigating authority")
    )
    source = _require_source(source)
    _check_date(
        opened_on, case=case, field="opened_on", what=(_("an investigation"), _("An investigation"))
    )
    investigation = Investigation.objects.create(
        case=case,
        authority=authority,
        authority_name=authority_name,
        status=IS.OPENED,
        opened_on=opened_on,
        source=source,
        note=note,
    )
    _record_progress(
        actor=actor,
        case=case,
        obj=investigation,
        action="investigation.open",
        changes=_created(
            case_id=case.pk,
            authority=authority,
            authority_name=authority_name,
            opened_on=opened_on,
            source=source,
        ),
        event_kind=CaseEventKind.INVESTIGATION_OPENED,
        investigation=investigation,
        investigation_status=IS.OPENED,
        on=opened_on,
        params={"authority": authority, "authority_name": authority_name},
        description=note,
        source=source,
    )
    return investigation


@transaction.atomic
def investigation_update_status(
    *, actor, investigation: Investigation, status: str, on: date, source: str, note: str = ""
) -> Investigation:
    """Move an investigation on: opened → suspects identified → referred for trial, or
    closed without charge (from opened or suspects identified); a closed one may reopen."""
    case = _lock_case_then(investigation)
    check_choice(status, InvestigationStatus, field="status", label=_("investigation status"))
    current = investigation.status
    allowed = INVESTIGATION_TRANSITIONS.get(current, frozenset())
    if status not in allowed:
        names = _(" or ").join(str(IS(s).label).lower() for s in IS.values if s in allowed)
        values = {
            "current": IS(current).label.lower(),
            "status": IS(status).label.lower(),
            "names": names,
        }
        raise IllegalTransition(
            (
                _(
                    "An investigation that is “%(current)s” cannot become “%(status)s”; "
                    "it can become %(names)s."
                )
                if names
                else _(
                    "An investigation that is “%(current)s” cannot become “%(status)s”; it is over."
                )
            )
            % values,
            field="status",
        )
    source = _require_source(source)
    not_before = None
    if current == IS.CLOSED_WITHOUT_CHARGE and investigation.closed_on:
        not_before = (
            investigation.closed_on,
            _("its closure (%(date)s)") % {"date": investigation.closed_on},
        )
    elif investigation.opened_on:
        not_before = (
            investigation.opened_on,
            _("its opening (%(date)s)") % {"date": investigation.opened_on},
        )
    _check_date(
        on,
        case=case,
        field="on",
        what=(_("a change of an investigation"), _("A change of an investigation")),
        error=IllegalTransition,
        not_before=not_before,
    )
    investigation.status = status
    if status == IS.CLOSED_WITHOUT_CHARGE:
        investigation.closed_on = on
    elif status == IS.OPENED:
        investigation.closed_on = None
    if note:
        investigation.note = f"{investigation.note}\n{on}: {note}".strip()
    investigation.save()
    _record_progress(
        actor=actor,
        case=case,
        obj=investigation,
        action="investigation.update_status",
        changes={"status": [current, status], "on": [None, on]},
        event_kind=CaseEventKind.INVESTIGATION_STATUS,
        investigation=investigation,
        investigation_status=status,
        on=on,
        params={"authority": investigation.authority, "before": current, "after": status},
        description=note,
        source=source,
    )
    return investigation
