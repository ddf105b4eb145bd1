"""Cases: opening them, joining incidents, keeping them in step, editing them."""

from collections.abc import Iterable
from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accountability.choices import CaseEventKind, InvestigationStatus
from accountability.models import Case, CaseIncident, Suspect
from accountability.notifications.models import NotificationKind
from accountability.notifications.services import notify_later
from accountability.selectors import suspect_states
from accountability.services.common import (
    _SUSPECT_DERIVED_FIELDS,
    CASE_AUDIT_FIELDS,
    CASE_REFERENCE_LOCK,
    _apply_state_to_suspect,
    _check_deployed,
    _event,
    _recompute,
    _save_case,
)
from accountability.timeline import in_both_languages
from incidents.choices import IncidentSource, IncidentStatus
from incidents.models import Incident
from incidents.selectors import incident_case_refusal
from incidents.services import (
    lock_reference_sequence,
    lock_row,
    next_reference,
    refuse_unknown_fields,
)
from missions.models import Country, Membership
from peacekeeping.audit import audit_record, model_changes
from peacekeeping.errors import DomainError, StaleVersion

IS = InvestigationStatus


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

    lock_reference_sequence(mission, namespace=CASE_REFERENCE_LOCK)
    case = Case(
        reference=next_reference(Case, f"CASE-{mission.acronym}-{attack_date.year}-"),
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
        kind=CaseEventKind.CASE_OPENED,
        on=opened_on,
        params={"incidents": references, "by_import": opened_by_import},
    )
    audit_record(
        actor=actor,
        action="case.open",
        obj=case,
        changes={
            **model_changes(case, CASE_AUDIT_FIELDS, None),
            "incidents": [None, references],
        },
    )
    if not opened_by_import:
        # The users in whose scope it opened hear of it after the commit (an import's
        # historical cases are not news).
        notify_later(
            kind=NotificationKind.CASE_OPENED,
            event_key=f"case:{case.pk}:opened",
            case_id=case.pk,
            actor=actor,
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
    return case_open(
        actor=actor,
        incidents=[incident],
        opened_by_import=incident.source != IncidentSource.MANUAL,
    )


@transaction.atomic
def case_join_incident(*, actor, case: Case, incident: Incident) -> Case:
    """Join another incident of the same mission to a case (one attack, several events)."""
    lock_row(case)
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
        kind=CaseEventKind.INCIDENT_JOINED,
        on=timezone.localdate(),
        params={"incident": incident.reference},
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
    lock_row(case)
    states = suspect_states(case)
    for suspect in Suspect.objects.filter(case=case).select_for_update():
        if _apply_state_to_suspect(suspect, states[suspect.pk]):
            suspect.save(update_fields=_SUSPECT_DERIVED_FIELDS)
    changes = _recompute(case)
    if changes:
        _save_case(case)
        audit_record(actor=actor, action="case.refresh", obj=case, changes=changes)
    return case


@transaction.atomic
def case_assign_host_state(*, actor, case: Case, host_state: Country) -> Case:
    """Name the host State with jurisdiction of a case opened without one."""
    lock_row(case)
    if case.host_state_id == host_state.pk:
        return case
    _check_deployed(case.mission, host_state, field="host_state")
    before = case.host_state_id
    case.host_state = host_state
    case.version += 1
    case.save(update_fields=["host_state", "version", "updated_at"])
    _event(
        case=case,
        actor=actor,
        kind=CaseEventKind.HOST_STATE_ASSIGNED,
        on=timezone.localdate(),
        params={"host_state": in_both_languages(en=host_state.name_en, fr=host_state.name_fr)},
        source="",
    )
    audit_record(
        actor=actor,
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
    members = Membership.objects.filter(mission_id=case.mission_id).values("user_id")
    return get_user_model().objects.filter(is_active=True, pk__in=members).order_by("username")


@transaction.atomic
def case_update(*, actor, case: Case, expected_version: int | None = None, **fields) -> Case:
    """Change a case's summary or mission focal point; refuse if it changed meanwhile.

    `expected_version` is the version the legal officer read: if anyone (or any step
    recorded on the case) has moved it on since, StaleVersion is raised and nothing
    changes, so a second editor never silently overwrites the first.
    """
    refuse_unknown_fields(fields, CASE_EDITABLE_FIELDS)
    lock_row(case)
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
