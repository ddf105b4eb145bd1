"""Suspects and their procedure before the host State's courts, step by step."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from accountability.choices import ProcedureStepKind
from accountability.models import Case, ProcedureStep, Suspect
from accountability.notifications.models import NotificationKind
from accountability.notifications.services import notify_later
from accountability.procedure import ProcedureState, procedure_step_refusal, step_label
from accountability.selectors import STEP_EVENT_KIND
from accountability.services.common import (
    _SUSPECT_DERIVED_FIELDS,
    _apply_state_to_suspect,
    _check_date,
    _created,
    _lock_case_then,
    _record_progress,
    _require_source,
    _require_text,
)
from incidents.models import ArmedGroup
from incidents.services import actor_user, check_choice, lock_row
from missions.models import Country
from peacekeeping.errors import DomainError, IllegalTransition

K = ProcedureStepKind


@transaction.atomic
def suspect_identify(
    *,
    actor,
    case: Case,
    name: str,
    identified_on: date,
    source: str,
    alias: str = "",
    armed_group: ArmedGroup | None = None,
    nationality: Country | None = None,
    note: str = "",
) -> Suspect:
    """Record a suspect, whose procedure starts with the step "identified"."""
    lock_row(case)
    name = _require_text(
        name, field="name", message=_("Give the suspect's name (or the name the record uses).")
    )
    source = _require_source(source)
    _check_date(
        identified_on,
        case=case,
        field="identified_on",
        what=(_("an identification"), _("An identification")),
    )
    suspect = Suspect.objects.create(
        case=case,
        name=name,
        alias=alias,
        armed_group=armed_group,
        nationality=nationality,
        status=K.IDENTIFIED,
        status_since=identified_on,
    )
    step = ProcedureStep.objects.create(
        suspect=suspect,
        kind=K.IDENTIFIED,
        occurred_on=identified_on,
        source=source,
        note=note,
        recorded_by=actor_user(actor),
    )
    _record_progress(
        actor=actor,
        case=case,
        obj=suspect,
        action="suspect.identify",
        changes=_created(
            case_id=case.pk,
            name=name,
            alias=alias,
            armed_group_id=suspect.armed_group_id,
            nationality_id=suspect.nationality_id,
            step_id=step.pk,
            identified_on=identified_on,
        ),
        event_kind=STEP_EVENT_KIND,
        on=identified_on,
        description=f"{name}: identified as a suspect." + (f" {note}" if note else ""),
        source=source,
    )
    return suspect


@transaction.atomic
def procedure_record_step(
    *,
    actor,
    suspect: Suspect,
    kind: str,
    occurred_on: date,
    source: str,
    legal_term: str = "",
    note: str = "",
    sentence: str = "",
) -> ProcedureStep:
    """Append one dated, sourced step to a suspect's procedure, if it may come next.

    The state is replayed from the steps already recorded; the step is refused with an
    IllegalTransition saying what is missing. Steps are never edited: a mistake is
    corrected by a later step and a note.
    """
    case = _lock_case_then(suspect)
    check_choice(kind, ProcedureStepKind, field="kind", label=_("procedure step"))
    source = _require_source(source)
    steps = list(suspect.steps.order_by("occurred_on", "id"))
    state = ProcedureState.from_steps(steps)
    refusal = procedure_step_refusal(kind, state)
    if refusal:
        raise IllegalTransition(refusal, field="kind")
    sentence = (sentence or "").strip()
    if kind == K.SENTENCED and not sentence:
        raise DomainError(_("Give the sentence pronounced."), field="sentence")
    if sentence and kind not in {K.CONVICTED, K.SENTENCED}:
        raise DomainError(
            _("A sentence goes with a conviction or a sentencing step."), field="sentence"
        )
    previous = state.last
    _check_date(
        occurred_on,
        case=case,
        field="occurred_on",
        what=(_("a step"), _("A step")),
        error=IllegalTransition,
        not_before=(
            (
                previous.occurred_on,
                _("the previous one (%(step)s on %(date)s)")
                % {"step": step_label(previous.kind), "date": previous.occurred_on},
            )
            if previous
            else None
        ),
    )
    step = ProcedureStep.objects.create(
        suspect=suspect,
        kind=kind,
        occurred_on=occurred_on,
        legal_term=legal_term,
        source=source,
        note=note,
        sentence=sentence,
        recorded_by=actor_user(actor),
    )
    state.apply(step)
    suspect_changes = _apply_state_to_suspect(suspect, state)
    suspect.save(update_fields=_SUSPECT_DERIVED_FIELDS)
    _record_progress(
        actor=actor,
        case=case,
        obj=step,
        action="procedure_step.record",
        changes={
            **_created(
                suspect_id=suspect.pk,
                kind=kind,
                occurred_on=occurred_on,
                legal_term=legal_term,
                sentence=sentence,
                source=source,
            ),
            "suspect": suspect_changes,
        },
        event_kind=STEP_EVENT_KIND,
        on=occurred_on,
        description=(
            f"{suspect.name}: {K(kind).label}"
            + (f" ({legal_term})" if legal_term else "")
            + (f", {sentence}" if sentence else "")
            + "."
            + (f" {note}" if note else "")
        ),
        source=source,
    )
    if case.focal_point_id:
        notify_later(
            kind=NotificationKind.STEP_RECORDED,
            event_key=f"step:{step.pk}",
            case_id=case.pk,
            data={
                "step": kind,
                "date": occurred_on.isoformat(),
                "anchor": f"suspect-{suspect.pk}",
            },
            actor=actor,
        )
    return step
