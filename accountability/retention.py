"""What the retention of personal data (peacekeeping/retention.py) erases here.

- suspects whose matter ended (final judgment, acquittal, death: the procedure's
  ENDED_STEP_KINDS) before the cut-off, and the suspects of a case closed without charge
  with no progress since: their name becomes `[anonymised #<id>]`, the alias is cleared;
- casualties' free-text notes of incidents before the cut-off outside any open case.

Registered when Django starts (accountability/apps.py).
"""

from datetime import date

from django.db.models import Q
from django.db.models.functions import Coalesce

from accountability.choices import CaseStage
from accountability.models import Case, Suspect
from accountability.procedure import ENDED_STEP_KINDS
from incidents.models import Casualty
from peacekeeping.retention import ANONYMISED_PREFIX, RetentionRule


def suspects_due(cutoff: date):
    closed_case = Q(case__stage=CaseStage.CLOSED) & Q(
        pk__in=Suspect.objects.alias(
            progress=Coalesce("case__last_progress_on", "case__attack_date")
        )
        .filter(progress__lt=cutoff)
        .values("pk")
    )
    # A suspect's status is their last procedure step.
    ended = Q(status__in=ENDED_STEP_KINDS, status_since__lt=cutoff)
    return Suspect.objects.filter(ended | closed_case).exclude(name__startswith=ANONYMISED_PREFIX)


def suspects_anonymise(pks: list[int]) -> None:
    for pk in pks:
        # One UPDATE per row: each name is distinct, and the history trigger sees each.
        Suspect.objects.filter(pk=pk).update(name=f"{ANONYMISED_PREFIX} #{pk}]", alias="")


def casualty_notes_due(cutoff: date):
    open_incidents = Case.objects.open().values("case_incidents__incident_id")
    return (
        Casualty.objects.filter(incident__occurred_at__date__lt=cutoff)
        .exclude(notes="")
        .exclude(incident_id__in=open_incidents)
    )


def casualty_notes_clear(pks: list[int]) -> None:
    Casualty.objects.filter(pk__in=pks).update(notes="")


RULES = (
    RetentionRule("suspects_anonymised", due=suspects_due, erase=suspects_anonymise),
    RetentionRule("casualty_notes_cleared", due=casualty_notes_due, erase=casualty_notes_clear),
)
