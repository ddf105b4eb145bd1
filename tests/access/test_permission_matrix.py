"""Every URL of the project, for every persona, against the access policy.

The URLs are discovered from the URLconf, so a new URL is covered without anyone
remembering: a URL that no rule below claims fails `test_every_url_has_a_rule`.
Each cell is a GET with the persona's session; list pages and endpoints are also checked
for what they show (mission A's records appear only to those who may see them), and
filtered by mission A, so a filter cannot be used to probe another scope.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from accountability.models import FollowUp
from accountability.services import capacity_support_record, investigation_open
from incidents.models import Casualty
from incidents.services import attachment_add
from missions.models import Personnel
from tests.access.test_scope import POLICY as SCOPE
from tests.personas import PERSONAS

pytestmark = pytest.mark.django_db

LOGGED_OUT = {"anonymous", "deactivated"}
RECORDERS_A = {"admin", "staff_a"}
RECORDERS = {"admin", "staff_a", "staff_b"}
MANAGERS_A = {"admin", "legal_a"}
# The host State's liaison receives its State's finished reports.
REPORT_READERS = {"admin", "legal_a", "analyst_a", "analyst_all", "liaison_a"}
# The State's legal officers (and administrators) keep the addressee of its reports.
ADDRESSEE_EDITORS = {"admin", "legal_a"}


# --- URL discovery ----------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    kwargs: tuple[str, ...]


def _walk(patterns, prefix="", namespace=None):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace
            full = f"{namespace}:{ns}" if namespace and ns else ns or namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), full)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else (p.name or "")
            kwargs = tuple(p.pattern.regex.groupindex)
            yield Route(name=name, pattern=prefix + str(p.pattern), kwargs=kwargs)


def all_routes() -> list[Route]:
    seen, routes = set(), []
    for route in _walk(get_resolver().url_patterns):
        if "format" in route.kwargs:  # DRF's format-suffix twin of a route already walked
            continue
        if route.pattern.endswith("<drf_format_suffix:format>"):
            continue
        key = (route.name, route.pattern)
        if key not in seen:
            seen.add(key)
            routes.append(route)
    return routes


def _fill(route: Route, values: dict[str, str]) -> str:
    path = route.pattern
    for kw in route.kwargs:
        value = str(values[kw])
        path = re.sub(r"\(\?P<" + kw + r">[^)]*\)", value, path)
        path = re.sub(r"<(?:\w+:)?" + kw + r">", value, path)
    path = path.replace("^", "").replace("$", "").replace("\\.", ".")
    return "/" + path


# --- the world every cell is checked in -------------------------------------------------


@pytest.fixture
def full_world(world):
    admin = world.users["admin"]
    upload = SimpleUploadedFile("report.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    world.attachment_a = attachment_add(
        actor=admin, incident=world.incident_a, uploaded_file=upload
    )
    world.casualty_a = Casualty.objects.filter(incident=world.incident_a).first()
    world.investigation_a = investigation_open(
        actor=admin,
        case=world.case_a,
        authority="police",
        opened_on=world.case_a.attack_date,
        source="Procès-verbal",
    )
    world.followup_a = FollowUp.objects.filter(case=world.case_a).first()
    world.support_a = capacity_support_record(
        actor=admin,
        host_state=world.host_a,
        provided_on=world.case_a.attack_date,
        institution="judiciary",
        kind="training",
        description="Training of investigating judges",
        cases=[world.case_a],
    )
    from datetime import date

    from accountability.reports.models import FollowUpReport

    world.report_a = FollowUpReport.objects.create(
        host_state=world.host_a,
        period_kind="month",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 1, 31),
        period_label="2026-01",
        language="fr",
        status="done",
    )
    world.personnel = Personnel.objects.create(
        service_number="P-1",
        contributing_country=world.host_b,
        given_name="Test",
        family_name="Peacekeeper",
        category="military_contingent",
    )
    return world


def _target_values(world, route: Route) -> dict[str, str]:
    """The URL kwargs, pointing at mission A's objects."""
    name = route.name
    values: dict[str, str] = {}
    for kw in route.kwargs:
        if kw == "fmt":
            values[kw] = "pdf"
            continue
        if kw == "reference":
            values[kw] = (
                world.incident_a.reference
                if name.startswith(("incidents:", "api:incident"))
                else world.case_a.reference
            )
        elif kw in {"pk", "object_id"}:
            values[kw] = str(_pk_for(world, name))
        elif kw == "iso3":
            values[kw] = world.host_a.iso3
        else:
            values[kw] = "1"
    return values


_API_OBJECTS: dict[str, Callable] = {
    "mission": lambda w: w.mission_a.pk,
    "country": lambda w: w.host_a.pk,
    "personnel": lambda w: w.personnel.pk,
    "casualty": lambda w: w.casualty_a.pk,
    "armedgroup": lambda w: 1,
    "investigation": lambda w: w.investigation_a.pk,
    "suspect": lambda w: w.suspect_a.pk,
    "followup": lambda w: w.followup_a.pk,
    "capacitysupport": lambda w: w.support_a.pk,
}


def _pk_for(world, name: str):
    if name == "incidents:attachment_download":
        return world.attachment_a.pk
    if name.startswith(("reports:", "api:followup-report")):
        return world.report_a.pk
    if name == "accountability:investigation_update_status":
        return world.investigation_a.pk
    if name == "accountability:suspect_record_step":
        return world.suspect_a.pk
    if name in (
        "accountability:followup_record_response",
        "accountability:followup_answer",
        "accountability:followup_document",
    ):
        return world.followup_a.pk
    if name.startswith("api:"):
        basename = name.split(":", 1)[1].rsplit("-", 1)[0]
        for key, get in _API_OBJECTS.items():
            if basename == key:
                return get(world)
        return 1
    if name.startswith("admin:"):
        return 1
    return 1


# --- the policy ---------------------------------------------------------------------------


def sees(persona: str, kind: str) -> bool:
    """From the scope policy: does this persona see mission A's incident/case/suspect?"""
    if persona in LOGGED_OUT:
        return False
    column = {"incident": 0, "case": 1, "suspect": 2}[kind]
    return "a" in SCOPE[persona][column]


def signed_in(expected_for_users):
    """Logged-out personas are sent to the login page; others get `expected_for_users`."""

    def rule(persona):
        if persona in LOGGED_OUT:
            return {302}
        return expected_for_users(persona) if callable(expected_for_users) else expected_for_users

    return rule


def api(expected_for_users):
    """The API answers logged-out callers 401/403, never a redirect to an HTML page."""

    def rule(persona):
        if persona in LOGGED_OUT:
            return {401, 403}
        return expected_for_users(persona) if callable(expected_for_users) else expected_for_users

    return rule


def object_rule(kind: str, *, ok=frozenset({200})):
    return lambda persona: set(ok) if sees(persona, kind) else {404}


def managed(kind: str = "case"):
    """A form URL of a case: managers of mission A may use it (GET may be 405 for a
    POST-only view), others who see the case are refused, the rest get 404."""

    def rule(persona):
        if persona in MANAGERS_A:
            return {200, 302, 405}
        return {403, 405} if sees(persona, kind) else {404, 405}

    return rule


ANY_USER_OK = {200}
POST_ONLY = {405}
# missions.scope.can_export: analysts, legal officers and administrators; others get 403.
EXPORTERS = {"admin", "legal_a", "analyst_a", "analyst_all"}


def exporter(expected):
    return lambda p: (
        (expected(p) if callable(expected) else set(expected)) if p in EXPORTERS else {403}
    )


# (regex on the URL name, rule, content check) — first match wins.
RULES: list[tuple[str, Callable, str | None]] = [
    (r"^(healthz|livez|readyz)$", lambda p: {200}, None),
    # The service worker and the offline page: the same for everyone, nobody's data.
    (r"^(service_worker|offline)$", lambda p: {200}, "public"),
    (r"^home$", signed_in(ANY_USER_OK), None),
    # Accounts: the public pages answer everyone; the account pages need a session.
    (
        r"^(login|password_reset.*|password_reset_(done|complete)|password_reset_confirm)$",
        lambda p: {200, 302},
        "public",
    ),
    (r"^logout$", lambda p: {302, 405}, "public"),
    (r"^(account|account_.*|password_change.*|two_factor_.*)$", signed_in({200, 302, 405}), None),
    (r"^set_language$", lambda p: {302, 405}, "public"),
    # Incidents (HTML)
    (r"^incidents:incident_list$", signed_in(ANY_USER_OK), "incident"),
    (r"^incidents:incident_create$", signed_in(lambda p: {200} if p in RECORDERS else {403}), None),
    (r"^incidents:incident_detail$", signed_in(object_rule("incident")), None),
    (
        r"^incidents:incident_edit$",
        signed_in(
            lambda p: {200, 302} if p in RECORDERS_A else ({403} if sees(p, "incident") else {404})
        ),
        None,
    ),
    (r"^incidents:incident_submit$", signed_in(lambda p: {405}), None),
    (r"^incidents:incident_bulk_submit$", signed_in(POST_ONLY), None),
    (r"^incidents:attachment_download$", signed_in(object_rule("incident")), None),
    # Cases (HTML)
    (r"^accountability:case_board$", signed_in(ANY_USER_OK), "case"),
    (r"^accountability:(statistics|incident_map)$", signed_in(ANY_USER_OK), None),
    (r"^accountability:incident_map_data$", signed_in(ANY_USER_OK), "incident"),
    (r"^accountability:case_detail$", signed_in(object_rule("case")), "suspect-name"),
    (r"^accountability:(report_request)$", signed_in(lambda p: {405}), None),
    (
        r"^accountability:report_status$",
        signed_in(lambda p: {200, 302, 404} if sees(p, "case") else {404}),
        None,
    ),
    # The follow-up register: communications of the cases whose suspects the persona sees;
    # only the host State's liaison answers (any other: 404); the world's follow-up has no
    # document attached yet (404 for all).
    (r"^accountability:followup_register$", signed_in(ANY_USER_OK), "followup"),
    (
        r"^accountability:followup_answer$",
        signed_in(lambda p: {200} if p == "liaison_a" else {404}),
        None,
    ),
    (r"^accountability:followup_document$", signed_in(lambda p: {404}), None),
    (r"^accountability:case_bulk$", signed_in(POST_ONLY), None),
    (r"^accountability:", signed_in(managed()), None),
    # Saved searches: saved and deleted by POST; only the owner shares one (no persona
    # owns one in this world: 404 for all).
    (r"^searches:search_(save|delete)$", signed_in(POST_ONLY), None),
    (r"^searches:search_share$", signed_in(lambda p: {404}), None),
    # Notifications: everyone signed in has their own list, count and e-mail choices.
    (
        r"^notifications:(notification_list|unread_count|notification_preferences)$",
        signed_in(ANY_USER_OK),
        None,
    ),
    (r"^notifications:notification_read(_all)?$", signed_in(POST_ONLY), None),
    # Exports (HTML): the list's rows in the user's scope, names masked by role.
    (r"^exports:(incidents|casualties)$", signed_in(exporter(ANY_USER_OK)), "incident"),
    (r"^exports:cases$", signed_in(exporter(ANY_USER_OK)), "case"),
    (r"^exports:procedures$", signed_in(exporter(ANY_USER_OK)), "suspect-name"),
    (r"^exports:case_file$", signed_in(exporter(object_rule("case"))), None),
    (r"^exports:(indicators|job_list)$", signed_in(exporter(ANY_USER_OK)), None),
    (r"^exports:job_", signed_in(exporter({200, 404, 410})), None),
    # Follow-up reports: the States in a legal officer's or analyst's scope.
    (r"^reports:report_list$", signed_in(ANY_USER_OK), None),
    (r"^reports:report_request$", signed_in(lambda p: {405}), None),
    (
        r"^reports:report_detail$",
        signed_in(lambda p: {200} if p in REPORT_READERS else {404}),
        None,
    ),
    # The report is marked done but has no file in this world: 404 even for readers.
    (r"^reports:report_download$", signed_in(lambda p: {403, 404}), None),
    (r"^reports:report_acknowledge$", signed_in(lambda p: {405}), None),
    (
        r"^reports:addressee_edit$",
        signed_in(lambda p: {200} if p in ADDRESSEE_EDITORS else {404}),
        None,
    ),
    # API
    # The schema and its docs are for signed-in users (docs/operators/security-platform.md):
    # the schema answers strangers 401, the docs page sends them to the login page.
    (r"^api:schema$", lambda p: {401} if p in LOGGED_OUT else {200}, None),
    (r"^api:docs$", signed_in({200}), None),
    (r"^api:api-root$", api(ANY_USER_OK), None),
    (r"^api:token$", lambda p: {405}, None),
    (r"^api:incident-list$", api(ANY_USER_OK), "incident"),
    (r"^api:case-list$", api(ANY_USER_OK), "case"),
    (r"^api:suspect-list$", api(ANY_USER_OK), "suspect-name"),
    (r"^api:export-(list|indicators)$", api(exporter(ANY_USER_OK)), None),
    (r"^api:export-", api(exporter({200, 404, 409, 410})), None),
    (r"^api:.*-list$", api(ANY_USER_OK), None),
    (r"^api:incident-detail$", api(object_rule("incident")), None),
    (r"^api:casualty-detail$", api(object_rule("incident")), None),
    (r"^api:case-detail$", api(object_rule("case")), None),
    # Investigations are part of a case's stage, which mission staff see.
    (r"^api:investigation-detail$", api(object_rule("case")), None),
    (r"^api:(suspect|followup)-detail$", api(object_rule("suspect")), None),
    (r"^api:(mission|country|armedgroup)-detail$", api(ANY_USER_OK | {404}), None),
    (r"^api:(personnel|capacitysupport)-detail$", api(lambda p: {200, 404}), None),
    (
        r"^api:incident-casualties$",
        api(lambda p: {200, 405} if sees(p, "incident") else {404, 405}),
        None,
    ),
    (r"^api:case-(investigations|suspects|follow-ups)$", api(lambda p: {200, 403, 404, 405}), None),
    (
        r"^api:(incident-submit|incident-verify|investigation-change-status|followup-record-response)$",
        api(lambda p: {404, 405}),
        None,
    ),
    (r"^api:suspect-steps$", api(lambda p: {200, 405} if sees(p, "suspect") else {404, 405}), None),
    (
        r"^api:followup-report-detail$",
        api(lambda p: {200} if p in REPORT_READERS else {404}),
        None,
    ),
    # The world's report is done but has no file: 409 for readers who may download it;
    # analysts without names may follow a report but not download it (it names suspects).
    (
        r"^api:followup-report-download$",
        api(lambda p: ({403} if p == "analyst_a" else {409}) if p in REPORT_READERS else {404}),
        None,
    ),
    # The Django admin: staff only; everyone else is sent to the admin's login.
    (r"^admin:login$", lambda p: {200, 302}, "public"),
    (r"^admin:logout$", lambda p: {302, 405}, "public"),
    # 403 where the admin refuses a change of history (audit entries, procedure steps are
    # append-only), 404 for an object id that does not exist.
    (r"^admin:", lambda p: {200, 302, 403, 404} if p == "admin" else {302}, None),
]


def rule_for(route: Route):
    for pattern, rule, check in RULES:
        if re.search(pattern, route.name):
            return rule, check
    return None, None


def _routes_to_walk() -> list[Route]:
    return [r for r in all_routes() if r.name]


def test_every_url_has_a_rule():
    unclaimed = [f"{r.name} ({r.pattern})" for r in _routes_to_walk() if rule_for(r)[0] is None]

    assert unclaimed == [], "declare the access policy of these URLs in RULES"


def test_the_walk_covers_the_pages_that_matter():
    names = {r.name for r in _routes_to_walk()}

    assert {"home", "incidents:incident_detail", "accountability:case_detail"} <= names
    assert any(name.startswith("api:") for name in names)
    assert any(name.startswith("admin:") for name in names)


def _client_for(world, persona: str) -> Client:
    client = Client()
    user = world.users[persona]
    if user is not None:
        client.force_login(user)
    return client


def _content_check(world, persona: str, check: str, response) -> str | None:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    body = raw.decode(errors="replace")
    if check == "incident":
        shown, expected = world.incident_a.reference in body, sees(persona, "incident")
    elif check == "case":
        shown, expected = world.case_a.reference in body, sees(persona, "case")
    elif check == "suspect":
        shown, expected = world.suspect_a.name in body, sees(persona, "suspect")
    elif check == "followup":
        # Follow-ups go with the suspects' side of a case (never mission staff).
        shown, expected = world.case_a.reference in body, sees(persona, "suspect")
    elif check == "suspect-name":
        from missions.scope import sees_names

        user = world.users[persona]
        shown = world.suspect_a.name in body
        expected = sees(persona, "suspect") and sees_names(user, mission_id=world.mission_a.pk)
    else:
        return None
    if shown != expected:
        return f"{'shows' if shown else 'hides'} mission A's {check}"
    return None


ROUTES = _routes_to_walk()


def _check_route(world, client, persona: str, route: Route) -> list[str]:
    rule, check = rule_for(route)
    if rule is None:  # reported by test_every_url_has_a_rule
        return []
    url = _fill(route, _target_values(world, route))
    problems = []
    response = client.get(url)
    allowed = rule(persona)
    if response.status_code not in allowed:
        return [f"{url}: {response.status_code} not in {sorted(allowed)}"]
    if response.status_code == 302 and persona in LOGGED_OUT and check != "public":
        location = response.headers.get("Location", "")
        if "login" not in location:
            problems.append(f"{url}: redirected to {location}, not to a login page")
    if check and response.status_code == 200:
        problem = _content_check(world, persona, check, response)
        if problem:
            problems.append(f"{url}: {problem}")
        # The same list filtered by mission A: a filter never widens the scope.
        filtered = client.get(
            url, {"mission": world.mission_a.acronym, "mission_id": world.mission_a.pk}
        )
        named = not filtered.streaming and b"data-query-problems" in filtered.content
        if filtered.status_code == 200 and named:
            # A list without a mission filter names the keys it does not understand and
            # shows nothing (peacekeeping.querystring): narrower, never wider.
            if world.case_a.reference in filtered.content.decode(errors="replace"):
                problems.append(f"{url} filtered by mission A: shows rows it did not filter")
        elif filtered.status_code == 200:
            problem = _content_check(world, persona, check, filtered)
            if problem:
                problems.append(f"{url} filtered by mission A: {problem}")
    return problems


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_url_answers_the_persona_as_the_policy_says(full_world, persona):
    """One persona, every URL: the world is built once per persona, not per cell."""
    client = _client_for(full_world, persona)
    problems = []
    for route in ROUTES:
        problems.extend(_check_route(full_world, client, persona, route))

    assert problems == [], f"{persona}:\n" + "\n".join(problems)
