"""The cases of the benchmark data set: investigations, suspects and their procedure,
follow-ups with the host State, capacity support (a part of bench/generate.py's
Generator, which mixes it in; same random stream, same rows)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from accountability.choices import (
    FollowUpChannel,
    Institution,
    InvestigatingAuthority,
    InvestigationStatus,
    ProcedureStepKind,
    SupportKind,
)
from accountability.procedure import ProcedureState, case_stage, investigation_status_of
from bench.distributions import (
    DEPTH_WEIGHTS,
    FAMILY_NAMES,
    GIVEN_NAMES,
    HORIZON,
    LEGAL_TERMS,
    MISSION_WEIGHTS,
    PATH,
    REPORT_SINCE,
    REPORT_STATE,
    REPORT_STATE_MISSION,
)
from bench.tables import (
    Table,
    _at,
    _cols,
    _weighted,
)
from incidents.choices import IncidentSource, IncidentStatus, IncidentType, Outcome


@dataclass(frozen=True)
class Step:
    """What ProcedureState reads of a step."""

    pk: int
    kind: str
    occurred_on: date


class CaseTables:
    """Generator's case tables; `self` is the Generator (its rng, sizes, reference)."""

    def _case_plan(self) -> list[dict]:
        """Which cases exist: linked to an incident, or standing alone; host State, date."""
        rng = self.rng
        harmed: dict[int, list[int]] = {}
        for row in self.casualty_rows:
            if row[2] in (Outcome.KILLED, Outcome.INJURED):
                counts = harmed.setdefault(row[10], [0, 0])
                counts[0 if row[2] == Outcome.KILLED else 1] += 1
        report_state = self.ref.countries[REPORT_STATE]["id"]
        plans = []
        for row in self.incident_rows:
            if (
                row[9] == IncidentType.MALICIOUS_ACT
                and row[14] != IncidentStatus.DRAFT
                and row[0] in harmed
            ):
                mission = self.ref.missions[row[-1]]
                host = row[21]
                if host is None and len(mission["hosts"]) == 1:
                    host = mission["hosts"][0]
                plans.append(
                    {
                        "incident": row[0],
                        "acronym": row[-1],
                        "mission": mission["id"],
                        "host": host,
                        "attack": row[2].date(),
                        "killed": harmed[row[0]][0],
                        "injured": harmed[row[0]][1],
                        "imported": row[15] == IncidentSource.UN_FATALITIES_FILE,
                    }
                )
        plans = plans[: self.sizes.cases]
        in_state = sum(
            1 for p in plans if p["host"] == report_state and p["attack"] >= REPORT_SINCE
        )
        minusma = self.ref.missions[REPORT_STATE_MISSION]
        standalone = []
        for _ in range(max(0, self.sizes.report_state_cases - in_state)):
            standalone.append((REPORT_STATE_MISSION, minusma, report_state))
        # The report State's cases are exactly those above: no more drawn at random.
        missions = {
            a: w
            for a, w in MISSION_WEIGHTS.items()
            if a in self.ref.missions
            and self.ref.missions[a]["hosts"]
            and a != REPORT_STATE_MISSION
        }
        m_keys, m_weights = _weighted(rng, missions)
        while len(plans) + len(standalone) < self.sizes.cases:
            acronym = rng.choices(m_keys, m_weights)[0]
            mission = self.ref.missions[acronym]
            hosts = mission["hosts"]
            host = hosts[0] if len(hosts) == 1 else rng.choice(hosts)
            if len(hosts) > 1 and rng.random() < 0.05:
                host = None  # an imported case whose host State is to be determined
            standalone.append((acronym, mission, host))
        for acronym, mission, host in standalone[: self.sizes.cases - len(plans)]:
            killed = rng.choice((0, 1, 1, 1, 2, 3))
            plans.append(
                {
                    "incident": None,
                    "acronym": acronym,
                    "mission": mission["id"],
                    "host": host,
                    "attack": self._day_between(mission["start"], mission["end"]),
                    "killed": killed,
                    "injured": rng.choice((0, 1, 2, 4)) if killed else rng.randint(1, 4),
                    "imported": host is None,
                }
            )
        return plans

    def _cases(self) -> list[Table]:
        rng = self.rng
        cases = Table(
            "accountability_case",
            _cols(
                "id reference opened_on attack_date investigation_status investigation_opened_on "
                "stage last_progress_on has_conviction killed injured opened_by_import summary "
                "created_at updated_at version focal_point_id host_state_id mission_id"
            ),
        )
        links = Table("accountability_caseincident", ("id", "joined_at", "case_id", "incident_id"))
        events = Table(
            "accountability_caseevent",
            _cols(
                "id kind occurred_on description source recorded_at case_id recorded_by_id params"
            ),
        )
        investigations = Table(
            "accountability_investigation",
            _cols(
                "id authority authority_name status opened_on closed_on source note created_at "
                "updated_at case_id"
            ),
        )
        suspects = Table(
            "accountability_suspect",
            _cols(
                "id name alias status status_since in_custody custody_since created_at "
                "armed_group_id case_id nationality_id"
            ),
        )
        steps = Table(
            "accountability_procedurestep",
            _cols(
                "id kind occurred_on legal_term source note sentence recorded_at recorded_by_id "
                "suspect_id"
            ),
        )
        follow_ups = Table(
            "accountability_followup",
            _cols(
                "id sent_on channel summary response_due response_received_on outcome created_at "
                "case_id recorded_by_id response_by_liaison response_document "
                "response_document_name response_document_type"
            ),
        )
        language_of = {c["id"]: c["language"] for c in self.ref.countries.values()}
        d_keys, d_weights = _weighted(rng, DEPTH_WEIGHTS)
        authorities = list(InvestigatingAuthority.values)
        channels = list(FollowUpChannel.values)
        plans = sorted(self._case_plan(), key=lambda p: (p["acronym"], p["attack"]))
        numbers: dict[tuple[str, int], int] = {}
        ids = {"event": 0, "investigation": 0, "suspect": 0, "step": 0, "follow_up": 0}

        def next_id(name: str) -> int:
            ids[name] += 1
            return ids[name]

        for case_id, plan in enumerate(plans, start=1):
            attack = plan["attack"]
            key = (plan["acronym"], attack.year)
            numbers[key] = numbers.get(key, 0) + 1
            reference = f"CASE-{plan['acronym']}-{attack.year}-{numbers[key]:04d}"
            opened_on = min(attack + timedelta(days=rng.randint(0, 20)), HORIZON)
            if plan["incident"]:
                links.rows.append((case_id, _at(opened_on), case_id, plan["incident"]))
            events.rows.append(
                (
                    next_id("event"),
                    "case_opened",
                    opened_on,
                    f"Case opened for {reference} (benchmark data).",
                    "",
                    _at(opened_on),
                    case_id,
                    None,
                )
            )
            language = language_of.get(plan["host"], "en")
            roll = rng.random()
            investigation = None
            statuses: list[str] = []
            opened_dates: list[date] = []
            closed_dates: list[date] = []
            states: list[ProcedureState] = []
            if roll >= 0.45:  # 55% investigated
                inv_opened = self._later(attack, 5, 240)
                if inv_opened is not None:
                    if roll < 0.50:
                        status = InvestigationStatus.CLOSED_WITHOUT_CHARGE
                    elif roll < 0.72:
                        status = InvestigationStatus.OPENED
                    else:
                        status = InvestigationStatus.SUSPECTS_IDENTIFIED
                    investigation = [
                        next_id("investigation"),
                        rng.choice(authorities),
                        "Tribunal de grande instance"
                        if language == "fr"
                        else "Office of the Public Prosecutor",
                        status,
                        inv_opened,
                        None,
                        "Note verbale of the host State",
                        "",
                        _at(inv_opened),
                        _at(inv_opened),
                        case_id,
                    ]
                    opened_dates.append(inv_opened)
                    events.rows.append(
                        (
                            next_id("event"),
                            "investigation_opened",
                            inv_opened,
                            "Investigation opened.",
                            "Note verbale",
                            _at(inv_opened),
                            case_id,
                            None,
                        )
                    )
                    if status == InvestigationStatus.CLOSED_WITHOUT_CHARGE:
                        closed = self._later(inv_opened, 60, 700)
                        if closed is None:
                            investigation[3] = status = InvestigationStatus.OPENED
                        else:
                            investigation[5] = closed
                            closed_dates.append(closed)
                            events.rows.append(
                                (
                                    next_id("event"),
                                    "investigation_status",
                                    closed,
                                    "Investigation closed without charge.",
                                    "Letter of the prosecutor",
                                    _at(closed),
                                    case_id,
                                    None,
                                )
                            )
                    if status == InvestigationStatus.SUSPECTS_IDENTIFIED:
                        for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
                            states.append(
                                self._suspect(
                                    case_id,
                                    inv_opened,
                                    language,
                                    rng.choices(d_keys, d_weights)[0],
                                    suspects,
                                    steps,
                                    events,
                                    next_id,
                                )
                            )
                        if any(s.charged_on for s in states):
                            investigation[3] = status = InvestigationStatus.REFERRED_FOR_TRIAL
                    statuses.append(status)
                    investigations.rows.append(tuple(investigation))
            elif roll < 0.03:
                statuses = []
            inv_status = investigation_status_of(statuses, current=InvestigationStatus.UNKNOWN)
            stage = case_stage(
                investigation_status=inv_status,
                has_investigation=investigation is not None,
                states=states,
            )
            progress = [
                *opened_dates,
                *closed_dates,
                *(s.last.occurred_on for s in states if s.last),
            ]
            last_progress = max(progress, default=None)
            if rng.random() < 0.4:
                sent = opened_on
                for _ in range(rng.choice((1, 1, 2, 3))):
                    sent = self._later(sent, 20, 200)
                    if sent is None:
                        break
                    due = sent + timedelta(days=30) if rng.random() < 0.8 else None
                    received = (
                        self._later(sent, 10, 60)
                        if due is not None and rng.random() < 0.5
                        else None
                    )
                    follow_ups.rows.append(
                        (
                            next_id("follow_up"),
                            sent,
                            rng.choice(channels),
                            "Request for information on the investigation (benchmark data).",
                            due,
                            received,
                            "Reply received." if received else "",
                            _at(sent),
                            case_id,
                            None,
                        )
                    )
            cases.rows.append(
                (
                    case_id,
                    reference,
                    opened_on,
                    attack,
                    inv_status,
                    min(opened_dates, default=None),
                    stage,
                    last_progress,
                    any(s.convicted for s in states),
                    plan["killed"],
                    plan["injured"],
                    plan["imported"],
                    "",
                    _at(opened_on),
                    _at(last_progress or opened_on),
                    1,
                    None,
                    plan["host"],
                    plan["mission"],
                )
            )
        # The timeline's parameters (accountability.timeline): none for these lines, whose
        # words are their description.
        events.rows = [(*row, "{}") for row in events.rows]
        # Responses recorded by the legal officers, none with a document of the State's.
        follow_ups.rows = [(*row, False, "", "", "") for row in follow_ups.rows]
        return [cases, links, events, investigations, suspects, steps, follow_ups]

    def _suspect(self, case_id, since, language, depth, suspects, steps, events, next_id):
        """One suspect and their steps along PATH, `depth` steps deep (fewer if the
        horizon comes first); returns the procedural state the app would derive."""
        rng = self.rng
        suspect_id = next_id("suspect")
        taken: list = []
        day = since
        convicted = rng.random() < 0.75
        for kind in PATH[:depth]:
            day = self._later(day, 7, 200)
            if day is None:
                break
            if kind == "verdict":
                kind = ProcedureStepKind.CONVICTED if convicted else ProcedureStepKind.ACQUITTED
            if kind == ProcedureStepKind.SENTENCED and not convicted:
                break
            taken.append(Step(len(taken) + 1, kind, day))
        if depth == 2 and taken and rng.random() < 0.5:
            day = self._later(taken[-1].occurred_on, 30, 120)
            if day is not None:
                taken.append(Step(len(taken) + 1, ProcedureStepKind.AT_LARGE, day))
        elif 4 <= depth <= 6 and taken and rng.random() < 0.1:
            day = self._later(taken[-1].occurred_on, 30, 120)
            if day is not None:
                kind = rng.choice((ProcedureStepKind.RELEASED, ProcedureStepKind.ESCAPED))
                taken.append(Step(len(taken) + 1, kind, day))
        state = ProcedureState.from_steps(taken)
        terms = LEGAL_TERMS[language if language in LEGAL_TERMS else "en"]
        for step in taken:
            step_id = next_id("step")
            steps.rows.append(
                (
                    step_id,
                    step.kind,
                    step.occurred_on,
                    terms.get(step.kind, ""),
                    f"Court record {case_id}/{step_id}",
                    "",
                    f"{rng.randint(5, 20)} years"
                    if step.kind == ProcedureStepKind.SENTENCED
                    else "",
                    _at(step.occurred_on, 15),
                    None,
                    suspect_id,
                )
            )
            events.rows.append(
                (
                    next_id("event"),
                    "procedure_step",
                    step.occurred_on,
                    f"Suspect {suspect_id}: {step.kind}",
                    f"Court record {case_id}/{step_id}",
                    _at(step.occurred_on, 15),
                    case_id,
                    None,
                )
            )
        last = state.last
        suspects.rows.append(
            (
                suspect_id,
                f"{rng.choice(GIVEN_NAMES)} {rng.choice(FAMILY_NAMES)}",
                rng.choice(("", "", "", "Abou", "le Colonel", "Papa")),
                last.kind if last else ProcedureStepKind.IDENTIFIED,
                last.occurred_on if last else None,
                state.in_custody,
                state.custody_since,
                _at(since),
                rng.randint(1, self.sizes.armed_groups) if rng.random() < 0.4 else None,
                case_id,
                None,
            )
        )
        return state

    def _capacity_support(self) -> Table:
        table = Table(
            "accountability_capacitysupport",
            _cols(
                "id provided_on institution kind description created_at host_state_id mission_id "
                "recorded_by_id"
            ),
        )
        hosts = [
            (m["id"], m["hosts"][0], m["start"], m["end"])
            for a, m in self.ref.missions.items()
            if a in MISSION_WEIGHTS and len(m["hosts"]) == 1
        ]
        state = self.ref.countries[REPORT_STATE]["id"]
        minusma = self.ref.missions[REPORT_STATE_MISSION]
        for pk in range(1, self.sizes.capacity_support + 1):
            if pk % 4 == 0:
                mission, host, start, end = minusma["id"], state, minusma["start"], HORIZON
            else:
                mission, host, start, end = self.rng.choice(hosts)
            day = self._day_between(start, min(end, HORIZON))
            table.rows.append(
                (
                    pk,
                    day,
                    self.rng.choice(Institution.values),
                    self.rng.choice(SupportKind.values),
                    "Training and equipment (benchmark data).",
                    _at(day),
                    host,
                    mission,
                    None,
                )
            )
        return table
