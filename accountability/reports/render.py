"""A report's content rendered in the host State's working language: HTML, PDF, XLSX."""

import io
from datetime import date, datetime

from django.template.loader import render_to_string
from django.utils import translation

from accountability.reports.closed import closed_case_rows, closed_section_labels, closed_sheet
from accountability.reports.labels import choice_labels, report_labels

TEMPLATE = "accountability/reports/followup_report.html"


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def report_view(content: dict, *, version: int) -> dict:
    """The content with every code replaced by its label, ready for a template or sheet."""
    language = content["language"]
    labels = report_labels(language)
    choices = choice_labels(language)
    state = content["host_state"]
    period = content["period"]
    yes, no = labels["yes"], labels["no"]

    def reasons(case: dict) -> str:
        return ", ".join(labels[f"impunity_{reason}"] for reason in case["impunity_reasons"])

    def suspect(row: dict) -> dict:
        return {**row, "status_label": choices["step"].get(row["status"], row["status"])}

    previous = content["previous_report"]
    return {
        "language": language,
        "L": labels,
        "version": version,
        "state_name": state["name_fr"] if language == "fr" else state["name_en"],
        "iso3": state["iso3"],
        "period_label": period["label"],
        "period_kind_label": labels[f"period_{period['kind']}"],
        "period_start": period["start"],
        "period_end": period["end"],
        "as_of": content["as_of"].replace("T", " ").replace("+00:00", " UTC"),
        "attacks_since": content["parameters"]["attacks_since"],
        "detention_threshold_days": content["parameters"]["detention_threshold_days"],
        "previous": (
            f"{previous['period']} v{previous['version']} ({previous['as_of'][:10]})"
            if previous
            else labels["none_previous"]
        ),
        "summary_rows": [
            {**row, "label": labels[row["key"]]} for row in content["summary"]["rows"]
        ],
        "counts": content["summary"]["counts"],
        "cases": [
            {
                **case,
                "stage_label": choices["stage"].get(case["stage"], case["stage"]),
                "investigation_label": choices["investigation_status"].get(
                    case["investigation_status"], case["investigation_status"]
                ),
                "impunity_label": f"{yes} — {reasons(case)}" if case["impunity"] else no,
            }
            for case in content["cases"]
        ],
        # Cases closed without a conviction (accountability/reports/closed.py).
        "closed_cases": closed_case_rows(content),
        "closed_labels": closed_section_labels(language),
        "suspects_at_large": [suspect(row) for row in content["suspects_at_large"]],
        "suspects_detained_without_trial": [
            suspect(row) for row in content["suspects_detained_without_trial"]
        ],
        "communications": [
            {
                **row,
                "channel_label": choices["channel"].get(row["channel"], row["channel"]),
                "overdue_label": yes if row["overdue"] else no,
            }
            for row in content["communications"]
        ],
        "capacity_support": [
            {
                **row,
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
                "kind_label": labels[f"change_{row['kind']}"],
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


def render_pdf(html: str) -> bytes:
    """The HTML page printed by WeasyPrint (imported here: it loads Pango on import)."""
    from weasyprint import HTML

    return HTML(string=html, base_url=None).write_pdf()


_HEADER_FILL = "DDE6F0"


def _sheet(workbook, title: str, headers: list[str], rows: list[list]):
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=_HEADER_FILL)
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A2"
    for index, header in enumerate(headers, start=1):
        longest = max([len(str(header)), *(len(str(r[index - 1] or "")) for r in rows)])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(10, longest + 2), 60)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    return sheet


def render_xlsx(content: dict, *, version: int, content_sha256: str) -> bytes:
    """The report as a workbook: Summary, Cases, Suspects, Communications, Capacity
    support and Changes, with the sheet names and headers in the working language."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    v = report_view(content, version=version)
    L = v["L"]
    workbook = Workbook()
    workbook.remove(workbook.active)
    as_of = datetime.fromisoformat(content["as_of"]).replace(tzinfo=None)
    workbook.properties.creator = "peacekeeping-accountability"
    workbook.properties.title = f"{L['title']} — {v['state_name']} — {v['period_label']}"
    workbook.properties.created = as_of
    workbook.properties.modified = as_of

    summary = _sheet(
        workbook,
        L["summary"],
        [L["indicator"], L["in_period"], L["cumulative"]],
        [[row["label"], row["in_period"], row["cumulative"]] for row in v["summary_rows"]],
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
        summary.append([L[key], count])
    summary.append([])
    for key, value in (
        ("host_state", f"{v['state_name']} ({v['iso3']})"),
        ("period", f"{v['period_label']} ({v['period_start']} – {v['period_end']})"),
        ("as_of", v["as_of"]),
        ("version", v["version"]),
        ("attacks_since", v["attacks_since"]),
        ("previous_report", v["previous"]),
        ("content_sha256", content_sha256),
    ):
        summary.append([L[key], value])
        summary.cell(row=summary.max_row, column=1).font = Font(bold=True)

    _sheet(
        workbook,
        L["cases_sheet"],
        [
            L["reference"],
            L["mission"],
            L["attack_date"],
            L["killed"],
            L["injured"],
            L["stage"],
            L["investigation_status"],
            L["last_progress"],
            L["days_since_attack"],
            L["days_since_progress"],
            L["suspects"],
            L["impunity"],
        ],
        [
            [
                c["reference"],
                c["mission"],
                _date(c["attack_date"]),
                c["killed"],
                c["injured"],
                c["stage_label"],
                c["investigation_label"],
                _date(c["last_progress_on"]),
                c["days_since_attack"],
                c["days_since_progress"],
                c["suspects"],
                c["impunity_label"],
            ]
            for c in v["cases"]
        ],
    )
    closed_title, closed_headers, closed_rows = closed_sheet(content, L)
    _sheet(workbook, closed_title, closed_headers, closed_rows)
    suspects = [
        [L["suspects_at_large"], s["case"], s["name"], s["alias"], s["armed_group"],
         s["status_label"], _date(s["status_since"]), None, None]
        for s in v["suspects_at_large"]
    ] + [
        [L["suspects_detained_without_trial"], s["case"], s["name"], s["alias"],
         s["armed_group"], s["status_label"], _date(s["status_since"]),
         _date(s["custody_since"]), s["days_in_custody"]]
        for s in v["suspects_detained_without_trial"]
    ]  # fmt: skip
    _sheet(
        workbook,
        L["suspects"],
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
    )
    _sheet(
        workbook,
        L["communications_sheet"],
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
                _date(r["sent_on"]),
                r["channel_label"],
                r["summary"],
                _date(r["response_due"]),
                r["overdue_label"],
                r["days_overdue"],
            ]
            for r in v["communications"]
        ],
    )
    _sheet(
        workbook,
        L["capacity_sheet"],
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
                _date(r["date"]),
                r["institution_label"],
                r["kind_label"],
                r["description"],
                r["mission"],
                r["cases_label"],
            ]
            for r in v["capacity_support"]
        ],
    )
    _sheet(
        workbook,
        L["changes_sheet"],
        [L["date"], L["kind"], L["case"], L["detail"]],
        [[_date(r["date"]), r["kind_label"], r["case"], r["detail_label"]] for r in v["changes"]],
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
