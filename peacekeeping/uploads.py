"""Uploads over the size limit are refused while they arrive, not after.

Django reads a whole multipart body (to memory or a temporary file) before a view sees
it, so a 2 GB "evidence file" would be read and written to disk before the service
refused it. `LimitedUploadHandler`, first in FILE_UPLOAD_HANDLERS, counts each file's
bytes as they stream in; at the first chunk past ATTACHMENT_MAX_BYTES it stops the
parsing (`StopUpload(connection_reset=True)`: the rest of the body is never read) and
notes the file's name on the request. The view then answers with a clear error
(`refused_uploads(request)`), and nothing is stored.
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

DEFAULT_UPLOAD_MAX_BYTES = 20 * 1024 * 1024


def upload_max_bytes() -> int:
    return getattr(settings, "ATTACHMENT_MAX_BYTES", DEFAULT_UPLOAD_MAX_BYTES)


def refused_uploads(request) -> list[str]:
    """Names of the files cut off because they passed the limit (empty if none)."""
    return list(getattr(request, "refused_uploads", ()))


class LimitedUploadHandler(FileUploadHandler):
    """Passes every chunk on to the next handler, until a file passes the limit."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > upload_max_bytes():
            refused = getattr(self.request, "refused_uploads", [])
            refused.append(self.file_name or "")
            self.request.refused_uploads = refused
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None
