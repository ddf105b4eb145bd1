"""Reusable reads of the missions app."""

from django.db import models

from missions.scope import membership_q, personnel_q


class CountryQuerySet(models.QuerySet):
    def hosts(self):
        """Countries that host or hosted at least one mission."""
        return self.filter(hosted_missions__isnull=False).distinct()

    def visible_to(self, user):
        """Reference data: every signed-in user may read it."""
        return self if user.is_authenticated and user.is_active else self.none()


class MissionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def operations(self):
        """Real operations, not aggregate codes."""
        return self.filter(is_aggregate=False)

    def visible_to(self, user):
        """Reference data: every signed-in user may read it."""
        return self if user.is_authenticated and user.is_active else self.none()


class PersonnelQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Peacekeepers in the user's scope (missions.scope.personnel_q)."""
        q = personnel_q(user)
        if q is None:
            return self
        # The policy's lookups go through assignments: one row per peacekeeper.
        return self.filter(pk__in=self.model.objects.filter(q).values("pk"))


class MembershipQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def visible_to(self, user):
        return self.filter(membership_q(user))
