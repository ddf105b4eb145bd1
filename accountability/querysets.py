"""Reusable reads of the accountability app, the impunity rule above all."""

from datetime import date, timedelta

from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce

from accountability.choices import CaseStage, ProcedureStepKind
from missions.scope import capacity_support_q, case_q, suspect_case_q

# A suspect held at one of these steps is detained without trial; at large at AT_LARGE.
PRE_TRIAL = frozenset(
    {
        ProcedureStepKind.ARRESTED,
        ProcedureStepKind.DETAINED,
        ProcedureStepKind.CHARGED,
        ProcedureStepKind.COMMITTED_FOR_TRIAL,
    }
)
AT_LARGE = frozenset({ProcedureStepKind.AT_LARGE, ProcedureStepKind.ESCAPED})


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Cases in the user's scope (missions.scope); everything else is absent."""
        return self.filter(case_q(user))

    def with_visible_suspects(self, user):
        """Cases whose suspects the user may see (never mission staff)."""
        return self.filter(suspect_case_q(user))

    def impunity(self, *, as_of: date | None = None):
        """The cases the impunity rule flags as of `as_of` (default today): see
        accountability/impunity.py, the rule's one home."""
        from accountability.impunity import impunity_cases

        return impunity_cases(self, as_of=as_of)

    def open(self):
        """Cases not yet closed by a verdict or a decision not to charge."""
        return self.exclude(stage__in=[CaseStage.VERDICT, CaseStage.CLOSED])

    def stalled(self, *, days: int, as_of: date | None = None):
        as_of = as_of or date.today()
        return self.alias(progress=Coalesce("last_progress_on", "attack_date")).filter(
            progress__lte=as_of - timedelta(days=days)
        )


class SuspectQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Suspects of cases whose suspects the user may see (never mission staff)."""
        from accountability.models import Case

        return self.filter(case__in=Case.objects.with_visible_suspects(user).values("pk"))

    def at_large(self):
        return self.filter(status__in=AT_LARGE, in_custody=False)

    def detained_without_trial(self, *, days: int, as_of: date | None = None):
        as_of = as_of or date.today()
        return self.filter(
            in_custody=True, status__in=PRE_TRIAL, custody_since__lte=as_of - timedelta(days=days)
        )


class FollowUpQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Follow-ups of cases in scope, for the roles that handle them."""
        from accountability.models import Case

        return self.filter(case__in=Case.objects.with_visible_suspects(user).values("pk"))

    def overdue(self, *, as_of: date | None = None):
        """Communications overdue on `as_of` (accountability/figures.py)."""
        from accountability.figures import overdue_q

        return self.filter(overdue_q(as_of or date.today()))


class CapacitySupportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Support in the user's scope (missions.scope.capacity_support_q); this
        queryset supplies the join to the cases the user sees."""
        cases = self.model._meta.get_field("cases")
        for_cases = cases.remote_field.through.objects.filter(
            case_id__in=cases.related_model.objects.visible_to(user).values("pk")
        )
        q = capacity_support_q(
            user, for_visible_case=Q(pk__in=for_cases.values("capacitysupport_id"))
        )
        return self.all() if q is None else self.filter(q)
