"""A report's content rendered in the host State's working language: HTML, PDF, XLSX.

`report_view` turns the content's codes and ISO dates into the language's labels and
dates once; the HTML page (template), the PDF (Typst, pdf.py) and the workbook
(workbook.py) all print that one view, so the three say the same thing in the same terms.
"""

from datetime import date

from django.template.loader import render_to_string
from django.utils import translation

from accountability.reports.closed import closed_case_rows, closed_section_labels
from accountability.reports.labels import (
    choice_labels,
    count_of_victims,
    format_date,
    period_name,
    report_labels,
)

TEMPLATE = "accountability/reports/followup_report.html"
# The report's document symbol: State, period and version make it unique.
DOCUMENT_SYMBOL = "UN/R2589/FUR/{iso3}/{period}/{version}"


def document_symbol(iso3: str, period_label: str, version: int) -> str:
    return DOCUMENT_SYMBOL.format(iso3=iso3, period=period_label, version=version)


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _country_name(country: dict, language: str) -> str:
    return country["name_fr"] if language == "fr" else country["name_en"]


def names_suspects(content: dict) -> bool:
    """Whether the report names anyone suspected: then every page is marked confidential."""
    return bool(
        content["suspects_at_large"]
        or content["suspects_detained_without_trial"]
        or any(row["suspect"] for row in content["changes"])
        or any(case.get("suspect_history") for case in content["cases"])
    )


def report_view(content: dict, *, version: int) -> dict:
    """The content with every code replaced by its label, ready for a template or sheet."""
    language = content["language"]
    with translation.override(language):
        return _view(content, version=version, language=language)


def _view(content: dict, *, version: int, language: str) -> dict:
    L = report_labels(language)
    choices = choice_labels(language)
    colon = L["colon"]
    state = content["host_state"]
    period = content["period"]
    yes, no = L["yes"], L["no"]

    def day(value: str | None) -> str:
        return format_date(_day(value), L)

    def reasons(case: dict) -> str:
        return ", ".join(L[f"impunity_{reason}"] for reason in case["impunity_reasons"])

    def step_line(step: dict) -> str:
        text = f"{day(step['date'])} — {choices['step'].get(step['kind'], step['kind'])}"
        if step["legal_term"]:
            text += f" ({step['legal_term']})"
        if step["sentence"]:
            text += f" — {step['sentence']}"
        return text

    def victim(item: dict) -> dict:
        contingent = _country_name(item["contingent"], language)
        if item["unit"]:
            contingent = f"{contingent} ({item['unit']})" if contingent else item["unit"]
        row = {
            "count": count_of_victims(item["outcome"], item["count"], language),
            "category": choices["category"].get(item["category"], item["category"]),
            "nationality": _country_name(item["nationality"], language),
            "contingent": contingent,
        }
        parts = [row["count"], row["category"]]
        if row["nationality"]:
            parts.append(f"{L['nationality']}{colon} {row['nationality']}")
        if contingent:
            parts.append(f"{L['contingent']}{colon} {contingent}")
        row["line"] = " — ".join(parts)
        return row

    def follow_up_line(item: dict) -> str:
        channel = choices["channel"].get(item["channel"], item["channel"])
        text = f"{day(item['sent_on'])} — {channel}{colon} {item['summary']}"
        if item["response_received_on"]:
            text += f" — {L['response_received']} {day(item['response_received_on'])}"
            if item["outcome"]:
                text += f"{colon} {item['outcome']}"
        else:
            text += f" — {L['no_response']}"
        return text

    def suspect_name(suspect: dict) -> str:
        """Name, alias in the language's quotation marks, armed group."""
        text = suspect["name"]
        if suspect["alias"]:
            alias = suspect["alias"]
            text += f" «\u00a0{alias}\u00a0»" if language == "fr" else f" “{alias}”"
        if suspect["armed_group"]:
            text += f" ({suspect['armed_group']})"
        return text

    def case_row(case: dict) -> dict:
        suspects = [
            {"name": suspect_name(suspect), "steps": [step_line(step) for step in suspect["steps"]]}
            for suspect in case.get("suspect_history", [])
        ]
        return {
            **case,
            "attack_date_label": day(case["attack_date"]),
            "last_progress_label": day(case["last_progress_on"]),
            "stage_label": choices["stage"].get(case["stage"], case["stage"]),
            "investigation_label": choices["investigation_status"].get(
                case["investigation_status"], case["investigation_status"]
            ),
            "impunity_label": f"{yes} — {reasons(case)}" if case["impunity"] else no,
            "place_label": "; ".join(
                ", ".join(part for part in (p["place"], p["admin_area"]) if part)
                for p in case.get("places", [])
            ),
            "victim_rows": [victim(item) for item in case.get("victims", [])],
            "suspect_rows": suspects,
            "follow_up_lines": [follow_up_line(f) for f in case.get("follow_ups", [])],
            "request_lines": [L[f"request_{code}"] for code in case.get("un_requests", [])],
        }

    def suspect(row: dict) -> dict:
        return {
            **row,
            "status_label": choices["step"].get(row["status"], row["status"]),
            "status_since_label": day(row["status_since"]),
            "custody_since_label": day(row.get("custody_since")),
        }

    previous = content["previous_report"]
    as_of_day = _day(content["as_of_date"])
    un_file_until = (content.get("sources") or {}).get("un_file_until")
    attacks_since = content["parameters"]["attacks_since"]
    symbol = document_symbol(state["iso3"], period["label"], version)
    return {
        "language": language,
        "L": L,
        "colon": colon,
        "version": version,
        "symbol": symbol,
        "document_date": format_date(as_of_day, L, long=True),
        "addressee": content.get("addressee") or [],
        "confidential": names_suspects(content),
        "state_name": _country_name(state, language),
        "iso3": state["iso3"],
        "period_label": period["label"],
        "period_name": period_name(period["kind"], _day(period["start"]), L),
        "period_range": f"{day(period['start'])} – {day(period['end'])}",
        "as_of": content["as_of"].replace("T", " ").replace("+00:00", " UTC"),
        "as_of_time": content["as_of"][11:19] + " UTC",
        "as_of_long": format_date(as_of_day, L, long=True),
        "attacks_since": format_date(_day(attacks_since), L, long=True),
        "detention_threshold_days": content["parameters"]["detention_threshold_days"],
        "previous": (
            f"{previous['period']} v{previous['version']} ({day(previous['as_of'][:10])})"
            if previous
            else L["none_previous"]
        ),
        "sources_text": (
            L["sources_text"].format(un_file_end=format_date(_day(un_file_until), L, long=True))
            if un_file_until
            else L["sources_no_un_file"]
        ),
        "capacity_title": L["capacity_support"].format(
            date=format_date(_day(attacks_since), L, long=True)
        ),
        "summary_rows": [{**row, "label": L[row["key"]]} for row in content["summary"]["rows"]],
        "counts": content["summary"]["counts"],
        "cases": [case_row(case) for case in content["cases"]],
        # Cases closed without a conviction (accountability/reports/closed.py), with the
        # same per-case details as the open ones.
        "closed_cases": [
            {**case_row(case), "closed_reason_label": row["closed_reason_label"]}
            for case, row in zip(
                content.get("closed_cases", []), closed_case_rows(content), strict=True
            )
        ],
        "closed_labels": closed_section_labels(language),
        "suspects_at_large": [suspect(row) for row in content["suspects_at_large"]],
        "suspects_detained_without_trial": [
            suspect(row) for row in content["suspects_detained_without_trial"]
        ],
        "communications": [
            {
                **row,
                "sent_on_label": day(row["sent_on"]),
                "response_due_label": day(row["response_due"]),
                "channel_label": choices["channel"].get(row["channel"], row["channel"]),
                "overdue_label": yes if row["overdue"] else no,
            }
            for row in content["communications"]
        ],
        "capacity_support": [
            {
                **row,
                "date_label": day(row["date"]),
                "institution_label": choices["institution"].get(
                    row["institution"], row["institution"]
                ),
                "kind_label": choices["support_kind"].get(row["kind"], row["kind"]),
                "cases_label": ", ".join(row["cases"]),
            }
            for row in content["capacity_support"]
        ],
        "changes": [
            {
                **row,
                "date_label": day(row["date"]),
                "kind_label": L[f"change_{row['kind']}"],
                "detail_label": " — ".join(
                    part
                    for part in (
                        row["suspect"],
                        choices["step"].get(row["step"], "") if row["step"] else "",
                        choices["authority"].get(row["authority"], "") if row["authority"] else "",
                        row["detail"],
                    )
                    if part
                ),
            }
            for row in content["changes"]
        ],
    }


def render_html(content: dict, *, version: int, content_sha256: str) -> str:
    """The report as one self-contained HTML page, in the State's working language."""
    view = report_view(content, version=version)
    with translation.override(view["language"]):
        return render_to_string(TEMPLATE, {**view, "content_sha256": content_sha256})


def render_pdf(content: dict, *, version: int, content_sha256: str) -> bytes:
    """The report as a PDF, typeset by Typst (see pdf.py for why not WeasyPrint)."""
    from accountability.reports.pdf import typeset

    return typeset(report_view(content, version=version), content_sha256=content_sha256)


def render_xlsx(content: dict, *, version: int, content_sha256: str) -> bytes:
    """The report as a workbook (workbook.py)."""
    from accountability.reports.workbook import write_workbook

    return write_workbook(content, report_view(content, version=version), content_sha256)
