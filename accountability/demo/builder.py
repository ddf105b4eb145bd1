"""Writes the demo data set (accountability.demo.data) through the services.

Everything is dated relative to one anchor day and numbered from one seeded random
generator, so a run on a given day always gives the same data.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from accountability.demo.data import (
    ACCOUNTS,
    ARMED_GROUPS,
    CAPACITY_SUPPORT,
    DEMO_USERNAMES,
    GROUPS,
    INCIDENTS,
    MISSIONS,
    PERSONNEL,
    SEED,
    Account,
    CaseSpec,
)
from accountability.models import Case
from accountability.services import (
    capacity_support_record,
    case_open,
    followup_record,
    followup_record_response,
    investigation_open,
    investigation_update_status,
    procedure_record_step,
    suspect_identify,
)
from incidents.choices import IncidentType
from incidents.models import ArmedGroup
from incidents.services import (
    armed_group_create,
    incident_record,
    incident_submit,
    incident_verify,
)
from missions.models import Assignment, Country, Mission, Personnel
from missions.services import membership_grant
from peacekeeping.audit import audit_record, model_changes


@dataclass
class DemoResult:
    accounts: list[Account]
    incidents: int = 0
    cases: int = 0


class DemoBuilder:
    """Writes the demo data set, dated relative to `today`, through the services."""

    def __init__(self, *, today: date, password: str, log: Callable[[str], None] = lambda _: None):
        self.today = today
        self.password = password
        self.log = log
        self.rng = random.Random(SEED)
        self.users: dict[str, object] = {}
        self.missions: dict[str, Mission] = {}
        self.countries: dict[str, Country] = {}
        self.groups: dict[str, ArmedGroup] = {}
        self.personnel: dict[str, Personnel] = {}
        self.cases: dict[str, Case] = {}

    # Dates and documents -----------------------------------------------------------------

    def day(self, ago: int) -> date:
        return self.today - timedelta(days=ago)

    def doc(self, text: str, ago: int) -> str:
        """A source or summary with its year and a document number filled in."""
        return text.format(y=self.day(ago).year, n=f"{self.rng.randint(4, 240):03d}")

    def country(self, iso3: str) -> Country:
        if iso3 not in self.countries:
            self.countries[iso3] = Country.objects.get(iso3=iso3)
        return self.countries[iso3]

    # The whole set ----------------------------------------------------------------------

    @transaction.atomic
    def build(self) -> DemoResult:
        self.missions = {m.acronym: m for m in Mission.objects.filter(acronym__in=MISSIONS)}
        self.create_accounts()
        admin = self.users["demo-admin"]
        for key, (name, aliases, description) in ARMED_GROUPS.items():
            self.groups[key] = ArmedGroup.objects.filter(name=name).first() or armed_group_create(
                actor=admin, name=name, aliases=aliases, description=description
            )
        self.create_personnel(admin)
        # Oldest first, so references are numbered in the order of the attacks.
        for spec in sorted(INCIDENTS, key=lambda spec: -spec["ago"]):
            self.create_incident(spec)
        for host, mission, ago, institution, kind, description, keys in CAPACITY_SUPPORT:
            capacity_support_record(
                actor=self.legal_actor(mission),
                host_state=self.country(host),
                mission=self.missions[mission],
                provided_on=self.day(ago),
                institution=institution,
                kind=kind,
                description=self.doc(description, ago),
                cases=[self.cases[key] for key in keys],
            )
        return DemoResult(accounts=list(ACCOUNTS), incidents=len(INCIDENTS), cases=len(self.cases))

    def create_accounts(self) -> None:
        user_model = get_user_model()
        groups = {role: Group.objects.get_or_create(name=name)[0] for role, name in GROUPS.items()}
        # The administrator first: it grants everyone else's memberships.
        for account in ACCOUNTS:
            user = user_model(
                username=account.username,
                first_name=account.first_name,
                last_name=account.last_name,
                email=f"{account.username}@example.org",
                is_staff=account.superuser,
                is_superuser=account.superuser,
            )
            user.set_password(self.password)
            user.save()
            self.users[account.username] = user
            audit_record(
                actor=self.users["demo-admin"],
                action="user.create",
                obj=user,
                changes=model_changes(user, ["username", "is_staff", "is_superuser"], None),
            )
            user.groups.add(groups[account.role])
            for grant in account.grants:
                scope = {
                    "mission": self.missions.get(grant.get("mission", "")),
                    "country": self.country(grant["country"]) if "country" in grant else None,
                }
                extra = {k: v for k, v in grant.items() if k not in ("mission", "country")}
                membership_grant(
                    actor=self.users["demo-admin"],
                    user=user,
                    role=account.role,
                    **scope,
                    **extra,
                )

    def create_personnel(self, admin) -> None:
        # Postings start before the first incident any of them appears in.
        first_seen = {}
        for spec in INCIDENTS:
            for casualty in spec["casualties"]:
                first_seen.setdefault(casualty["who"], spec["ago"])
        for key, (mission, iso3, given, family, category, rank, unit, gender) in PERSONNEL.items():
            person = Personnel.objects.create(
                service_number=f"{iso3}-{self.rng.randint(100000, 999999)}",
                contributing_country=self.country(iso3),
                nationality=self.country(iso3),
                given_name=given,
                family_name=family,
                category=category,
                rank=rank,
                unit=unit,
                gender=gender,
            )
            start = self.day(first_seen.get(key, 200) + self.rng.randint(40, 200))
            end = start + timedelta(days=365)
            posting = Assignment.objects.create(
                personnel=person,
                mission=self.missions[mission],
                start_date=start,
                end_date=end if end <= self.today else None,
            )
            # No service writes peacekeepers yet: the rows are audited here.
            audit_record(
                actor=admin,
                action="personnel.create",
                obj=person,
                changes={
                    **model_changes(
                        person,
                        ["service_number", "contributing_country_id", "family_name", "category"],
                        None,
                    ),
                    "assignment": [None, [mission, str(posting.start_date)]],
                },
            )
            self.personnel[key] = person

    def casualty(self, spec: dict, attack_ago: int) -> dict:
        who = spec["who"]
        casualty = {"outcome": spec["outcome"], "notes": spec.get("notes", "")}
        if who in self.personnel:
            casualty["personnel"] = self.personnel[who]
        else:
            category, iso3 = who.split(":")
            casualty.update(category=category, nationality=self.country(iso3))
        if "date_of_death_after" in spec:
            casualty["date_of_death"] = self.day(attack_ago - spec["date_of_death_after"])
        return casualty

    def create_incident(self, spec: dict) -> None:
        mission = self.missions[spec["mission"]]
        recorder = self.users[
            {"MINUSCA": "demo-staff", "MONUSCO": "demo-staff-b"}.get(spec["mission"], "demo-admin")
        ]
        ago = spec["ago"]
        occurred_at = datetime.combine(
            self.day(ago), time(self.rng.randint(5, 19), self.rng.choice((0, 15, 30, 45))), UTC
        )
        incident = incident_record(
            actor=recorder,
            mission=mission,
            occurred_at=occurred_at,
            incident_type=spec.get("type", IncidentType.MALICIOUS_ACT),
            attack_type=spec.get("attack", ""),
            perpetrators=[self.groups[key] for key in spec.get("by", [])],
            place=spec["place"],
            admin_area=spec["area"],
            latitude=spec["lat"],
            longitude=spec["lon"],
            narrative=spec["narrative"],
            sources=self.doc(spec["sources"], ago),
            casualties=[self.casualty(c, ago) for c in spec["casualties"]],
        )
        case_spec: CaseSpec | None = spec.get("case")
        if case_spec is not None and case_spec.opened is not None:
            self.cases[spec["key"]] = case_open(
                actor=self.users["demo-admin"],
                incidents=[incident],
                opened_on=self.day(case_spec.opened),
                focal_point=self.focal_point(spec["mission"]),
            )
        if spec.get("status") == "draft":
            return
        incident_submit(actor=recorder, incident=incident)
        if ago > 7:
            # Four eyes: someone other than the submitter checks the report.
            admin = self.users["demo-admin"]
            checker = admin if recorder != admin else self.users["demo-legal"]
            incident_verify(actor=checker, incident=incident)
        if case_spec is not None:
            if case_spec.opened is None:  # opened by the submission, today
                self.cases[spec["key"]] = Case.objects.get(case_incidents__incident=incident)
            self.build_case(self.cases[spec["key"]], case_spec, spec["mission"])

    def legal_actor(self, mission: str):
        """Who records the case's legal steps: the legal officer of the mission, if any."""
        return self.users["demo-legal" if mission in ("MINUSCA", "MINUSMA") else "demo-admin"]

    def focal_point(self, mission: str):
        return {"MINUSCA": self.users["demo-staff"]}.get(mission)

    def build_case(self, case: Case, spec: CaseSpec, mission: str) -> None:
        actor = self.legal_actor(mission)
        for inv in spec.investigations:
            investigation = investigation_open(
                actor=actor,
                case=case,
                authority=inv["authority"],
                authority_name=inv["name"],
                opened_on=self.day(inv["ago"]),
                source=self.doc(inv["source"], inv["ago"]),
            )
            for status, ago, source in inv["updates"]:
                investigation_update_status(
                    actor=actor,
                    investigation=investigation,
                    status=status,
                    on=self.day(ago),
                    source=self.doc(source, ago),
                )
        for suspect_spec in spec.suspects:
            (_kind, ago, _term, source, _sentence), *steps = suspect_spec["steps"]
            group = suspect_spec["group"]
            suspect = suspect_identify(
                actor=actor,
                case=case,
                name=suspect_spec["name"],
                alias=suspect_spec["alias"],
                armed_group=self.groups[group] if group else None,
                nationality=self.country(suspect_spec["nationality"]),
                identified_on=self.day(ago),
                source=self.doc(source, ago),
            )
            for kind, ago, legal_term, source, sentence in steps:
                procedure_record_step(
                    actor=actor,
                    suspect=suspect,
                    kind=kind,
                    occurred_on=self.day(ago),
                    legal_term=legal_term,
                    source=self.doc(source, ago),
                    sentence=sentence,
                )
        for ago, channel, summary, due, reply in spec.follow_ups:
            follow_up = followup_record(
                actor=actor,
                case=case,
                sent_on=self.day(ago),
                channel=channel,
                summary=self.doc(summary, ago),
                response_due=self.day(due) if due is not None else None,
            )
            if reply is not None:
                followup_record_response(
                    actor=actor,
                    follow_up=follow_up,
                    received_on=self.day(reply[0]),
                    outcome=reply[1],
                )


def demo_present() -> bool:
    """Whether the demo accounts exist (then the demo data is there too)."""
    return get_user_model().objects.filter(username__in=DEMO_USERNAMES).exists()
