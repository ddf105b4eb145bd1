"""What a role's dashboard shows: the liaison's desk.

Read-only selectors over `visible_to(user)`: a liaison's desk lists only what its
memberships reach (missions/scope.py), so a nationality or contributor liaison sees the
cases where its nationals or contingents were harmed, and a host State's liaison the
cases of its State and the communications it is to answer.
"""

from django.db.models import Count, F, Q

from accountability.choices import CaseStage
from accountability.models import Case, FollowUp
from missions.models import Country
from missions.scope import answering_state_ids, user_scope

DESK_ROWS = 10


def liaison_desk(user) -> dict:
    """The liaison's States, their cases by stage with the impunity cases among them, the
    impunity cases themselves, and the communications awaiting the State's answer."""
    scope = user_scope(user)
    cases = Case.objects.visible_to(user)
    impunity = Q(pk__in=Case.objects.impunity().values("pk"))
    # One query: per stage, the cases and the impunity cases.
    figures = {
        stage: (n, n_impunity)
        for stage, n, n_impunity in cases.order_by()
        .values_list("stage")
        .annotate(n=Count("pk"), n_impunity=Count("pk", filter=impunity))
    }
    answering = answering_state_ids(user)
    awaiting = (
        FollowUp.objects.visible_to(user)
        .filter(case__host_state_id__in=answering, response_received_on__isnull=True)
        # select_related: each line names its case.
        .select_related("case")
        .order_by(F("response_due").asc(nulls_last=True), "sent_on", "id")
    )
    awaiting_rows = list(awaiting[:DESK_ROWS])
    return {
        "liaison_states": list(
            Country.objects.filter(pk__in=[c for c, _b, _s in scope.liaisons]).order_by("name_en")
        ),
        "desk_by_stage": [
            (label, *figures.get(stage, (0, 0))) for stage, label in CaseStage.choices
        ],
        "desk_cases_total": sum(n for n, _i in figures.values()),
        "desk_impunity_total": sum(i for _n, i in figures.values()),
        "desk_impunity": list(
            cases.filter(impunity)
            .select_related("host_state")
            .order_by("attack_date", "id")[:DESK_ROWS]
        ),
        "desk_awaiting": awaiting_rows,
        "desk_awaiting_total": (
            len(awaiting_rows) if len(awaiting_rows) < DESK_ROWS else awaiting.count()
        ),
        "desk_answers": bool(answering),
    }
