"""A report's file as an HTTP attachment (the page and the API share it)."""

from django.http import FileResponse

from accountability.reports.models import CONTENT_TYPES, FollowUpReport
from peacekeeping.storage import attachment_response, open_stored


def report_file_response(report: FollowUpReport, fmt: str) -> FileResponse:
    """Stream the file, named after the State, period and version, with its SHA-256."""
    return attachment_response(
        open_stored(report.file_for(fmt)),
        filename=(
            f"followup-report-{report.subject_code}-{report.period_label}-v{report.version}.{fmt}"
        ),
        content_type=CONTENT_TYPES[fmt],
        headers={"X-Content-SHA256": report.sha256_for(fmt)},
    )
