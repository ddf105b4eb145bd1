"""Reusable reads of the missions app."""

from django.db import models
from django.db.models import Q


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
        """Peacekeepers assigned to a mission in the user's scope (or harmed in one)."""
        from missions.choices import LiaisonBasis
        from missions.scope import SCOPED_ROLES, roles_q, user_scope

        scope = user_scope(user)
        if scope.is_anonymous:
            return self.none()
        if scope.is_admin:
            return self
        q = roles_q(
            scope,
            SCOPED_ROLES,
            mission="assignments__mission_id",
            country="assignments__mission__host_countries",
        )
        if q is None:
            return self
        for country_id, basis, _see in scope.liaisons:
            if basis == LiaisonBasis.NATIONALITY:
                q |= Q(nationality_id=country_id)
            elif basis == LiaisonBasis.CONTRIBUTOR:
                q |= Q(contributing_country_id=country_id)
            else:
                q |= Q(assignments__mission__host_countries=country_id)
        return self.filter(pk__in=self.model.objects.filter(q).values("pk"))


class MembershipQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def visible_to(self, user):
        from missions.scope import user_scope

        scope = user_scope(user)
        if scope.is_admin:
            return self
        return self.filter(user_id=scope.user_id) if scope.user_id else self.none()
