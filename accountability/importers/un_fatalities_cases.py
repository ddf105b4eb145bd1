"""The cases of the malicious acts an import of the UN fatalities file recorded.

`accountability.services.case_open` opens one case in some twenty queries (locks, checks,
reference, recompute, event, audit entry). A decade of the UN's file holds tens of
thousands of attacks, so the import opens them in bulk, a fixed number of queries per
batch, writing what `case_open` writes for an imported incident:

- the case, numbered `CASE-<MISSION>-<YEAR>-<NNNN>` on from the highest in use, under the
  same per-mission advisory lock as `case_open`, in the order of the attacks;
- its host State: the incident's country, else the mission's only host country, else to
  be determined (with a warning, as before);
- the derived fields as `case_open`'s recompute gives them for a case with no
  investigation yet: investigation status unknown, stage "no investigation recorded",
  killed and injured counted from the casualties, no progress, no conviction;
- the link to its incident, the "case_opened" event, and one "case.open" audit entry per
  case, in the same hash chain (`peacekeeping.audit.audit_record_many`).

The cases of existing incidents that gained or lost a death are recounted one by one by
`case_refresh`, as before: an import changes few of them.
"""

import json
from collections import defaultdict

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from accountability.choices import CaseEventKind, CaseStage, InvestigationStatus
from accountability.models import Case, CaseEvent, CaseIncident
from accountability.services import CASE_AUDIT_FIELDS, CASE_REFERENCE_LOCK, case_refresh
from incidents.choices import IncidentSource, Outcome
from incidents.importers.batching import BATCH_SIZE, BatchReferences, batches
from incidents.importers.pgcopy import copy_rows
from incidents.models import Casualty, Incident
from incidents.services import actor_user, lock_reference_sequence
from missions.models import Mission
from peacekeeping.audit import audit_record_many, model_changes


def _needing_case() -> list[int]:
    """Imported malicious acts that killed someone and have no case, oldest first."""
    killed = Casualty.objects.filter(incident=OuterRef("pk"), outcome=Outcome.KILLED)
    return list(
        Incident.objects.malicious()
        .filter(Exists(killed), source=IncidentSource.UN_FATALITIES_FILE, case_link__isnull=True)
        .order_by("occurred_at", "pk")
        .values_list("pk", flat=True)
    )


def _opened_params(incident: Incident) -> dict:
    """The "case_opened" event's parameters for a case the import opened."""
    return {"incidents": [incident.reference], "by_import": True}


def _link_and_record(cases: list[Case], incidents: list[Incident], user) -> None:
    """Each case's link to its incident and its "case_opened" event. On PostgreSQL by
    COPY (`incidents.importers.pgcopy`), the columns as `bulk_create` fills them: the
    rows are made while the server loads the ones before, without a model instance and
    an INSERT's parameters each (20,000 cases at a million rows)."""
    if connection.vendor != "postgresql":
        CaseIncident.objects.bulk_create(
            (
                CaseIncident(case=case, incident_id=incident.pk)
                for case, incident in zip(cases, incidents, strict=True)
            ),
            batch_size=BATCH_SIZE,
        )
        CaseEvent.objects.bulk_create(
            (
                CaseEvent(
                    case=case,
                    kind=CaseEventKind.CASE_OPENED,
                    occurred_on=case.opened_on,
                    params=_opened_params(incident),
                    source="",
                    recorded_by=user,
                )
                for case, incident in zip(cases, incidents, strict=True)
            ),
            batch_size=BATCH_SIZE,
        )
        return
    now = timezone.now()
    copy_rows(
        CaseIncident._meta.db_table,
        ("case_id", "incident_id", "joined_at"),
        ((case.pk, incident.pk, now) for case, incident in zip(cases, incidents, strict=True)),
    )
    user_id = user.pk if user else None
    copy_rows(
        CaseEvent._meta.db_table,
        (
            "case_id",
            "kind",
            "investigation_id",
            "investigation_status",
            "occurred_on",
            "params",
            "description",
            "source",
            "recorded_by_id",
            "recorded_at",
        ),
        (
            (
                case.pk,
                CaseEventKind.CASE_OPENED.value,
                None,
                "",
                case.opened_on,
                json.dumps(_opened_params(incident)),
                "",
                "",
                user_id,
                now,
            )
            for case, incident in zip(cases, incidents, strict=True)
        ),
    )


def _open_cases(*, actor, summary, warnings) -> set[int]:
    ordered = _needing_case()
    if not ordered:
        return set()
    # Locked in pk order, as case_open locks its incidents, so no two writers deadlock;
    # then re-read: an incident joined to a case meanwhile is left alone.
    incidents: dict[int, Incident] = {}
    for chunk in batches(sorted(ordered)):
        for incident in (
            Incident.objects.select_for_update()
            .filter(pk__in=chunk)
            .order_by("pk")
            .only("pk", "reference", "mission_id", "country_id", "occurred_at")
        ):
            incidents[incident.pk] = incident
        for incident_id in CaseIncident.objects.filter(incident_id__in=chunk).values_list(
            "incident_id", flat=True
        ):
            incidents.pop(incident_id, None)
    ordered = [pk for pk in ordered if pk in incidents]
    counts: dict[int, tuple[int, int]] = {}
    for chunk in batches(ordered):
        for incident_id, killed, injured in (
            Casualty.objects.filter(incident_id__in=chunk)
            .order_by()
            .values("incident_id")
            .annotate(
                killed=Count("pk", filter=Q(outcome=Outcome.KILLED)),
                injured=Count("pk", filter=Q(outcome=Outcome.INJURED)),
            )
            .values_list("incident_id", "killed", "injured")
        ):
            counts[incident_id] = (killed, injured)
    mission_ids = {incidents[pk].mission_id for pk in ordered}
    missions = {m.pk: m for m in Mission.objects.filter(pk__in=mission_ids).order_by("pk")}
    hosts: dict[int, list[int]] = defaultdict(list)
    for mission_id, country_id in (
        Mission.host_countries.through.objects.filter(mission_id__in=mission_ids)
        .order_by("country_id")
        .values_list("mission_id", "country_id")
    ):
        hosts[mission_id].append(country_id)
    for mission in missions.values():
        lock_reference_sequence(mission, namespace=CASE_REFERENCE_LOCK)

    references = BatchReferences(Case, lead="CASE-")
    references.preload(mission.acronym for mission in missions.values())
    opened_on = timezone.localdate()
    user = actor_user(actor)
    cases: list[Case] = []
    for pk in ordered:
        incident = incidents[pk]
        mission = missions[incident.mission_id]
        attack_date = incident.occurred_on
        mission_hosts = hosts.get(mission.pk, [])
        host_state_id = incident.country_id or (
            mission_hosts[0] if len(mission_hosts) == 1 else None
        )
        killed, injured = counts.get(pk, (0, 0))
        cases.append(
            Case(
                reference=references.allocate(mission.acronym, attack_date.year),
                mission_id=mission.pk,
                host_state_id=host_state_id,
                opened_on=max(opened_on, attack_date),
                attack_date=attack_date,
                investigation_status=InvestigationStatus.UNKNOWN,
                investigation_opened_on=None,
                stage=CaseStage.NO_INVESTIGATION,
                last_progress_on=None,
                has_conviction=False,
                killed=killed,
                injured=injured,
                opened_by_import=True,
            )
        )
    for chunk in batches(cases):
        Case.objects.bulk_create(chunk)
    _link_and_record(cases, [incidents[pk] for pk in ordered], user)
    audit_record_many(
        actor=actor,
        action="case.open",
        items=(
            (
                case,
                {
                    **model_changes(case, CASE_AUDIT_FIELDS, None),
                    "incidents": [None, [incidents[pk].reference]],
                },
            )
            for case, pk in zip(cases, ordered, strict=True)
        ),
    )

    undetermined: dict[str, list[int]] = {}  # acronym -> [host countries, cases]
    for case in cases:
        if case.host_state_id is None:
            acronym = missions[case.mission_id].acronym
            entry = undetermined.setdefault(acronym, [len(hosts.get(case.mission_id, [])), 0])
            entry[1] += 1
    summary.cases_opened = len(cases)
    for acronym, (host_count, count) in undetermined.items():
        summary.cases_pending += count
        has = f"has {host_count} host countries" if host_count else "has no host country"
        warnings.add(
            f"{acronym}: {count} case{'s' if count > 1 else ''} opened with the host State "
            f"to be determined ({acronym} {has}); name it on the case"
        )
    return {case.pk for case in cases}


def open_and_refresh_cases(*, actor, touched: set[int], summary, warnings) -> None:
    """Every imported malicious act that killed someone gets its case; the cases of
    existing incidents that gained or lost a death are recounted."""
    opened = _open_cases(actor=actor, summary=summary, warnings=warnings)
    case_ids: set[int] = set()
    for chunk in batches(sorted(touched)):
        case_ids.update(
            CaseIncident.objects.filter(incident_id__in=chunk).values_list("case_id", flat=True)
        )
    for case_id in sorted(case_ids - opened):
        case_refresh(case=Case.objects.get(pk=case_id), actor=actor)
        summary.cases_refreshed += 1
