"""The UN's support to the host State's police, courts and prisons."""

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accountability.choices import CaseEventKind, Institution, SupportKind
from accountability.models import CapacitySupport, Case, CaseEvent
from accountability.services.common import _check_deployed, _created, _require_text
from incidents.services import actor_user, check_choice
from missions.models import Country, Mission
from peacekeeping.audit import audit_record
from peacekeeping.errors import DomainError


@transaction.atomic
def capacity_support_record(
    *,
    actor,
    host_state: Country,
    provided_on: date,
    institution: str,
    kind: str,
    description: str,
    mission: Mission | None = None,
    cases: Iterable[Case] = (),
) -> CapacitySupport:
    """Record support to the host State's police, courts or prisons, for some cases."""
    check_choice(institution, Institution, field="institution", label=_("institution"))
    check_choice(kind, SupportKind, field="kind", label=_("kind of support"))
    description = _require_text(
        description, field="description", message=_("Describe the support provided.")
    )
    if provided_on is None:
        raise DomainError(_("Give the date of the support."), field="provided_on")
    if provided_on > timezone.localdate():
        raise DomainError(_("Support cannot be dated in the future."), field="provided_on")
    if mission is not None:
        _check_deployed(mission, host_state, field="mission")
    cases = list(cases)
    for case in cases:
        if case.host_state_id != host_state.pk:
            raise DomainError(
                _("Case %(case)s falls under another host State than %(state)s.")
                % {"case": case.reference, "state": host_state.name},
                field="cases",
            )
    support = CapacitySupport.objects.create(
        host_state=host_state,
        mission=mission,
        provided_on=provided_on,
        institution=institution,
        kind=kind,
        description=description,
        recorded_by=actor_user(actor),
    )
    support.cases.set(cases)
    # The same line on each case's timeline, in one INSERT.
    CaseEvent.objects.bulk_create(
        CaseEvent(
            case=case,
            kind=CaseEventKind.CAPACITY_SUPPORT,
            occurred_on=provided_on,
            params={"kind": kind, "institution": institution},
            description=description,
            recorded_by=actor_user(actor),
        )
        for case in cases
    )
    audit_record(
        actor=actor,
        action="capacity_support.record",
        obj=support,
        changes=_created(
            host_state_id=host_state.pk,
            mission_id=mission.pk if mission else None,
            provided_on=provided_on,
            institution=institution,
            kind=kind,
            description=description,
            cases=[case.reference for case in cases],
        ),
    )
    return support
