"""Masking: who reads people's names (one rule for every output).

Victims' and suspects' names, and the service numbers that identify peacekeepers as
surely as their names, are shown to a user only where this rule says so. Every output
asks it: the pages and the case file (`sees_names`, `mask`), the API's serializers, the
exports, search and ordering (`names_visible_q`, `masked`, `name_sort_key`, the SQL form
of the same rule), so no output can show, find or sort by what another one hides. Whose
scope it is comes from missions/scope.py.
"""

from __future__ import annotations

from django.db.models import Case, CharField, F, Q, Value, When

from missions.scope import NOTHING, names_scope

MASK = "███"


def names_visible_q(user, *, mission: str, country: str) -> Q:
    """`sees_names` as a Q: the rows whose people's names `user` may read.

    `mission` and `country` are the lookups of the row's mission id and host-State id.
    Search and exports use it, so a masked name is never found, sorted or written.
    """
    names = names_scope(user)
    if names.everything:
        return Q()
    q = NOTHING
    if names.missions:
        q |= Q(**{f"{mission}__in": names.missions})
    if names.countries:
        q |= Q(**{f"{country}__in": names.countries})
    return q


def personnel_names_visible_q(user) -> Q:
    """Q over Personnel: the peacekeepers whose names (and service numbers) `user` may
    read, i.e. assigned to a mission where `sees_names` holds."""
    from missions.models import Assignment

    names = names_scope(user)
    if names.everything:
        return Q()
    visible = names_visible_q(user, mission="mission_id", country="mission__host_countries__id")
    if visible == NOTHING:
        return NOTHING
    return Q(pk__in=Assignment.objects.filter(visible).values("personnel_id"))


def mask(value: str, visible: bool) -> str:
    return value if visible else MASK


def masked(path: str, visible: Q, present: Q | None = None):
    """SQL: the value at `path` where `visible`, the mask elsewhere, "" where `present` is
    false (no one to name). A masked value never leaves the database."""
    present = Q() if present is None else present
    return Case(
        When(_condition(present & visible), then=F(path)),
        When(_condition(present), then=Value(MASK)),
        default=Value(""),
        output_field=CharField(),
    )


def name_sort_key(path: str, visible):
    """SQL: the value at `path` to order by where names are visible, "" where they are not,
    so masked rows sort together (then by id) and their order betrays no name."""
    return Case(
        When(_condition(visible), then=F(path)), default=Value(""), output_field=CharField()
    )


def _condition(q: Q) -> Q:
    # Q() (everything) cannot be a When() condition: say "every row" explicitly.
    return q if q else Q(pk__isnull=False)
