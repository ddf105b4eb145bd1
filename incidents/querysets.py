"""Reusable reads of the incidents app."""

from django.db import models
from django.db.models import Q

from incidents.choices import IncidentType, Outcome


class ArmedGroupQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The register of armed groups is shared by every signed-in user."""
        return self if user.is_authenticated and user.is_active else self.none()

    def search(self, text: str):
        return self.filter(Q(name__icontains=text) | Q(aliases__alias__icontains=text)).distinct()


class IncidentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Incidents in the user's scope (missions.scope); everything else is absent."""
        from missions.scope import incident_q

        return self.filter(incident_q(user))

    def malicious(self):
        return self.filter(incident_type=IncidentType.MALICIOUS_ACT)


class CasualtyQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Casualties of the incidents the user may see."""
        from incidents.models import Incident

        return self.filter(incident__in=Incident.objects.visible_to(user).values("pk"))

    def fatalities(self):
        return self.filter(outcome=Outcome.KILLED)
