"""Reusable reads of the incidents app."""

from django.db import models
from django.db.models import Q

from incidents.choices import IncidentType, Outcome


class ArmedGroupQuerySet(models.QuerySet):
    def search(self, text: str):
        return self.filter(Q(name__icontains=text) | Q(aliases__alias__icontains=text)).distinct()


class IncidentQuerySet(models.QuerySet):
    def malicious(self):
        return self.filter(incident_type=IncidentType.MALICIOUS_ACT)


class CasualtyQuerySet(models.QuerySet):
    def fatalities(self):
        return self.filter(outcome=Outcome.KILLED)
