"""Who may see and change what: one place that reads a user's memberships.

Every page, API endpoint, filter, export, report and download starts from a model's
`visible_to(user)`, which asks this module for the Q object of the user's scope. Objects
outside it are simply absent, so a detail view answers 404 and a list never leaks them.

Policy (docs/users/roles-and-access.md):
- Administrator (superuser or administrator membership): everything.
- Mission staff: incidents and casualties of their missions (read and write); their
  missions' cases (stage only, never suspects).
- Legal officer: cases, incidents and suspects of their missions or host States (write).
- Analyst: read within their missions or States, or everything when granted.
- Liaison of a State: read-only, cases on its territory (host State) or concerning its
  nationals (nationality) or its contingents (contributor).
Names of victims and suspects are masked for analysts and liaisons unless granted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db import connections, router
from django.db.models import Exists, OuterRef, Q

from missions.choices import LiaisonBasis, Role

NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class RoleScope:
    everything: bool = False
    missions: frozenset[int] = frozenset()
    countries: frozenset[int] = frozenset()
    see_names: bool = False

    def __bool__(self) -> bool:
        return self.everything or bool(self.missions) or bool(self.countries)


@dataclass(frozen=True)
class Scope:
    """A user's memberships, folded by role."""

    user_id: int | None
    is_admin: bool = False
    roles: dict[str, RoleScope] = field(default_factory=dict)
    # (country id, basis, may see names) for each liaison membership.
    liaisons: tuple[tuple[int, str, bool], ...] = ()

    def role(self, role: str) -> RoleScope:
        return self.roles.get(role, RoleScope())

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None

    def has_role(self, role: str) -> bool:
        return (
            self.is_admin or bool(self.role(role)) or (role == Role.LIAISON and bool(self.liaisons))
        )


def user_scope(user) -> Scope:
    """The user's scope, computed once per request (cached on the user object)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope(user_id=None)
    cached = getattr(user, "_peacekeeping_scope", None)
    if cached is not None:
        return cached
    roles: dict[str, dict] = {}
    liaisons: list[tuple[int, str, bool]] = []
    is_admin = bool(user.is_superuser)
    for m in _memberships(user.pk):
        if m["role"] == Role.ADMINISTRATOR:
            is_admin = True
            continue
        if m["role"] == Role.LIAISON:
            liaisons.append(
                (m["country_id"], m["liaison_basis"] or "host_state", m["can_see_names"])
            )
            continue
        r = roles.setdefault(
            m["role"], {"everything": False, "missions": set(), "countries": set(), "see": False}
        )
        r["everything"] |= m["all_scope"]
        r["see"] |= m["can_see_names"]
        if m["mission_id"]:
            r["missions"].add(m["mission_id"])
        if m["country_id"]:
            r["countries"].add(m["country_id"])
    scope = Scope(
        user_id=user.pk,
        is_admin=is_admin,
        roles={
            name: RoleScope(
                everything=r["everything"],
                missions=frozenset(r["missions"]),
                countries=frozenset(r["countries"]),
                see_names=r["see"],
            )
            for name, r in roles.items()
        },
        liaisons=tuple(liaisons),
    )
    user._peacekeeping_scope = scope
    return scope


_MEMBERSHIP = ("role", "mission_id", "country_id", "all_scope", "can_see_names", "liaison_basis")


def _memberships(user_id: int) -> list[dict]:
    """The user's memberships, by plain SQL: every page reads them, and the ORM spent
    ~0.7 ms of CPU building this one-table query, the cursor ~0.06 ms."""
    model = apps.get_model("missions", "Membership")
    connection = connections[router.db_for_read(model)]
    table = connection.ops.quote_name(model._meta.db_table)
    sql = f"SELECT {', '.join(_MEMBERSHIP)} FROM {table} WHERE user_id = %s"
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} ORDER BY role, id", [user_id])
        return [dict(zip(_MEMBERSHIP, row, strict=True)) for row in cursor.fetchall()]


# --- Q objects, one per model family --------------------------------------------------


# The roles scoped by missions and States (liaisons are scoped by their State's basis).
SCOPED_ROLES = (Role.MISSION_STAFF, Role.LEGAL_OFFICER, Role.ANALYST)


def roles_q(scope: Scope, roles: tuple[str, ...], *, mission: str, country: str) -> Q | None:
    """OR of the role scopes, over the lookups `mission` and `country` of the row's mission
    id and country id; None means everything."""
    q = NOTHING
    for role in roles:
        rs = scope.role(role)
        if rs.everything:
            return None
        if rs.missions:
            q |= Q(**{f"{mission}__in": rs.missions})
        if rs.countries:
            q |= Q(**{f"{country}__in": rs.countries})
    return q


def _harmed_column(basis: str) -> str:
    """The Casualty column a nationality or contributor liaison follows."""
    if basis == LiaisonBasis.NATIONALITY:
        return "nationality_id"
    return "personnel__contributing_country_id"


def _liaison_incident_q(scope: Scope) -> Q:
    """Incidents a liaison may see: on its territory, or harming its nationals/contingents."""
    Casualty = apps.get_model("incidents", "Casualty")
    q = NOTHING
    for country_id, basis, _see in scope.liaisons:
        if basis == LiaisonBasis.HOST_STATE:
            q |= Q(country_id=country_id)
        else:
            harmed = Casualty.objects.filter(
                incident_id=OuterRef("pk"), **{_harmed_column(basis): country_id}
            )
            q |= Q(Exists(harmed))
    return q


def incident_q(user) -> Q:
    scope = user_scope(user)
    if scope.is_anonymous:
        return NOTHING
    if scope.is_admin:
        return Q()
    q = roles_q(scope, SCOPED_ROLES, mission="mission_id", country="country_id")
    if q is None:
        return Q()
    return q | _liaison_incident_q(scope)


def case_q(user, *, roles: tuple[str, ...] = (*SCOPED_ROLES, Role.LIAISON)) -> Q:
    scope = user_scope(user)
    if scope.is_anonymous:
        return NOTHING
    if scope.is_admin:
        return Q()
    q = roles_q(scope, roles, mission="mission_id", country="host_state_id")
    if q is None:
        return Q()
    if Role.LIAISON in roles:
        Casualty = apps.get_model("incidents", "Casualty")
        CaseIncident = apps.get_model("accountability", "CaseIncident")
        for country_id, basis, _see in scope.liaisons:
            if basis == LiaisonBasis.HOST_STATE:
                q |= Q(host_state_id=country_id)
                continue
            harmed = Casualty.objects.filter(**{_harmed_column(basis): country_id})
            q |= Q(
                Exists(
                    CaseIncident.objects.filter(
                        case_id=OuterRef("pk"), incident_id__in=harmed.values("incident_id")
                    )
                )
            )
    return q


# Suspects' identities and procedures: never mission staff.
SUSPECT_ROLES = (Role.LEGAL_OFFICER, Role.ANALYST, Role.LIAISON)


def suspect_case_q(user) -> Q:
    """Q over Case for cases whose suspects the user may see."""
    return case_q(user, roles=SUSPECT_ROLES)


def managed_case_q(user) -> Q:
    """Q over Case for the cases whose procedure the user may record (legal officers)."""
    return case_q(user, roles=(Role.LEGAL_OFFICER,))


def personnel_q(user) -> Q | None:
    """Q over Personnel: peacekeepers assigned to a mission in the user's scope, or, for a
    liaison, of its nationality or contingents or deployed on its territory; None means
    every one. The lookups may repeat rows (assignments): filter by `pk__in`."""
    scope = user_scope(user)
    if scope.is_anonymous:
        return NOTHING
    if scope.is_admin:
        return None
    q = roles_q(
        scope,
        SCOPED_ROLES,
        mission="assignments__mission_id",
        country="assignments__mission__host_countries",
    )
    if q is None:
        return None
    for country_id, basis, _see in scope.liaisons:
        if basis == LiaisonBasis.NATIONALITY:
            q |= Q(nationality_id=country_id)
        elif basis == LiaisonBasis.CONTRIBUTOR:
            q |= Q(contributing_country_id=country_id)
        else:
            q |= Q(assignments__mission__host_countries=country_id)
    return q


def membership_q(user) -> Q:
    """Q over Membership: administrators see every grant, anyone else their own."""
    scope = user_scope(user)
    if scope.is_admin:
        return Q()
    return Q(user_id=scope.user_id) if scope.user_id else NOTHING


def _hosts_of(mission_ids) -> Q:
    """Q over Country ids hosting one of the missions (a subquery, not a list)."""
    through = apps.get_model("missions", "Mission").host_countries.through
    return Q(
        host_state_id__in=through.objects.filter(mission_id__in=mission_ids).values("country_id")
    )


def capacity_support_q(user, *, for_visible_case: Q) -> Q | None:
    """Q over CapacitySupport: support of the user's missions or States (a liaison's
    country as host State), to the host States of its missions, or for a case it sees
    (`for_visible_case`, the join the queryset supplies). None means all of it."""
    scope = user_scope(user)
    if scope.is_anonymous:
        return NOTHING
    if scope.is_admin or any(scope.role(r).everything for r in scope.roles):
        return None
    missions: set[int] = set()
    countries: set[int] = set()
    for role in SCOPED_ROLES:
        missions |= scope.role(role).missions
        countries |= scope.role(role).countries
    countries |= {c for c, basis, _see in scope.liaisons if basis == LiaisonBasis.HOST_STATE}
    return (
        Q(mission_id__in=missions)
        | Q(host_state_id__in=countries)
        | _hosts_of(missions)
        | for_visible_case
    )


def export_job_q(user) -> Q:
    """Q over ExportJob: a user's own exports (read in their scope, with their masking);
    administrators all; users who may not export none."""
    scope = user_scope(user)
    if scope.is_anonymous or not can_export(user):
        return NOTHING
    if scope.is_admin:
        return Q()
    return Q(user_id=scope.user_id)


def report_state_ids(
    user, *, roles: tuple[str, ...] = (Role.LEGAL_OFFICER, Role.ANALYST)
) -> frozenset[int] | None:
    """Host States whose follow-up reports the user may see; None means every State.

    A legal officer or analyst scoped to a State sees its reports; scoped to a mission,
    the reports of the States hosting that mission.
    """
    scope = user_scope(user)
    if scope.is_anonymous:
        return frozenset()
    if scope.is_admin:
        return None
    countries: set[int] = set()
    missions: set[int] = set()
    for role in roles:
        rs = scope.role(role)
        if rs.everything:
            return None
        countries |= rs.countries
        missions |= rs.missions
    if missions:
        through = apps.get_model("missions", "Mission").host_countries.through
        countries |= set(
            through.objects.filter(mission_id__in=missions).values_list("country_id", flat=True)
        )
    return frozenset(countries)


def report_mission_ids(
    user, *, roles: tuple[str, ...] = (Role.LEGAL_OFFICER, Role.ANALYST)
) -> frozenset[int]:
    """Missions in the user's legal-officer or analyst scope (by mission, or by a State
    that hosts them): their lists of cases whose host State is undetermined."""
    scope = user_scope(user)
    missions = {m for role in roles for m in scope.role(role).missions}
    if countries := {c for role in roles for c in scope.role(role).countries}:
        through = apps.get_model("missions", "Mission").host_countries.through
        missions |= set(
            through.objects.filter(country_id__in=countries).values_list("mission_id", flat=True)
        )
    return frozenset(missions)


def followup_report_q(user) -> Q | None:
    """Q over FollowUpReport: the reports of the States in the user's legal-officer or
    analyst scope, the undetermined lists of the missions in it, and the finished reports
    addressed to the State whose host-State liaison the user is. None means every one."""
    states = report_state_ids(user)
    if states is None:
        return None
    q = Q(host_state_id__in=states) | Q(
        host_state__isnull=True, mission_id__in=report_mission_ids(user)
    )
    if received := answering_state_ids(user):
        q |= Q(host_state_id__in=received, status="done")
    return q


# --- Capabilities ---------------------------------------------------------------------


def _responsible_for_state(scope: Scope, role: str, state_id, mission_id=None) -> bool:
    """The role covers the State: everything, the State itself, or a mission it hosts;
    with no State (a list of cases whose host State is undetermined), the mission."""
    rs = scope.role(role)
    if rs.everything or (state_id is not None and state_id in rs.countries):
        return True
    if state_id is None or not rs.missions:
        return state_id is None and mission_id in rs.missions
    through = apps.get_model("missions", "Mission").host_countries.through
    return through.objects.filter(mission_id__in=rs.missions, country_id=state_id).exists()


def can_request_followup_report(user, host_state, *, mission=None) -> bool:
    """Administrators, and legal officers of the State or of a mission it hosts (of the
    mission, for its list of cases whose host State is to be determined). They also keep
    the State's addressee block."""
    scope = user_scope(user)
    if scope.is_anonymous:
        return False
    state_id = host_state.pk if host_state is not None else None
    mission_id = mission.pk if mission is not None else None
    return scope.is_admin or _responsible_for_state(scope, Role.LEGAL_OFFICER, state_id, mission_id)


def can_acknowledge_followup_report(user, report) -> bool:
    """A finished report is addressed to its host State: that State's liaison receives it
    (files included) and acknowledges its receipt."""
    return report.status == "done" and report.host_state_id in answering_state_ids(user)


def can_download_followup_report(user, report) -> bool:
    """The files name suspects: administrators, the State's legal officers, its liaison
    once the report is finished, and its analysts who see names. Others in scope see the
    report's status, not its files."""
    scope = user_scope(user)
    if scope.is_anonymous:
        return False
    state_id, mission_id = report.host_state_id, report.mission_id
    if scope.is_admin or _responsible_for_state(scope, Role.LEGAL_OFFICER, state_id, mission_id):
        return True
    if can_acknowledge_followup_report(user, report):
        return True
    return _responsible_for_state(scope, Role.ANALYST, state_id, mission_id) and sees_names(
        user, mission_id=mission_id, country_id=state_id
    )


def can_record_capacity_support(user) -> bool:
    """Administrators and legal officers record support (then: for which State)."""
    scope = user_scope(user)
    return scope.is_admin or scope.has_role(Role.LEGAL_OFFICER)


def may_support(user, *, host_state_id: int, mission_id: int | None) -> bool:
    """Legal officers record support for their missions' or States' institutions: the
    State is theirs, or the mission is, or (no mission named) one of their missions is
    deployed in the State."""
    scope = user_scope(user)
    if scope.is_admin:
        return True
    legal = scope.role(Role.LEGAL_OFFICER)
    if legal.everything or host_state_id in legal.countries:
        return True
    if mission_id is not None:
        return mission_id in legal.missions
    return _responsible_for_state(scope, Role.LEGAL_OFFICER, host_state_id)


def can_record_incident(user, mission) -> bool:
    scope = user_scope(user)
    if scope.is_admin:
        return True
    rs = scope.role(Role.MISSION_STAFF)
    return rs.everything or mission.pk in rs.missions


def recordable_mission_ids(user) -> frozenset[int] | None:
    """Missions the user may log incidents for; None means every mission."""
    scope = user_scope(user)
    if scope.is_admin or scope.role(Role.MISSION_STAFF).everything:
        return None
    return scope.role(Role.MISSION_STAFF).missions


def can_manage_case(user, case) -> bool:
    scope = user_scope(user)
    if scope.is_admin:
        return True
    rs = scope.role(Role.LEGAL_OFFICER)
    return rs.everything or case.mission_id in rs.missions or case.host_state_id in rs.countries


def answering_state_ids(user) -> frozenset[int]:
    """The host States whose liaison the user is: it answers, for its State, the UN's
    communications about the cases on its territory (nationality and contributor liaisons
    read, they do not answer for the host State)."""
    scope = user_scope(user)
    return frozenset(
        country_id for country_id, basis, _see in scope.liaisons if basis == LiaisonBasis.HOST_STATE
    )


def can_answer_followup(user, case) -> bool:
    """Whether the user answers the UN's communications about this case for its State."""
    return case.host_state_id is not None and case.host_state_id in answering_state_ids(user)


def can_see_suspects(user) -> bool:
    scope = user_scope(user)
    return scope.is_admin or any(scope.has_role(r) for r in SUSPECT_ROLES)


def can_export(user) -> bool:
    scope = user_scope(user)
    return scope.is_admin or scope.has_role(Role.ANALYST) or scope.has_role(Role.LEGAL_OFFICER)


# --- Reach: whose scope is the same (saved searches are shared by it) -----------------

EVERYTHING = "everything"


def _reach(is_superuser: bool, memberships) -> tuple:
    """Everything, or the missions, States and liaison bases of these memberships,
    whatever the role: what the user's lists can reach."""
    if is_superuser:
        return (EVERYTHING,)
    missions, countries, liaisons = set(), set(), set()
    for m in memberships:
        if m["role"] == Role.ADMINISTRATOR or m["all_scope"]:
            return (EVERYTHING,)
        if m["role"] == Role.LIAISON:
            liaisons.add((m["country_id"], m["liaison_basis"] or LiaisonBasis.HOST_STATE))
        elif m["mission_id"]:
            missions.add(m["mission_id"])
        elif m["country_id"]:
            countries.add(m["country_id"])
    return (frozenset(missions), frozenset(countries), frozenset(liaisons))


_REACH_FIELDS = ("user_id", "role", "mission_id", "country_id", "all_scope", "liaison_basis")


def users_of_same_reach(user) -> list:
    """The other active users whose memberships reach exactly the missions and States the
    user's reach (or, like the user, everything): those a saved search may be shared
    with. Two queries whatever the number of users."""
    if not getattr(user, "is_authenticated", False):
        return []
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    Membership = apps.get_model("missions", "Membership")
    rows: dict[int, list] = {}
    for m in Membership.objects.filter(user__is_active=True).values(*_REACH_FIELDS):
        rows.setdefault(m["user_id"], []).append(m)
    mine = _reach(user.is_superuser, rows.get(user.pk, []))
    if mine != (EVERYTHING,) and not any(mine):
        return []  # no membership: no scope to share
    candidates = User.objects.filter(is_active=True).exclude(pk=user.pk).order_by("username")
    if mine != (EVERYTHING,):
        candidates = candidates.filter(pk__in=list(rows))
    return [u for u in candidates if _reach(u.is_superuser, rows.get(u.pk, [])) == mine]


def same_reach(user, other) -> bool:
    """Whether `other` is among the users a saved search of `user` may be shared with."""
    return any(u.pk == other.pk for u in users_of_same_reach(user))


# --- Who is told: the same rules, read from the other side ------------------------------


def case_legal_officers_q(case) -> Q:
    """Q over Membership: the legal officers responsible for a case (of its mission, of
    its host State, or of everything)."""
    where = Q(mission_id=case.mission_id) | Q(all_scope=True)
    if case.host_state_id:
        where |= Q(country_id=case.host_state_id)
    return Q(role=Role.LEGAL_OFFICER) & where


def state_legal_officers_q(host_state_id: int | None, *, mission_id: int | None = None) -> Q:
    """Q over Membership: the legal officers who may request a State's follow-up report
    (by the State, a mission it hosts, or everything); with no State, the mission's."""
    if host_state_id is None:
        where = Q(mission_id=mission_id) | Q(all_scope=True)
    else:
        where = Q(country_id=host_state_id) | Q(mission__host_countries=host_state_id)
        where |= Q(all_scope=True)
    return Q(role=Role.LEGAL_OFFICER) & where


def state_liaisons_q(host_state_id: int) -> Q:
    """Q over Membership: the State's host-State liaisons (they answer for it)."""
    return Q(role=Role.LIAISON, country_id=host_state_id, liaison_basis=LiaisonBasis.HOST_STATE)


# --- Names: who reads them (missions/masking.py applies it to every output) -----------


@dataclass(frozen=True)
class NamesScope:
    """Where a user reads people's names: everywhere, or in these missions and States."""

    everything: bool = False
    missions: frozenset[int] = frozenset()
    countries: frozenset[int] = frozenset()


def names_scope(user) -> NamesScope:
    """Administrators, and legal officers and mission staff within their scope, see names;
    analysts and liaisons only when their membership grants it (then everywhere they
    read). Anonymous users see none."""
    scope = user_scope(user)
    if scope.is_anonymous:
        return NamesScope()
    if scope.is_admin:
        return NamesScope(everything=True)
    missions: set[int] = set()
    countries: set[int] = set()
    for role in (Role.LEGAL_OFFICER, Role.MISSION_STAFF):
        rs = scope.role(role)
        if rs.everything:
            return NamesScope(everything=True)
        missions |= rs.missions
        countries |= rs.countries
    analyst = scope.role(Role.ANALYST)
    if (analyst and analyst.see_names) or any(see for _c, _b, see in scope.liaisons):
        return NamesScope(everything=True)
    return NamesScope(missions=frozenset(missions), countries=frozenset(countries))


def sees_names(user, *, mission_id: int | None = None, country_id: int | None = None) -> bool:
    """Whether people's names are shown to this user for a record of this mission/State."""
    names = names_scope(user)
    return names.everything or mission_id in names.missions or country_id in names.countries
