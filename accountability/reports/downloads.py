"""A report's file as an HTTP attachment (the page and the API share it)."""

from django.http import FileResponse

from accountability.reports.models import CONTENT_TYPES, FollowUpReport
from peacekeeping.storage import open_stored, set_content_length


def report_file_response(report: FollowUpReport, fmt: str) -> FileResponse:
    """Stream the file, named after the State, period and version, with its SHA-256."""
    file = open_stored(report.file_for(fmt))
    response = FileResponse(
        file,
        as_attachment=True,
        filename=(
            f"followup-report-{report.host_state.iso3}-{report.period_label}"
            f"-v{report.version}.{fmt}"
        ),
        content_type=CONTENT_TYPES[fmt],
    )
    response["X-Content-SHA256"] = report.sha256_for(fmt)
    return set_content_length(response, file)
