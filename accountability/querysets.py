"""Reusable reads of the accountability app, the impunity rule above all."""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce

from accountability.choices import CaseStage, ProcedureStepKind
from missions.scope import capacity_support_q, case_q, suspect_case_q


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Cases in the user's scope (missions.scope); everything else is absent."""
        return self.filter(case_q(user))

    def with_visible_suspects(self, user):
        """Cases whose suspects the user may see (never mission staff)."""
        return self.filter(suspect_case_q(user))

    def impunity(self, *, as_of: date | None = None):
        """Cases where a peacekeeper was killed or injured, no conviction has been
        pronounced, and either no investigation was opened within
        IMPUNITY_NO_INVESTIGATION_DAYS of the attack or nothing has progressed for
        IMPUNITY_NO_PROGRESS_DAYS.

        "No investigation within N days" is read as of `as_of`: the attack is at least N
        days old and no investigation had been opened N days after it. A case opened by
        an import with status unknown counts as no investigation recorded.
        """
        as_of = as_of or date.today()
        no_investigation_days = settings.IMPUNITY_NO_INVESTIGATION_DAYS
        no_progress_days = settings.IMPUNITY_NO_PROGRESS_DAYS
        no_timely_investigation = Q(
            attack_date__lte=as_of - timedelta(days=no_investigation_days)
        ) & (
            Q(investigation_opened_on__isnull=True)
            | Q(
                investigation_opened_on__gt=models.F("attack_date")
                + timedelta(days=no_investigation_days)
            )
        )
        return (
            self.filter(Q(killed__gt=0) | Q(injured__gt=0), has_conviction=False)
            .alias(progress=Coalesce("last_progress_on", "attack_date"))
            .filter(
                no_timely_investigation | Q(progress__lte=as_of - timedelta(days=no_progress_days))
            )
        )

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
        return self.filter(
            status__in=[ProcedureStepKind.AT_LARGE, ProcedureStepKind.ESCAPED], in_custody=False
        )

    def detained_without_trial(self, *, days: int, as_of: date | None = None):
        as_of = as_of or date.today()
        pre_trial = [
            ProcedureStepKind.ARRESTED,
            ProcedureStepKind.DETAINED,
            ProcedureStepKind.CHARGED,
            ProcedureStepKind.COMMITTED_FOR_TRIAL,
        ]
        return self.filter(
            in_custody=True, status__in=pre_trial, custody_since__lte=as_of - timedelta(days=days)
        )


class FollowUpQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Follow-ups of cases in scope, for the roles that handle them."""
        from accountability.models import Case

        return self.filter(case__in=Case.objects.with_visible_suspects(user).values("pk"))

    def overdue(self, *, as_of: date | None = None):
        as_of = as_of or date.today()
        return self.filter(response_due__lt=as_of, response_received_on__isnull=True)


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
