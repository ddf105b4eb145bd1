"""What the follow-up report says about each case, beyond its row: where the attack took
place, who was harmed, each suspect's dated procedure, the UN's communications with the
State and what the UN asks the State to do next.

Plain values only (codes, ISO dates, names), sorted on explicit keys, everything read as
of one day: steps, communications and responses dated after it are left out. Labels are
the renderer's business.
"""

from collections.abc import Iterable
from datetime import UTC, date

from django.db.models import Count

from accountability.choices import CaseStage, ProcedureStepKind
from accountability.models import Case, FollowUp, ProcedureStep, Suspect
from incidents.models import Casualty, Incident

K = ProcedureStepKind
S = CaseStage

# A suspect whose last step is one of these is sought: the warrant waits to be executed.
SOUGHT = {K.WARRANT_ISSUED, K.AT_LARGE, K.ESCAPED}

# What the UN asks of the host State, by the furthest point the case has reached.
REQUEST_OF_STAGE = {
    S.NO_INVESTIGATION: "open_investigation",
    S.INVESTIGATION: "identify_suspects",
    S.SUSPECTS_IDENTIFIED: "issue_warrant",
    S.ARREST: "bring_charges",
    S.CHARGED: "bring_to_trial",
    S.TRIAL: "conclude_trial",
    S.VERDICT: "enforce_sentence",
    S.CLOSED: "review_closure",
}
UN_REQUESTS = (
    "open_investigation",
    "identify_suspects",
    "issue_warrant",
    "execute_warrant",
    "bring_charges",
    "bring_to_trial",
    "conclude_trial",
    "enforce_sentence",
    "report_outcome",
    "review_closure",
)


def un_requests(stage: str, suspects: list[dict]) -> list[str]:
    """What the UN asks of the State for a case at `stage` with these suspects' histories.

    A case whose suspects are identified and sought asks for the warrant to be executed,
    not issued; a verdict without a conviction asks for the grounds and any appeal; any
    suspect still sought adds the execution of the warrant to a later stage's request.
    """
    last_steps = [s["steps"][-1]["kind"] for s in suspects if s["steps"]]
    sought = any(kind in SOUGHT for kind in last_steps)
    request = REQUEST_OF_STAGE.get(stage, "open_investigation")
    if request == "issue_warrant" and sought:
        request = "execute_warrant"
    if request == "enforce_sentence" and K.CONVICTED not in {
        step["kind"] for s in suspects for step in s["steps"]
    }:
        request = "report_outcome"
    requests = [request]
    if sought and request != "execute_warrant":
        requests.append("execute_warrant")
    return requests


def _country(prefix: str, row: dict) -> dict:
    return {
        "iso3": row[f"{prefix}__iso3"] or "",
        "name_en": row[f"{prefix}__name_en"] or "",
        "name_fr": row[f"{prefix}__name_fr"] or "",
    }


def case_details(case_ids: Iterable[int], *, as_of_date: date) -> dict[str, dict]:
    """{reference: details} for the cases, as of the end of `as_of_date`."""
    ids = case_ids if hasattr(case_ids, "query") else list(case_ids)
    references = dict(Case.objects.filter(pk__in=ids).values_list("pk", "reference"))
    details: dict[str, dict] = {
        reference: {"places": [], "victims": [], "suspect_history": [], "follow_ups": []}
        for reference in references.values()
    }

    places = (
        Incident.objects.filter(case_link__case_id__in=ids)
        .values_list("case_link__case_id", "place", "admin_area")
        .distinct()
    )
    for case_id, place, admin_area in places:
        if place or admin_area:
            details[references[case_id]]["places"].append(
                {"place": place, "admin_area": admin_area}
            )

    # One row per case, outcome, category, nationality and contingent, with its count.
    victims = (
        Casualty.objects.filter(incident__case_link__case_id__in=ids)
        .values(
            "incident__case_link__case_id",
            "outcome",
            "category",
            "nationality__iso3",
            "nationality__name_en",
            "nationality__name_fr",
            "personnel__contributing_country__iso3",
            "personnel__contributing_country__name_en",
            "personnel__contributing_country__name_fr",
            "personnel__unit",
        )
        .annotate(count=Count("id"))
        .order_by()
    )
    for row in victims:
        details[references[row["incident__case_link__case_id"]]]["victims"].append(
            {
                "outcome": row["outcome"],
                "category": row["category"],
                "count": int(row["count"]),
                "nationality": _country("nationality", row),
                "contingent": _country("personnel__contributing_country", row),
                "unit": row["personnel__unit"] or "",
            }
        )

    suspects: dict[int, dict] = {}
    for suspect in (
        Suspect.objects.filter(case_id__in=ids)
        .values("pk", "case_id", "name", "alias", "armed_group__name")
        .order_by()
    ):
        suspects[suspect["pk"]] = {
            "name": suspect["name"],
            "alias": suspect["alias"],
            "armed_group": suspect["armed_group__name"] or "",
            "steps": [],
        }
        details[references[suspect["case_id"]]]["suspect_history"].append(suspects[suspect["pk"]])
    steps = (
        ProcedureStep.objects.filter(suspect__case_id__in=ids, occurred_on__lte=as_of_date)
        .values_list("suspect_id", "occurred_on", "kind", "legal_term", "sentence")
        .order_by("occurred_on", "id")
    )
    for suspect_id, occurred_on, kind, legal_term, sentence in steps:
        suspects[suspect_id]["steps"].append(
            {
                "date": occurred_on.isoformat(),
                "kind": kind,
                "legal_term": legal_term,
                "sentence": sentence,
            }
        )

    follow_ups = FollowUp.objects.filter(case_id__in=ids, sent_on__lte=as_of_date).values(
        "case_id",
        "sent_on",
        "channel",
        "summary",
        "response_due",
        "response_received_on",
        "outcome",
    )
    for row in follow_ups:
        answered = row["response_received_on"] is not None and (
            row["response_received_on"] <= as_of_date
        )
        details[references[row["case_id"]]]["follow_ups"].append(
            {
                "sent_on": row["sent_on"].isoformat(),
                "channel": row["channel"],
                "summary": row["summary"],
                "response_due": row["response_due"].isoformat() if row["response_due"] else None,
                "response_received_on": (
                    row["response_received_on"].isoformat() if answered else None
                ),
                "outcome": row["outcome"] if answered else "",
            }
        )

    for item in details.values():
        item["places"].sort(key=lambda p: (p["admin_area"], p["place"]))
        item["victims"].sort(
            key=lambda v: (
                v["outcome"],
                v["category"],
                v["nationality"]["iso3"],
                v["contingent"]["iso3"],
                v["unit"],
            )
        )
        item["suspect_history"].sort(
            key=lambda s: (s["name"], s["alias"], s["armed_group"], [t["date"] for t in s["steps"]])
        )
        item["follow_ups"].sort(key=lambda f: (f["sent_on"], f["channel"], f["summary"]))
    return details


def add_case_details(cases: list[dict], *, as_of_date: date) -> list[dict]:
    """Complete each case dict of the report (found by its reference) with its details and
    the UN's requests, derived from the case's stage as the report states it."""
    if not cases:
        return cases
    ids = Case.objects.filter(reference__in=[case["reference"] for case in cases]).values("pk")
    details = case_details(ids, as_of_date=as_of_date)
    for case in cases:
        case.update(details[case["reference"]])
        case["un_requests"] = un_requests(case["stage"], case["suspect_history"])
    return cases


def sources_coverage(host_state) -> dict:
    """Where the report's attacks come from: the date of the State's last attack taken
    from the UN's fatalities file (None when the file brought none); later ones are the
    mission's own records."""
    from django.db.models import Max

    from incidents.choices import IncidentSource

    last = Incident.objects.filter(
        country=host_state, source=IncidentSource.UN_FATALITIES_FILE
    ).aggregate(last=Max("occurred_at"))["last"]
    return {"un_file_until": last.astimezone(UTC).date().isoformat() if last else None}
