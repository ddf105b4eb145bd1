"""Stored files (evidence, reports, exports) read back for a permission-checked download.

Every file goes through Django's storage API (STORAGES["default"]): on one machine the
file system under MEDIA_ROOT, scaled out an S3-compatible bucket (settings, "Scale-out").
The bucket is private and the app hands out no URL to it, signed or not: a download is
always a view that has checked `visible_to(user)` first, and streams the object through.

`storage.open()` of django-storages' S3 backend downloads the whole object into a
SpooledTemporaryFile before the first byte can be sent (in memory, or on the web
machine's disk past AWS_S3_MAX_MEMORY_SIZE). `open_stored` streams the object's body as
S3 sends it instead: memory stays flat however large the export, nothing touches the disk.
"""

from __future__ import annotations

import io
from typing import IO

from django.core.files.storage import Storage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse


class ObjectStream(io.RawIOBase):
    """A read-only stream over an S3 GetObject body, closed with the response."""

    def __init__(self, body, *, size: int, name: str):
        super().__init__()
        self._body = body
        self.size = size
        self.name = name

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._body.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._body.close()
        super().close()


def _is_s3(storage: Storage) -> bool:
    try:
        from storages.backends.s3 import S3Storage
    except ImportError:  # django-storages is a runtime dependency; be safe anyway
        return False
    return isinstance(storage, S3Storage)


def open_stored(field_file: FieldFile) -> IO[bytes]:
    """The stored file, open for reading from its start, for a FileResponse.

    Raises FileNotFoundError when the storage has no such file (the views answer 404).
    The caller (FileResponse) closes it.
    """
    storage = field_file.storage
    if not _is_s3(storage):
        return storage.open(field_file.name, "rb")
    # S3Storage.open() makes a HEAD request (FileNotFoundError on 404) and gives us the
    # object; its body is then read in blocks as FileResponse sends them.
    handle = storage.open(field_file.name, "rb")
    response = handle.obj.get()
    return ObjectStream(response["Body"], size=response["ContentLength"], name=handle.name)


def set_content_length(response: FileResponse, file: IO[bytes]) -> FileResponse:
    """FileResponse measures seekable files itself; give it an object stream's size."""
    size = getattr(file, "size", None)
    if "Content-Length" not in response and isinstance(file, ObjectStream) and size is not None:
        response["Content-Length"] = str(size)
    return response


def attachment_response(
    file: IO[bytes], *, filename: str, content_type: str, headers: dict[str, str] | None = None
) -> FileResponse:
    """`file` as a download, with `headers`: streamed in blocks and closed (a temporary
    file: deleted) with the response. Never kept by a shared cache: it was sent after a
    permission check."""
    response = FileResponse(
        file, as_attachment=True, filename=filename, content_type=content_type, headers=headers
    )
    response["Cache-Control"] = "private, no-store"
    return set_content_length(response, file)
