"""The report's section of cases closed without a conviction, ready for the renderers.

A case closed without charge, or whose suspects were all acquitted, has no conviction:
the impunity rule still applies to it (accountability/impunity.py), and the report lists
it here with the reason and the day it closed. Labels come from the translation
catalogue, in the report's language.
"""

from datetime import date

from django.utils import translation
from django.utils.translation import gettext as _

from accountability.choices import CaseStage, InvestigationStatus
from accountability.impunity import NO_INVESTIGATION, NO_PROGRESS
from accountability.replay import ACQUITTED, CLOSED_WITHOUT_CHARGE


def closed_labels() -> dict[str, str]:
    """The section's headings, in the active language."""
    return {
        "title": _("Closed without a conviction"),
        "intro": _(
            "Cases closed without charge or ended by acquittal: no conviction was "
            "pronounced, so the impunity rule still applies to them."
        ),
        "reason": _("Reason"),
        "closed_on": _("Closed on"),
        "count": _("Cases closed without a conviction"),
    }


def closed_section_labels(language: str) -> dict[str, str]:
    with translation.override(language):
        return closed_labels()


def _reason(code: str) -> str:
    return {
        CLOSED_WITHOUT_CHARGE: _("Closed without charge"),
        ACQUITTED: _("Acquitted"),
    }.get(code, code)


def _impunity(case: dict, yes: str, no: str) -> str:
    if not case["impunity"]:
        return no
    reasons = {
        NO_INVESTIGATION: _("no investigation opened in time"),
        NO_PROGRESS: _("no progress"),
    }
    return f"{yes} — " + ", ".join(reasons[r] for r in case["impunity_reasons"])


def closed_case_rows(content: dict) -> list[dict]:
    """The section's rows, each case's codes replaced by labels in the report's language."""
    with translation.override(content["language"]):
        stages = {k: str(v) for k, v in CaseStage.choices}
        statuses = {k: str(v) for k, v in InvestigationStatus.choices}
        yes, no = _("yes"), _("no")
        return [
            {
                **case,
                "stage_label": stages.get(case["stage"], case["stage"]),
                "investigation_label": statuses.get(
                    case["investigation_status"], case["investigation_status"]
                ),
                "closed_reason_label": _reason(case["closed_reason"]),
                "impunity_label": _impunity(case, yes, no),
            }
            for case in content.get("closed_cases", [])
        ]


def closed_sheet(content: dict, report_labels: dict) -> tuple[str, list[str], list[list]]:
    """The workbook sheet of the section: its title, headers and rows (the columns the
    Cases sheet shares keep the report's own headers, `report_labels`)."""
    L = report_labels
    rows = closed_case_rows(content)
    with translation.override(content["language"]):
        labels = closed_labels()
        headers = [
            L["reference"],
            L["mission"],
            L["attack_date"],
            L["killed"],
            L["injured"],
            labels["reason"],
            labels["closed_on"],
            L["days_since_progress"],
            L["impunity"],
        ]
        title = _("Closed, no conviction")
    return (
        title,
        headers,
        [
            [
                c["reference"],
                c["mission"],
                date.fromisoformat(c["attack_date"]),
                c["killed"],
                c["injured"],
                c["closed_reason_label"],
                date.fromisoformat(c["closed_on"]) if c["closed_on"] else None,
                c["days_since_progress"],
                c["impunity_label"],
            ]
            for c in rows
        ],
    )
