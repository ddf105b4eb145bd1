"""An export's file and manifest as HTTP attachments (the pages and the API share them).

The manifest travels twice: as the sidecar `<file>.manifest.json` (its own URL) and in the
response headers of the file itself:

    X-Export-Id, X-Export-Kind, X-Export-Format, X-Export-Filters (the filters as a query
    string), X-Export-As-Of, X-Export-Row-Count, X-Export-SHA256, X-Export-Manifest (the
    sidecar's URL), and Link: <sidecar>; rel="describedby".
"""

import json
from typing import IO
from urllib.parse import urlencode

from django.http import FileResponse, HttpResponse

from accountability.exports.models import ExportJob
from accountability.exports.writers import CONTENT_TYPES
from peacekeeping.storage import attachment_response


def manifest_headers(job: ExportJob, *, manifest_url: str) -> dict[str, str]:
    manifest = job.manifest or {}
    return {
        "X-Export-Id": str(job.pk),
        "X-Export-Kind": job.kind,
        "X-Export-Format": job.format,
        "X-Export-Filters": urlencode(job.filters or {}, doseq=True),
        "X-Export-As-Of": manifest.get("as_of", ""),
        "X-Export-Row-Count": str(job.row_count if job.row_count is not None else ""),
        "X-Export-SHA256": job.sha256,
        "X-Export-Manifest": manifest_url,
        "Link": f'<{manifest_url}>; rel="describedby"; type="application/json"',
    }


def export_file_response(job: ExportJob, file: IO[bytes], *, manifest_url: str) -> FileResponse:
    """The file as an attachment named after the kind and the as-of time; the file is
    streamed in blocks and closed (a temporary file: deleted) when the response is."""
    return attachment_response(
        file,
        filename=job.filename,
        content_type=CONTENT_TYPES[job.format],
        headers=manifest_headers(job, manifest_url=manifest_url),
    )


def manifest_response(job: ExportJob) -> HttpResponse:
    """The sidecar manifest, `<file>.manifest.json`, as an attachment."""
    body = json.dumps(job.manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    response = HttpResponse(body.encode(), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{job.filename}.manifest.json"'
    response["Cache-Control"] = "private, no-store"
    return response
