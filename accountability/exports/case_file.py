"""The case file: one case on paper (PDF, WeasyPrint), as the user may see it.

Incidents and the people harmed, investigations, each suspect's procedure step by step,
follow-ups with the host State and capacity support, with names masked per
`missions.scope.sees_names` and suspects and follow-ups only for the roles that see them
(`Case.objects.with_visible_suspects`). Read in one snapshot; a fixed number of queries.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone

from accountability.exports.indicators import snapshot
from accountability.impunity import case_in_impunity
from accountability.models import Case, FollowUp, ProcedureStep
from incidents.models import Casualty
from missions.masking import mask
from missions.scope import sees_names


def case_file_context(case: Case, *, user, as_of: datetime) -> dict:
    today = as_of.date()
    names_visible = sees_names(user, mission_id=case.mission_id, country_id=case.host_state_id)
    with snapshot():
        # select_related / prefetch: every section in one query each, whatever its length.
        incidents = list(
            case.incidents.select_related("country")
            .prefetch_related(
                Prefetch(
                    "casualties",
                    queryset=Casualty.objects.select_related("nationality", "personnel"),
                )
            )
            .order_by("occurred_at", "pk")
        )
        investigations = list(case.investigations.order_by("opened_on", "pk"))
        shows_suspects = Case.objects.with_visible_suspects(user).filter(pk=case.pk).exists()
        suspects, follow_ups = [], []
        if shows_suspects:
            suspects = list(
                case.suspects.select_related("armed_group", "nationality")
                .prefetch_related(
                    Prefetch("steps", queryset=ProcedureStep.objects.order_by("occurred_on", "pk"))
                )
                .order_by("pk")
            )
            follow_ups = list(
                FollowUp.objects.visible_to(user).filter(case=case).order_by("sent_on", "pk")
            )
        support = list(case.capacity_support.order_by("provided_on", "pk"))
        impunity = case_in_impunity(case, as_of=today)

    people = []
    for incident in incidents:
        for casualty in incident.casualties.all():
            person = casualty.personnel
            people.append(
                {
                    "incident": incident.reference,
                    "category": casualty.get_category_display(),
                    "nationality": casualty.nationality.iso3 if casualty.nationality_id else "",
                    "outcome": casualty.get_outcome_display(),
                    "name": (
                        mask(f"{person.given_name} {person.family_name}", names_visible)
                        if person
                        else ""
                    ),
                }
            )
    for suspect in suspects:
        suspect.shown_name = mask(suspect.name, names_visible)
        suspect.shown_alias = mask(suspect.alias, names_visible) if suspect.alias else ""
    return {
        "case": case,
        "as_of": as_of,
        "today": today,
        "user_name": user.get_username(),
        "names_visible": names_visible,
        "impunity": impunity,
        "incidents": incidents,
        "people": people,
        "investigations": investigations,
        "shows_suspects": shows_suspects,
        "suspects": suspects,
        "follow_ups": follow_ups,
        "support": support,
        "days_since_attack": case.days_since_attack(today),
        "days_since_progress": case.days_since_last_progress(today),
    }


def render_case_file(case: Case, *, user, as_of: datetime | None = None) -> bytes:
    """The PDF of the case (WeasyPrint is imported here: it loads Pango on import)."""
    from weasyprint import HTML

    as_of = as_of or timezone.now()
    html = render_to_string(
        "exports/case_file.html", case_file_context(case, user=user, as_of=as_of)
    )
    return HTML(string=html, base_url=None).write_pdf()
