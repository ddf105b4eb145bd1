"""Reusable reads of the missions app."""

from django.db import models


class CountryQuerySet(models.QuerySet):
    def hosts(self):
        """Countries that host or hosted at least one mission."""
        return self.filter(hosted_missions__isnull=False).distinct()


class MissionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def operations(self):
        """Real operations, not aggregate codes."""
        return self.filter(is_aggregate=False)


class PersonnelQuerySet(models.QuerySet):
    pass


class MembershipQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)
