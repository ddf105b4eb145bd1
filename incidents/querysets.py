"""Reusable reads of the incidents app."""

from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from incidents.choices import IncidentType, Outcome
from missions.scope import incident_q


class ArmedGroupQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The register of armed groups is shared by every signed-in user."""
        return self if user.is_authenticated and user.is_active else self.none()

    def search(self, text: str):
        return self.filter(Q(name__icontains=text) | Q(aliases__alias__icontains=text)).distinct()


class IncidentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Incidents in the user's scope (missions.scope); everything else is absent."""
        return self.filter(incident_q(user))

    def malicious(self):
        return self.filter(incident_type=IncidentType.MALICIOUS_ACT)

    def with_casualty_counts(self):
        """`killed` and `injured` on each incident, as correlated subqueries.

        Not Count() over a join: a join makes PostgreSQL aggregate every matching incident
        before it can sort and cut a page (0.5 s for a 50-row page of 100,000 incidents),
        and a filter that joins casualties or perpetrators would multiply the counts. A
        subquery per row reads the index on casualty.incident_id for the page's rows only.
        """
        return self.annotate(
            killed=_casualty_count(Outcome.KILLED), injured=_casualty_count(Outcome.INJURED)
        )

    def as_list_rows(self):
        """Incidents as the rows of includes/incident_table.html (the list, the dashboard):
        every column a row shows, in a fixed number of queries, most recent first."""
        from incidents.models import ArmedGroup

        return (
            # Mission, country and case are shown on each row: joined, not fetched per row.
            self.select_related("mission", "country", "case_link__case")
            # The perpetrators' names of the whole page in one query.
            .prefetch_related(
                models.Prefetch("perpetrators", queryset=ArmedGroup.objects.only("id", "name"))
            )
            .with_casualty_counts()
            .order_by("-occurred_at", "-id")
        )


def _casualty_count(outcome: str):
    from incidents.models import Casualty

    counted = (
        Casualty.objects.filter(incident_id=OuterRef("pk"), outcome=outcome)
        .order_by()
        .values("incident_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


class CasualtyQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Casualties of the incidents the user may see."""
        from incidents.models import Incident

        return self.filter(incident__in=Incident.objects.visible_to(user).values("pk"))

    def fatalities(self):
        return self.filter(outcome=Outcome.KILLED)
