"""The report as a workbook: the same view as the HTML page and the PDF, one sheet per
section, every text cell written as the exports write it (never a live formula)."""

import io
from datetime import date, datetime

from accountability.exports.writers import xlsx_text
from accountability.reports.closed import closed_sheet

_HEADER_FILL = "DDE6F0"
SHEET_NAME_LIMIT = 31  # Excel refuses longer sheet names: the labels are chosen to fit.


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _cell(value):
    return xlsx_text(value) if isinstance(value, str) else value


def _sheet(workbook, title: str, headers: list[str], rows: list[list], *, marking: str = ""):
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    if len(title) > SHEET_NAME_LIMIT:
        raise ValueError(f"Sheet name over {SHEET_NAME_LIMIT} characters: {title!r}")
    sheet = workbook.create_sheet(title=title)
    sheet.append([_cell(header) for header in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=_HEADER_FILL)
    widths = [len(str(header)) for header in headers]
    for row in rows:
        cells = [_cell(value) for value in row]
        sheet.append(cells)
        for index, value in enumerate(cells):
            if value is not None:
                widths[index] = max(widths[index], len(str(value)))
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(10, width + 2), 60)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, date):
                cell.number_format = "dd/mm/yyyy"
    if marking:
        # Printed at the top of every page of the sheet.
        sheet.oddHeader.center.text = marking
        sheet.evenHeader.center.text = marking
    return sheet


def write_workbook(content: dict, v: dict, content_sha256: str) -> bytes:
    """Summary, Cases, Victims, Procedure, Suspects, Communications, Capacity support and
    Changes, with the sheet names and headers in the working language."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    L = v["L"]
    marking = L["confidential"] if v["confidential"] else ""
    workbook = Workbook()
    workbook.remove(workbook.active)
    as_of = datetime.fromisoformat(content["as_of"]).replace(tzinfo=None)
    workbook.properties.creator = "peacekeeping-accountability"
    workbook.properties.title = f"{L['title']} — {v['state_name']} — {v['period_name']}"
    workbook.properties.created = as_of
    workbook.properties.modified = as_of

    summary = _sheet(
        workbook,
        L["sheet_summary"],
        [L["indicator"], L["in_period"], L["cumulative"]],
        [[row["label"], row["in_period"], row["cumulative"]] for row in v["summary_rows"]],
        marking=marking,
    )
    counts = v["counts"]
    summary.append([])
    for key, count in (
        ("open_cases_count", counts["open_cases"]),
        ("impunity_cases_count", counts["impunity_cases"]),
        ("suspects_at_large", counts["suspects_at_large"]),
        ("suspects_detained_without_trial", counts["suspects_detained_without_trial"]),
        ("communications", counts["outstanding_communications"]),
        ("overdue_responses", counts["overdue_responses"]),
    ):
        summary.append([_cell(L[key]), count])
    summary.append([])
    meta = [
        ("symbol", v["symbol"]),
        ("date_of_document", v["document_date"]),
        ("addressee", " / ".join(v["addressee"]) or L["addressee_missing"]),
        ("host_state", f"{v['state_name']} ({v['iso3']})"),
        ("period", f"{v['period_name']} ({v['period_range']})"),
        ("as_of", v["as_of"]),
        ("version", v["version"]),
        ("attacks_since", v["attacks_since"]),
        ("previous_report", v["previous"]),
        ("sources", v["sources_text"]),
        ("content_sha256", content_sha256),
    ]
    if marking:
        meta.insert(0, ("confidential", marking))
    for key, value in meta:
        summary.append([_cell(L[key]), _cell(value)])
        summary.cell(row=summary.max_row, column=1).font = Font(bold=True)

    cases = v["cases"]
    _sheet(
        workbook,
        L["sheet_cases"],
        [
            L["reference"],
            L["mission"],
            L["attack_date"],
            L["place"],
            L["killed"],
            L["injured"],
            L["stage"],
            L["investigation_status"],
            L["last_progress"],
            L["days_since_attack"],
            L["days_since_progress"],
            L["suspects"],
            L["impunity"],
            L["un_request"],
            L["communications"],
        ],
        [
            [
                c["reference"],
                c["mission"],
                _day(c["attack_date"]),
                c["place_label"],
                c["killed"],
                c["injured"],
                c["stage_label"],
                c["investigation_label"],
                _day(c["last_progress_on"]),
                c["days_since_attack"],
                c["days_since_progress"],
                c["suspects"],
                c["impunity_label"],
                " ".join(c["request_lines"]),
                "\n".join(c["follow_up_lines"]),
            ]
            for c in cases
        ],
        marking=marking,
    )
    # Cases closed without a conviction (accountability/reports/closed.py).
    closed_title, closed_headers, closed_rows = closed_sheet(content, L)
    _sheet(workbook, closed_title, closed_headers, closed_rows, marking=marking)
    _sheet(
        workbook,
        L["sheet_victims"],
        [L["case"], L["victims"], L["category"], L["nationality"], L["contingent"]],
        [
            [c["reference"], row["count"], row["category"], row["nationality"], row["contingent"]]
            for c in cases
            for row in c["victim_rows"]
        ],
        marking=marking,
    )
    _sheet(
        workbook,
        L["sheet_procedure"],
        [L["case"], L["name"], L["procedure"]],
        [
            [c["reference"], suspect["name"], step]
            for c in cases
            for suspect in c["suspect_rows"]
            for step in suspect["steps"] or [""]
        ],
        marking=marking,
    )
    suspects = [
        [L["suspects_at_large"], s["case"], s["name"], s["alias"], s["armed_group"],
         s["status_label"], _day(s["status_since"]), None, None]
        for s in v["suspects_at_large"]
    ] + [
        [L["suspects_detained_without_trial"], s["case"], s["name"], s["alias"],
         s["armed_group"], s["status_label"], _day(s["status_since"]),
         _day(s["custody_since"]), s["days_in_custody"]]
        for s in v["suspects_detained_without_trial"]
    ]  # fmt: skip
    _sheet(
        workbook,
        L["sheet_suspects"],
        [
            L["list"],
            L["case"],
            L["name"],
            L["alias"],
            L["armed_group"],
            L["status"],
            L["status_since"],
            L["custody_since"],
            L["days_in_custody"],
        ],
        suspects,
        marking=marking,
    )
    _sheet(
        workbook,
        L["sheet_communications"],
        [
            L["case"],
            L["sent_on"],
            L["channel"],
            L["subject"],
            L["response_due"],
            L["overdue"],
            L["days_overdue"],
        ],
        [
            [
                r["case"],
                _day(r["sent_on"]),
                r["channel_label"],
                r["summary"],
                _day(r["response_due"]),
                r["overdue_label"],
                r["days_overdue"],
            ]
            for r in v["communications"]
        ],
        marking=marking,
    )
    _sheet(
        workbook,
        L["sheet_capacity"],
        [
            L["date"],
            L["institution"],
            L["kind"],
            L["description"],
            L["mission"],
            L["related_cases"],
        ],
        [
            [
                _day(r["date"]),
                r["institution_label"],
                r["kind_label"],
                r["description"],
                r["mission"],
                r["cases_label"],
            ]
            for r in v["capacity_support"]
        ],
        marking=marking,
    )
    _sheet(
        workbook,
        L["sheet_changes"],
        [L["date"], L["kind"], L["case"], L["detail"]],
        [[_day(r["date"]), r["kind_label"], r["case"], r["detail_label"]] for r in v["changes"]],
        marking=marking,
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
