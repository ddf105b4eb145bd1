"""Writes of the missions app: reference data, missions, memberships.

Every service checks what it is asked, refuses a bad change with a DomainError whose
message says what is wrong, and appends to the audit trail in the same transaction.
"""

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from missions.choices import LiaisonBasis, Role, SavedList
from missions.importers import (
    COUNTRIES_JSON,
    MISSION_FIELDS,
    MISSIONS_JSON,
    read_reference_json,
    reference_countries_sync,
    reference_missions_sync,
)
from missions.models import Country, Membership, Mission, SavedSearch
from missions.scope import users_of_same_reach
from peacekeeping.audit import audit_record, model_changes
from peacekeeping.errors import DomainError, OutOfScope

# Roles that may be granted every mission and State at once (see Membership).
ALL_SCOPE_ROLES = frozenset({Role.ADMINISTRATOR, Role.ANALYST})

_MEMBERSHIP_AUDIT_FIELDS = [
    "user_id",
    "role",
    "mission_id",
    "country_id",
    "liaison_basis",
    "all_scope",
    "can_see_names",
    "is_focal_point",
]


# --- Reference data --------------------------------------------------------------------


@transaction.atomic
def reference_data_load(
    *,
    countries_path: Path | str | None = None,
    missions_path: Path | str | None = None,
    actor=None,
) -> dict[str, dict[str, int]]:
    """Create or update every country, then every mission, from the shipped JSON files.

    Safe to run again: what already matches is counted as unchanged and not written.
    One audit entry per file that changed something, with the counts.
    """
    result: dict[str, dict[str, int]] = {}
    countries_path = Path(countries_path or COUNTRIES_JSON)
    missions_path = Path(missions_path or MISSIONS_JSON)
    try:
        result["countries"] = reference_countries_sync(Country, read_reference_json(countries_path))
        result["missions"] = reference_missions_sync(
            Mission, Country, read_reference_json(missions_path)
        )
    except (ValueError, KeyError) as exc:
        raise DomainError(
            _("Reference data could not be loaded: %(error)s") % {"error": exc}
        ) from exc
    for kind, path, model in (
        ("countries", countries_path, Country),
        ("missions", missions_path, Mission),
    ):
        counts = result[kind]
        if counts["created"] or counts["updated"]:
            audit_record(
                actor=actor,
                action="reference_data.load",
                object_type=model._meta.label_lower,
                changes={"file": path.name, **counts},
            )
    return result


# --- Missions --------------------------------------------------------------------------


@transaction.atomic
def mission_upsert_from_row(
    *,
    actor,
    acronym: str,
    values: Mapping[str, Any],
    host_iso3: Iterable[str] | None = None,
    component_acronyms: Iterable[str] | None = None,
) -> tuple[Mission, str]:
    """Create the mission `acronym` or bring it in line with one row of a list.

    `values` holds the Mission fields the row carries (others are left as they are).
    `host_iso3`, when given, becomes exactly the mission's host countries;
    `component_acronyms`, when given, exactly its components. Returns the mission and
    "created", "updated" or "unchanged"; audits a creation or an update.
    """
    unknown_fields = set(values) - set(MISSION_FIELDS)
    if unknown_fields:
        raise DomainError(
            _("Missions have no field %(fields)s.") % {"fields": ", ".join(sorted(unknown_fields))}
        )
    mission = Mission.objects.filter(acronym=acronym).first()
    created = mission is None
    fields = sorted(values)
    before = None if created else {name: getattr(mission, name) for name in fields}
    if created:
        mission = Mission(acronym=acronym)
    for name, value in values.items():
        setattr(mission, name, value)
    try:
        mission.full_clean(exclude=["acronym"] if not created else None)
    except ValidationError as exc:
        raise DomainError(
            _("Mission %(mission)s: %(errors)s") % {"mission": acronym, "errors": _messages(exc)}
        ) from exc
    changes = model_changes(mission, fields, before)
    if created or changes:
        mission.save()

    if host_iso3 is not None:
        codes = sorted({code.strip().upper() for code in host_iso3 if code.strip()})
        countries = list(Country.objects.filter(iso3__in=codes))
        unknown = sorted(set(codes) - {country.iso3 for country in countries})
        if unknown:
            raise DomainError(
                ngettext(
                    "Mission %(mission)s: unknown host country code %(codes)s.",
                    "Mission %(mission)s: unknown host country codes %(codes)s.",
                    len(unknown),
                )
                % {"mission": acronym, "codes": ", ".join(unknown)},
                field="host_countries",
            )
        had = [] if created else sorted(mission.host_countries.values_list("iso3", flat=True))
        if had != codes:
            mission.host_countries.set(countries)
            changes["host_countries"] = [had or None, codes]

    if component_acronyms is not None:
        wanted = sorted(set(component_acronyms) - {acronym})
        components = list(Mission.objects.filter(acronym__in=wanted))
        missing = sorted(set(wanted) - {component.acronym for component in components})
        if missing:
            raise DomainError(
                ngettext(
                    "Mission %(mission)s: unknown component mission %(missions)s.",
                    "Mission %(mission)s: unknown component missions %(missions)s.",
                    len(missing),
                )
                % {"mission": acronym, "missions": ", ".join(missing)},
                field="components",
            )
        had = [] if created else sorted(mission.components.values_list("acronym", flat=True))
        if had != wanted:
            mission.components.set(components)
            changes["components"] = [had or None, wanted]

    outcome = "created" if created else ("updated" if changes else "unchanged")
    if outcome != "unchanged":
        audit_record(
            actor=actor,
            action="mission.create" if created else "mission.update",
            obj=mission,
            changes=changes,
        )
    return mission, outcome


def _messages(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in exc.message_dict.items()
        )
    return " ".join(exc.messages)


# --- Memberships -----------------------------------------------------------------------


@transaction.atomic
def membership_grant(
    *,
    actor,
    user,
    role: str,
    mission: Mission | None = None,
    country: Country | None = None,
    liaison_basis: str = "",
    all_scope: bool = False,
    can_see_names: bool = False,
    is_focal_point: bool = False,
) -> Membership:
    """Give `user` a role over one mission, one State, or (administrators, analysts) all."""
    if role not in Role.values:
        raise DomainError(_("Unknown role %(role)r.") % {"role": role}, field="role")
    role_label = Role(role).label
    scopes = sum([mission is not None, country is not None, bool(all_scope)])
    if scopes != 1:
        raise DomainError(
            _("Choose exactly one scope: a mission, a State, or everything."),
            code="scope",
            field="mission",
        )
    if all_scope and role not in ALL_SCOPE_ROLES:
        raise DomainError(
            _("Only administrators and analysts may be granted everything, not a %(role)s.")
            % {"role": role_label},
            code="scope",
            field="all_scope",
        )
    if role == Role.LIAISON:
        if country is None:
            raise DomainError(
                _("A liaison works for a State: choose the country."),
                code="scope",
                field="country",
            )
        if liaison_basis not in LiaisonBasis.values:
            raise DomainError(
                _("Say why the State may follow cases: host State, contributor or nationality."),
                field="liaison_basis",
            )
    elif liaison_basis:
        raise DomainError(_("Only a liaison has a liaison basis."), field="liaison_basis")
    if role == Role.MISSION_STAFF and mission is None:
        raise DomainError(
            _("Mission staff work for a mission: choose the mission."),
            code="scope",
            field="mission",
        )
    if is_focal_point and mission is None:
        raise DomainError(
            _("A focal point is the focal point of a mission: choose the mission."),
            field="is_focal_point",
        )
    if Membership.objects.filter(user=user, role=role, mission=mission, country=country).exists():
        scope = mission or country or _("everything")
        raise DomainError(
            _("%(user)s already has the role %(role)s for %(scope)s.")
            % {"user": user, "role": role_label, "scope": scope},
            code="duplicate",
        )
    membership = Membership.objects.create(
        user=user,
        role=role,
        mission=mission,
        country=country,
        liaison_basis=liaison_basis,
        all_scope=all_scope,
        can_see_names=can_see_names,
        is_focal_point=is_focal_point,
    )
    audit_record(
        actor=actor,
        action="membership.grant",
        obj=membership,
        changes=model_changes(membership, _MEMBERSHIP_AUDIT_FIELDS, None),
    )
    return membership


@transaction.atomic
def membership_revoke(*, actor, membership: Membership) -> None:
    """Take a role away. The audit entry keeps what the membership was."""
    current = Membership.objects.select_for_update().filter(pk=membership.pk).first()
    if current is None:
        raise DomainError(_("This membership has already been revoked."), code="not_found")
    # Recorded before the row goes, so the entry still knows its primary key.
    audit_record(
        actor=actor,
        action="membership.revoke",
        obj=current,
        changes={
            name: [after, None]
            for name, (_, after) in model_changes(current, _MEMBERSHIP_AUDIT_FIELDS, None).items()
        },
    )
    current.delete()


# --- Saved searches ----------------------------------------------------------------------

_QUERY_MAX = SavedSearch._meta.get_field("query").max_length
_NAME_MAX = SavedSearch._meta.get_field("name").max_length


def _owned(actor, search: SavedSearch) -> SavedSearch:
    """The search, locked; only its owner changes it (another user is told it is absent)."""
    current = SavedSearch.objects.select_for_update().filter(pk=search.pk).first()
    if current is None or current.owner_id != getattr(actor, "pk", None):
        raise DomainError(_("This saved search does not exist."), code="not_found")
    return current


@transaction.atomic
def saved_search_save(*, actor, list_name: str, name: str, query: str) -> SavedSearch:
    """Save a list's query string (filters, sort, page size) under a name of the user's.
    The same name on the same list replaces the query saved before."""
    name = " ".join(name.split())
    if list_name not in SavedList.values:
        raise DomainError(_("There is no such list."), field="list_name")
    if not name:
        raise DomainError(_("Give the search a name."), field="name")
    if len(name) > _NAME_MAX:
        raise DomainError(
            _("A name has at most %(max)s characters.") % {"max": _NAME_MAX}, field="name"
        )
    query = query.lstrip("?")
    if len(query) > _QUERY_MAX:
        raise DomainError(_("These filters are too long to save."), field="query")
    search = (
        SavedSearch.objects.select_for_update()
        .filter(owner=actor, list_name=list_name, name=name)
        .first()
    )
    before = search.query if search else None
    if search is None:
        search = SavedSearch.objects.create(
            owner=actor, list_name=list_name, name=name, query=query
        )
    else:
        search.query = query
        search.save(update_fields=["query"])
    audit_record(
        actor=actor,
        action="saved_search.save",
        obj=search,
        changes={"list_name": [None, list_name], "name": [None, name], "query": [before, query]},
    )
    return search


@transaction.atomic
def saved_search_delete(*, actor, search: SavedSearch) -> None:
    """Delete one of the user's saved searches (and its shares)."""
    current = _owned(actor, search)
    audit_record(
        actor=actor,
        action="saved_search.delete",
        obj=current,
        changes={"name": [current.name, None], "query": [current.query, None]},
    )
    current.delete()


@transaction.atomic
def saved_search_share(*, actor, search: SavedSearch, users: Iterable) -> SavedSearch:
    """Share the search with exactly these users (an empty list stops sharing). Each must
    reach the same missions and States as the owner (missions.scope.users_of_same_reach):
    the search runs in the receiver's scope anyway, but a name and filters of another
    mission's work are not shown to someone outside it."""
    current = _owned(actor, search)
    allowed = {u.pk: u for u in users_of_same_reach(actor)}
    wanted = list({u.pk: u for u in users}.values())
    refused = [str(u) for u in wanted if u.pk not in allowed]
    if refused:
        raise OutOfScope(
            _("%(users)s cannot see the same missions and States as you.")
            % {"users": ", ".join(refused)},
            field="users",
        )
    before = sorted(current.shared_with.values_list("username", flat=True))
    current.shared_with.set([u.pk for u in wanted])
    after = sorted(u.get_username() for u in wanted)
    audit_record(
        actor=actor,
        action="saved_search.share",
        obj=current,
        changes={"shared_with": [before, after]},
    )
    return current
