"""Writes of the accountability app: cases, investigations, suspects' procedures, the
UN's follow-up with the host State and its capacity support.

Every service checks the current state, refuses an illegal change with a DomainError (an
IllegalTransition for a step out of order) whose message says what is missing, writes the
case's timeline (CaseEvent) and the audit trail, and keeps the case's denormalised fields
(attack date, counts, investigation status, stage, last progress, conviction) in step, so
that the impunity rule stays one indexed query.

Lock order, to avoid deadlocks: the case row first, then the investigation, suspect or
follow-up row.
"""

import re
from collections.abc import Iterable
from datetime import date

from django.db import connection, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accountability.choices import (
    FollowUpChannel,
    Institution,
    InvestigatingAuthority,
    InvestigationStatus,
    ProcedureStepKind,
    SupportKind,
)
from accountability.models import (
    CapacitySupport,
    Case,
    CaseEvent,
    CaseIncident,
    FollowUp,
    Investigation,
    ProcedureStep,
    Suspect,
)
from accountability.selectors import (
    PROGRESS_EVENT_KINDS,
    STEP_EVENT_KIND,
    VERDICTS,
    ProcedureState,
    case_stage,
    investigation_status_of,
    suspect_states,
)
from incidents.choices import IncidentSource, IncidentStatus, Outcome
from incidents.models import ArmedGroup, Casualty, Incident
from incidents.selectors import incident_case_refusal
from missions.models import Country, Mission
from peacekeeping.audit import audit_record, model_changes
from peacekeeping.errors import DomainError, IllegalTransition, StaleVersion

K = ProcedureStepKind
IS = InvestigationStatus

# Namespace of the PostgreSQL advisory lock that serialises case references per mission.
_CASE_REFERENCE_LOCK = 0x43415345  # "CASE"

# The fields the services keep in step with the rows (see `case_refresh`).
_CASE_DERIVED_FIELDS = [
    "attack_date",
    "killed",
    "injured",
    "investigation_status",
    "investigation_opened_on",
    "stage",
    "last_progress_on",
    "has_conviction",
]
_CASE_AUDIT_FIELDS = [
    "reference",
    "mission_id",
    "host_state_id",
    "focal_point_id",
    "opened_on",
    "opened_by_import",
    *_CASE_DERIVED_FIELDS,
]
_SUSPECT_DERIVED_FIELDS = ["status", "status_since", "in_custody", "custody_since"]

# Allowed changes of an investigation's status.
INVESTIGATION_TRANSITIONS: dict[str, frozenset[str]] = {
    IS.OPENED: frozenset({IS.SUSPECTS_IDENTIFIED, IS.CLOSED_WITHOUT_CHARGE}),
    IS.SUSPECTS_IDENTIFIED: frozenset({IS.REFERRED_FOR_TRIAL, IS.CLOSED_WITHOUT_CHARGE}),
    IS.CLOSED_WITHOUT_CHARGE: frozenset({IS.OPENED}),
    IS.REFERRED_FOR_TRIAL: frozenset(),
}

SOURCE_REQUIRED = gettext_noop(
    "Every step needs a source: name the document, record or report it comes from."
)


# --- helpers --------------------------------------------------------------------------


def _user(actor):
    """The actor as a user row, or None for the system and anonymous callers."""
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _lock(instance):
    """Reload the row under a lock, so the state checked is the state changed."""
    instance.refresh_from_db(from_queryset=type(instance).objects.select_for_update())
    return instance


def _check_choice(value: str, choices, *, field: str, label: str) -> None:
    if value not in choices.values:
        raise DomainError(
            _("“%(value)s” is not a known %(label)s.") % {"value": value, "label": label},
            field=field,
        )


def _require_source(source: str) -> str:
    source = (source or "").strip()
    if not source:
        raise DomainError(_(SOURCE_REQUIRED), field="source")
    return source


def _check_date(
    on: date,
    *,
    case: Case,
    field: str,
    what: tuple[str, str],
    error=DomainError,
    not_before=None,
) -> None:
    """Refuse a date in the future, before the attack, or before `not_before` (date, why).

    `what` names the dated thing twice, translated: as the object of "the date of ..."
    and as the subject of a sentence ("an investigation", "An investigation"); French
    words the two differently ("d'une enquête", "La date d'une enquête").
    """
    names = {"what": what[0], "subject": what[1]}
    if on is None:
        raise error(_("Give the date of %(what)s.") % names, field=field)
    if on > timezone.localdate():
        raise error(_("%(subject)s cannot be dated in the future.") % names, field=field)
    if on < case.attack_date:
        raise error(
            _("%(subject)s cannot be dated before the attack (%(date)s).")
            % {**names, "date": case.attack_date},
            field=field,
        )
    if not_before is not None and on < not_before[0]:
        raise error(
            _("%(subject)s cannot be dated before %(when)s.") % {**names, "when": not_before[1]},
            field=field,
        )


def _lock_reference_sequence(mission: Mission) -> None:
    # Same race as for incident references: serialise numbering per mission on PostgreSQL.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)", [_CASE_REFERENCE_LOCK, mission.pk % 2**31]
            )


def _next_reference(prefix: str) -> str:
    pattern = re.compile(rf"^{re.escape(prefix)}(\d+)$")
    taken = Case.objects.filter(reference__startswith=prefix).values_list("reference", flat=True)
    numbers = [int(match.group(1)) for ref in taken if (match := pattern.match(ref))]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


def _event(
    *, actor, case: Case, kind: str, on: date, description: str, source: str = ""
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        kind=kind,
        occurred_on=on,
        description=description,
        source=source,
        recorded_by=_user(actor),
    )


def _recompute(case: Case) -> dict:
    """Recompute the case's denormalised fields from its rows; return what changed."""
    before = {f: getattr(case, f) for f in _CASE_DERIVED_FIELDS}
    incidents = list(Incident.objects.filter(case_link__case=case))
    if incidents:
        case.attack_date = min(incident.occurred_on for incident in incidents)
        counts = Casualty.objects.filter(incident__in=incidents).aggregate(
            killed=Count("pk", filter=Q(outcome=Outcome.KILLED)),
            injured=Count("pk", filter=Q(outcome=Outcome.INJURED)),
        )
        case.killed, case.injured = counts["killed"], counts["injured"]

    investigations = list(case.investigations.all())
    case.investigation_status = investigation_status_of(
        (i.status for i in investigations), current=case.investigation_status
    )
    opened = [i.opened_on for i in investigations if i.opened_on]
    case.investigation_opened_on = min(opened, default=None)

    states = list(suspect_states(case).values())
    case.has_conviction = any(state.convicted for state in states)
    case.stage = case_stage(
        investigation_status=case.investigation_status,
        has_investigation=bool(investigations),
        states=states,
    )
    progress = [
        *opened,
        *(i.closed_on for i in investigations if i.closed_on),
        *(state.last.occurred_on for state in states if state.last),
        case.events.filter(kind__in=PROGRESS_EVENT_KINDS).aggregate(last=Max("occurred_on"))[
            "last"
        ],
    ]
    case.last_progress_on = max((d for d in progress if d), default=None)
    return model_changes(case, _CASE_DERIVED_FIELDS, before)


def _save_case(case: Case) -> None:
    case.version += 1
    case.save()


def _apply_state_to_suspect(suspect: Suspect, state: ProcedureState) -> dict:
    before = {f: getattr(suspect, f) for f in _SUSPECT_DERIVED_FIELDS}
    if state.last is not None:
        suspect.status = state.last.kind
        suspect.status_since = state.last.occurred_on
    suspect.in_custody = state.in_custody
    suspect.custody_since = state.custody_since
    return model_changes(suspect, _SUSPECT_DERIVED_FIELDS, before)


# --- cases ----------------------------------------------------------------------------


@transaction.atomic
def case_open(
    *,
    actor,
    incidents: Iterable[Incident],
    host_state: Country | None = None,
    opened_on: date | None = None,
    focal_point=None,
    opened_by_import: bool = False,
) -> Case:
    """Open the justice case of one or more malicious acts that killed or injured.

    The incidents share one mission and belong to no other case. The host State defaults
    to the country of the incidents, else to the mission's only host country. The case
    starts with no investigation recorded (status unknown).
    """
    pks = [incident.pk for incident in incidents]
    if not pks:
        raise DomainError(_("A case needs at least one incident."), field="incidents")
    # Locked in a fixed order, so two clerks opening overlapping cases cannot deadlock.
    locked = list(
        Incident.objects.select_for_update()
        .filter(pk__in=pks)
        .select_related("mission")
        .order_by("pk")
    )
    if len({incident.mission_id for incident in locked}) > 1:
        raise DomainError(
            _("The incidents of one case must belong to one mission; these belong to %(missions)s.")
            % {"missions": ", ".join(sorted({incident.mission.acronym for incident in locked}))},
            field="incidents",
        )
    for incident in locked:
        refusal = incident_case_refusal(incident)
        if refusal:
            raise DomainError(refusal, field="incidents")
    link = (
        CaseIncident.objects.filter(incident__in=locked).select_related("case", "incident").first()
    )
    if link is not None:
        raise DomainError(
            _("%(reference)s is already in case %(case)s.")
            % {"reference": link.incident.reference, "case": link.case.reference},
            field="incidents",
        )

    mission = locked[0].mission
    by_date = sorted(locked, key=lambda incident: incident.occurred_at)
    attack_date = by_date[0].occurred_on
    if host_state is None:
        host_state = next((i.country for i in by_date if i.country_id), None)
    if host_state is None:
        hosts = list(mission.host_countries.all()[:2])
        if len(hosts) == 1:
            host_state = hosts[0]
        elif not opened_by_import:
            raise DomainError(
                (
                    _(
                        "Name the host State: the incident has no country and %(mission)s has "
                        "several host countries."
                    )
                    if hosts
                    else _(
                        "Name the host State: the incident has no country and %(mission)s has "
                        "no host country."
                    )
                )
                % {"mission": mission.acronym},
                field="host_state",
            )
        # An import cannot tell where the attack happened: the case opens with its host
        # State to be determined (case_assign_host_state), rather than not at all.
    opened_on = opened_on or timezone.localdate()
    if opened_on > timezone.localdate():
        raise DomainError(_("A case cannot be opened in the future."), field="opened_on")
    if opened_on < attack_date:
        raise DomainError(
            _("A case cannot be opened before the attack (%(date)s).") % {"date": attack_date},
            field="opened_on",
        )

    _lock_reference_sequence(mission)
    case = Case(
        reference=_next_reference(f"CASE-{mission.acronym}-{attack_date.year}-"),
        mission=mission,
        host_state=host_state,
        focal_point=focal_point,
        opened_on=opened_on,
        attack_date=attack_date,
        investigation_status=IS.UNKNOWN,
        opened_by_import=opened_by_import,
    )
    case.save()
    CaseIncident.objects.bulk_create([CaseIncident(case=case, incident=i) for i in locked])
    _recompute(case)
    case.save()
    references = [incident.reference for incident in by_date]
    _event(
        actor=actor,
        case=case,
        kind="case_opened",
        on=opened_on,
        description=(
            f"Case opened {'by an import ' if opened_by_import else ''}for {', '.join(references)}."
        ),
    )
    audit_record(
        actor=actor,
        action="case.open",
        obj=case,
        changes={
            **model_changes(case, _CASE_AUDIT_FIELDS, None),
            "incidents": [None, references],
        },
    )
    return case


@transaction.atomic
def case_open_for_incident(*, actor, incident: Incident, opened_by_import: bool = False) -> Case:
    """The incident's case: the one it belongs to, or a new one."""
    link = CaseIncident.objects.filter(incident=incident).select_related("case").first()
    if link is not None:
        return link.case
    return case_open(actor=actor, incidents=[incident], opened_by_import=opened_by_import)


@transaction.atomic
def case_sync_for_incident(*, actor, incident: Incident) -> Case | None:
    """Keep an incident's case in step after the incident changed (called by incidents).

    An incident already in a case refreshes that case (date, counts). Otherwise a case
    opens when the incident calls for one (a malicious act that killed or injured) and
    is submitted or verified, or was recorded by an import.
    """
    link = CaseIncident.objects.filter(incident=incident).select_related("case").first()
    if link is not None:
        return case_refresh(case=link.case, actor=actor)
    ready = incident.status != IncidentStatus.DRAFT or incident.source != IncidentSource.MANUAL
    if not ready or incident_case_refusal(incident) is not None:
        return None
    return case_open_for_incident(
        actor=actor, incident=incident, opened_by_import=incident.source != IncidentSource.MANUAL
    )


@transaction.atomic
def case_join_incident(*, actor, case: Case, incident: Incident) -> Case:
    """Join another incident of the same mission to a case (one attack, several events)."""
    _lock(case)
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.mission_id != case.mission_id:
        raise DomainError(
            _("%(reference)s belongs to another mission than case %(case)s.")
            % {"reference": incident.reference, "case": case.reference},
            field="incident",
        )
    link = CaseIncident.objects.filter(incident=incident).select_related("case").first()
    if link is not None:
        where = (
            _("this case")
            if link.case_id == case.pk
            else _("case %(case)s") % {"case": link.case.reference}
        )
        raise DomainError(
            _("%(reference)s is already in %(where)s.")
            % {"reference": incident.reference, "where": where},
            field="incident",
        )
    refusal = incident_case_refusal(incident)
    if refusal:
        raise DomainError(refusal, field="incident")
    CaseIncident.objects.create(case=case, incident=incident)
    changes = _recompute(case)
    _save_case(case)
    _event(
        actor=actor,
        case=case,
        kind="incident_joined",
        on=timezone.localdate(),
        description=f"{incident.reference} joined to the case.",
    )
    audit_record(
        actor=actor,
        action="case.join_incident",
        obj=case,
        changes={**changes, "incidents": [None, incident.reference]},
    )
    return case


@transaction.atomic
def case_refresh(*, case: Case, actor=None) -> Case:
    """Recompute a case's denormalised fields, and its suspects', from the rows.

    Used after imports and bulk changes; writes an audit entry only when something moved.
    """
    _lock(case)
    states = suspect_states(case)
    for suspect in Suspect.objects.filter(case=case).select_for_update():
        if _apply_state_to_suspect(suspect, states[suspect.pk]):
            suspect.save(update_fields=_SUSPECT_DERIVED_FIELDS)
    changes = _recompute(case)
    if changes:
        _save_case(case)
        audit_record(actor=actor, action="case.refresh", obj=case, changes=changes)
    return case


# --- investigations -------------------------------------------------------------------


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
    _lock(case)
    _check_choice(
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
    by_whom = investigation.get_authority_display() + (
        f" ({authority_name})" if authority_name else ""
    )
    _event(
        actor=actor,
        case=case,
        kind="investigation_opened",
        on=opened_on,
        description=f"Investigation opened by {by_whom}." + (f" {note}" if note else ""),
        source=source,
    )
    case_changes = _recompute(case)
    _save_case(case)
    audit_record(
        actor=actor,
        action="investigation.open",
        obj=investigation,
        changes={
            "case_id": [None, case.pk],
            "authority": [None, authority],
            "authority_name": [None, authority_name],
            "opened_on": [None, opened_on],
            "source": [None, source],
            "case": case_changes,
        },
    )
    return investigation


@transaction.atomic
def investigation_update_status(
    *, actor, investigation: Investigation, status: str, on: date, source: str, note: str = ""
) -> Investigation:
    """Move an investigation on: opened → suspects identified → referred for trial, or
    closed without charge (from opened or suspects identified); a closed one may reopen."""
    case = _lock(investigation.case)
    _lock(investigation)
    _check_choice(status, InvestigationStatus, field="status", label=_("investigation status"))
    current = investigation.status
    if status not in INVESTIGATION_TRANSITIONS.get(current, frozenset()):
        allowed = INVESTIGATION_TRANSITIONS.get(current, frozenset())
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
    _event(
        actor=actor,
        case=case,
        kind="investigation_status",
        on=on,
        description=(
            f"Investigation by {investigation.get_authority_display()}: "
            f"{IS(current).label} → {IS(status).label}." + (f" {note}" if note else "")
        ),
        source=source,
    )
    case_changes = _recompute(case)
    _save_case(case)
    audit_record(
        actor=actor,
        action="investigation.update_status",
        obj=investigation,
        changes={"status": [current, status], "on": [None, on], "case": case_changes},
    )
    return investigation


# --- suspects and their procedure -----------------------------------------------------


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
    _lock(case)
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Give the suspect's name (or the name the record uses)."), field="name")
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
        recorded_by=_user(actor),
    )
    _event(
        actor=actor,
        case=case,
        kind=STEP_EVENT_KIND,
        on=identified_on,
        description=f"{name}: identified as a suspect." + (f" {note}" if note else ""),
        source=source,
    )
    case_changes = _recompute(case)
    _save_case(case)
    audit_record(
        actor=actor,
        action="suspect.identify",
        obj=suspect,
        changes={
            "case_id": [None, case.pk],
            "name": [None, name],
            "alias": [None, alias],
            "armed_group_id": [None, suspect.armed_group_id],
            "nationality_id": [None, suspect.nationality_id],
            "step_id": [None, step.pk],
            "identified_on": [None, identified_on],
            "case": case_changes,
        },
    )
    return suspect


def _label(kind: str) -> str:
    return str(K(kind).label).lower()


def procedure_step_refusal(kind: str, state: ProcedureState) -> str | None:
    """Why `kind` cannot be the suspect's next step, or None when it can.

    The same rules fit civil-law systems (mandat d'arrêt, inculpation, renvoi devant la
    cour d'assises) and common-law ones (warrant, charge, committal, trial): a verdict
    needs a trial, a trial and a committal need a charge, a sentence needs a conviction,
    an appeal and finality need a verdict, custody steps need custody.
    """
    if state.deceased_on:
        return _("The suspect died on %(date)s; no step can follow.") % {"date": state.deceased_on}
    if kind == K.IDENTIFIED:
        return _("The suspect was identified when first recorded; record the next step instead.")
    final = state.final_on
    if final and kind in {K.CHARGED, K.COMMITTED_FOR_TRIAL, K.TRIAL_OPENED, K.APPEAL, *VERDICTS}:
        return _("The judgment is final since %(date)s; no further %(step)s can be recorded.") % {
            "date": final,
            "step": _label(kind),
        }
    if kind == K.ARRESTED and state.in_custody:
        return _(
            "The suspect is already in custody since %(date)s; record a release "
            "or an escape before a new arrest."
        ) % {"date": state.custody_since}
    if kind in {K.DETAINED, K.RELEASED, K.ESCAPED} and not state.in_custody:
        what = {K.DETAINED: _("Detention"), K.RELEASED: _("A release"), K.ESCAPED: _("An escape")}
        return _(
            "%(what)s needs the suspect in custody; no arrest is recorded since the last "
            "release or escape."
        ) % {"what": what[kind]}
    if kind == K.AT_LARGE and state.in_custody:
        return _(
            "The suspect is in custody since %(date)s; record a release or an escape first."
        ) % {"date": state.custody_since}
    if kind == K.COMMITTED_FOR_TRIAL and not state.charged_on:
        return _(
            "Committal for trial needs a charge; no charge has been filed against this suspect."
        )
    if kind == K.TRIAL_OPENED and not state.charged_on:
        return _("A trial needs a charge; no charge has been filed against this suspect.")
    if kind in VERDICTS:
        if not state.trial_opened_on:
            return _("A verdict needs a trial opened; no trial has been opened for this suspect.")
        if state.last_verdict and not state.appeal_pending_since:
            return _(
                "A verdict was already pronounced on %(date)s; a new "
                "verdict needs an appeal lodged since."
            ) % {"date": state.last_verdict.occurred_on}
    if kind == K.SENTENCED:
        if not state.convicted:
            return _("A sentence needs a conviction; this suspect has not been convicted.")
        if state.sentenced_on:
            return _("A sentence was already recorded on %(date)s for this conviction.") % {
                "date": state.sentenced_on
            }
    if kind == K.APPEAL:
        if not state.last_verdict:
            return _("An appeal needs a verdict; no verdict has been pronounced for this suspect.")
        if state.appeal_pending_since:
            return _("An appeal lodged on %(date)s is pending; record its verdict first.") % {
                "date": state.appeal_pending_since
            }
    if kind == K.FINAL and not state.last_verdict:
        return _(
            "A judgment becomes final only after a verdict; no verdict has been pronounced for "
            "this suspect."
        )
    return None


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
    case = _lock(suspect.case)
    _lock(suspect)
    _check_choice(kind, ProcedureStepKind, field="kind", label=_("procedure step"))
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
                % {"step": _label(previous.kind), "date": previous.occurred_on},
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
        recorded_by=_user(actor),
    )
    state.apply(step)
    suspect_changes = _apply_state_to_suspect(suspect, state)
    suspect.save(update_fields=_SUSPECT_DERIVED_FIELDS)
    _event(
        actor=actor,
        case=case,
        kind=STEP_EVENT_KIND,
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
    case_changes = _recompute(case)
    _save_case(case)
    audit_record(
        actor=actor,
        action="procedure_step.record",
        obj=step,
        changes={
            "suspect_id": [None, suspect.pk],
            "kind": [None, kind],
            "occurred_on": [None, occurred_on],
            "legal_term": [None, legal_term],
            "sentence": [None, sentence],
            "source": [None, source],
            "suspect": suspect_changes,
            "case": case_changes,
        },
    )
    return step


# --- the UN's follow-up and support ----------------------------------------------------


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
    _lock(case)
    _check_choice(channel, FollowUpChannel, field="channel", label=_("channel"))
    summary = (summary or "").strip()
    if not summary:
        raise DomainError(_("Summarise what was communicated."), field="summary")
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
        recorded_by=_user(actor),
    )
    _event(
        actor=actor,
        case=case,
        kind="follow_up",
        on=sent_on,
        description=f"{follow_up.get_channel_display()} to the host State: {summary}"
        + (f" (response due {response_due})" if response_due else ""),
    )
    audit_record(
        actor=actor,
        action="follow_up.record",
        obj=follow_up,
        changes={
            "case_id": [None, case.pk],
            "sent_on": [None, sent_on],
            "channel": [None, channel],
            "summary": [None, summary],
            "response_due": [None, response_due],
        },
    )
    return follow_up


@transaction.atomic
def followup_record_response(
    *, actor, follow_up: FollowUp, received_on: date, outcome: str
) -> FollowUp:
    """Record the host State's response to a follow-up (once)."""
    case = _lock(follow_up.case)
    _lock(follow_up)
    if follow_up.response_received_on is not None:
        raise IllegalTransition(
            _("A response to this follow-up was already recorded on %(date)s.")
            % {"date": follow_up.response_received_on},
            field="received_on",
        )
    outcome = (outcome or "").strip()
    if not outcome:
        raise DomainError(_("Summarise the response received."), field="outcome")
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
    follow_up.save(update_fields=["response_received_on", "outcome"])
    _event(
        actor=actor,
        case=case,
        kind="follow_up_response",
        on=received_on,
        description=f"Response of the host State to the {follow_up.get_channel_display().lower()}"
        f" of {follow_up.sent_on}: {outcome}",
    )
    audit_record(
        actor=actor,
        action="follow_up.record_response",
        obj=follow_up,
        changes={"response_received_on": [None, received_on], "outcome": [None, outcome]},
    )
    return follow_up


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
    _check_choice(institution, Institution, field="institution", label=_("institution"))
    _check_choice(kind, SupportKind, field="kind", label=_("kind of support"))
    description = (description or "").strip()
    if not description:
        raise DomainError(_("Describe the support provided."), field="description")
    if provided_on is None:
        raise DomainError(_("Give the date of the support."), field="provided_on")
    if provided_on > timezone.localdate():
        raise DomainError(_("Support cannot be dated in the future."), field="provided_on")
    if mission is not None and not mission.host_countries.filter(pk=host_state.pk).exists():
        raise DomainError(
            _("%(mission)s is not deployed in %(state)s.")
            % {"mission": mission.acronym, "state": host_state.name},
            field="mission",
        )
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
        recorded_by=_user(actor),
    )
    support.cases.set(cases)
    for case in cases:
        _event(
            actor=actor,
            case=case,
            kind="capacity_support",
            on=provided_on,
            description=(
                f"{support.get_kind_display()} for {support.get_institution_display().lower()}:"
                f" {description}"
            ),
        )
    audit_record(
        actor=actor,
        action="capacity_support.record",
        obj=support,
        changes={
            "host_state_id": [None, host_state.pk],
            "mission_id": [None, mission.pk if mission else None],
            "provided_on": [None, provided_on],
            "institution": [None, institution],
            "kind": [None, kind],
            "description": [None, description],
            "cases": [None, [case.reference for case in cases]],
        },
    )
    return support


@transaction.atomic
def case_assign_host_state(*, actor, case: Case, host_state: Country) -> Case:
    """Name the host State with jurisdiction of a case opened without one."""
    _lock(case)
    if case.host_state_id == host_state.pk:
        return case
    if not case.mission.host_countries.filter(pk=host_state.pk).exists():
        raise DomainError(
            _("%(mission)s is not deployed in %(state)s.")
            % {"mission": case.mission.acronym, "state": host_state.name},
            field="host_state",
        )
    before = case.host_state_id
    case.host_state = host_state
    case.version += 1
    case.save(update_fields=["host_state", "version", "updated_at"])
    _event(
        case=case,
        actor=actor,
        kind="host_state_assigned",
        on=timezone.localdate(),
        description=f"Host State with jurisdiction: {host_state.name_en}.",
        source="",
    )
    audit_record(
        actor=_user(actor),
        action="case_assign_host_state",
        obj=case,
        changes={"host_state_id": [before, host_state.pk]},
    )
    return case


# --- case summary and focal point --------------------------------------------------------

# The fields `case_update` may change; everything else follows from the case's rows.
CASE_EDITABLE_FIELDS = ("summary", "focal_point")


def case_focal_point_candidates(case: Case):
    """Active users who may be the case's mission focal point: members of its mission."""
    from django.contrib.auth import get_user_model

    from missions.models import Membership

    members = Membership.objects.filter(mission_id=case.mission_id).values("user_id")
    return get_user_model().objects.filter(is_active=True, pk__in=members).order_by("username")


@transaction.atomic
def case_update(*, actor, case: Case, expected_version: int | None = None, **fields) -> Case:
    """Change a case's summary or mission focal point; refuse if it changed meanwhile.

    `expected_version` is the version the legal officer read: if anyone (or any step
    recorded on the case) has moved it on since, StaleVersion is raised and nothing
    changes, so a second editor never silently overwrites the first.
    """
    unknown = sorted(set(fields) - set(CASE_EDITABLE_FIELDS))
    if unknown:
        raise DomainError(
            _("These fields cannot be edited: %(fields)s.") % {"fields": ", ".join(unknown)},
            field=unknown[0],
        )
    _lock(case)
    if expected_version is not None and expected_version != case.version:
        raise StaleVersion(
            _(
                "%(reference)s was changed by someone else since you opened it "
                "(version %(expected)s, now %(current)s)."
            )
            % {"reference": case.reference, "expected": expected_version, "current": case.version}
        )
    if "summary" in fields:
        fields["summary"] = (fields["summary"] or "").strip()
    focal_point = fields.get("focal_point")
    if (
        focal_point is not None
        and not case_focal_point_candidates(case).filter(pk=focal_point.pk).exists()
    ):
        raise DomainError(
            _("%(user)s is not an active member of %(mission)s.")
            % {"user": focal_point.get_username(), "mission": case.mission.acronym},
            field="focal_point",
        )
    audited = ["summary", "focal_point_id"]
    before = {name: getattr(case, name) for name in audited}
    for name, value in fields.items():
        setattr(case, name, value)
    changes = model_changes(case, audited, before)
    if not changes:
        return case
    _save_case(case)
    audit_record(
        actor=actor,
        action="case.update",
        obj=case,
        changes={**changes, "version": [case.version - 1, case.version]},
    )
    return case
