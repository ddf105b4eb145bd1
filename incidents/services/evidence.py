"""Evidence: files kept with an incident."""

import codecs
import hashlib
import uuid
import zipfile
from pathlib import PurePath

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from incidents.models import Attachment, Incident
from incidents.services.common import actor_user
from peacekeeping.audit import audit_record
from peacekeeping.errors import DomainError

DEFAULT_ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Accepted evidence: content type and stored extension, recognised by magic bytes only
# (the client's name and declared type are not trusted).
_MAGIC = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"PK\x03\x04", DOCX_CONTENT_TYPE, ".docx"),
)
_ACCEPTED_TYPES_TEXT = gettext_noop("PDF, JPEG, PNG, plain text (UTF-8) or Word (.docx)")


def _human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return _("%(size)g MB") % {"size": size / (1024 * 1024)}
    if size >= 1024:
        return _("%(size)g KB") % {"size": size / 1024}
    return _("%(size)d bytes") % {"size": size}


def _sniff(head: bytes) -> tuple[str, str] | None:
    for magic, content_type, extension in _MAGIC:
        if head.startswith(magic):
            return content_type, extension
    return None


def _is_docx(uploaded_file) -> bool:
    uploaded_file.seek(0)
    try:
        with zipfile.ZipFile(uploaded_file) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


@transaction.atomic
def attachment_add(
    *, actor, incident: Incident, uploaded_file, description: str = ""
) -> Attachment:
    """Keep an evidence file under a generated name, with its SHA-256 and size.

    The type is read from the file's first bytes (PDF, JPEG, PNG, .docx, or UTF-8 text);
    anything else, and anything over ATTACHMENT_MAX_BYTES, is refused. Evidence may be
    added to a verified incident: it documents the facts without changing them.
    """
    max_bytes = getattr(settings, "ATTACHMENT_MAX_BYTES", DEFAULT_ATTACHMENT_MAX_BYTES)
    too_big = DomainError(
        _("The file is larger than the %(size)s allowed.") % {"size": _human_size(max_bytes)},
        field="uploaded_file",
    )
    declared = getattr(uploaded_file, "size", None)
    if declared is not None and declared > max_bytes:
        raise too_big

    digest = hashlib.sha256()
    size = 0
    sniffed: tuple[str, str] | None = None
    head = b""
    text = codecs.getincrementaldecoder("utf-8")()
    is_text = True
    uploaded_file.seek(0)
    for chunk in uploaded_file.chunks():
        size += len(chunk)
        if size > max_bytes:
            raise too_big
        digest.update(chunk)
        if len(head) < 16:
            head += chunk[: 16 - len(head)]
        if is_text:
            try:
                text.decode(chunk)
                is_text = b"\x00" not in chunk
            except UnicodeDecodeError:
                is_text = False
    if size == 0:
        raise DomainError(_("The file is empty."), field="uploaded_file")
    sniffed = _sniff(head)
    if sniffed is None and is_text:
        try:
            text.decode(b"", final=True)
            sniffed = ("text/plain", ".txt")
        except UnicodeDecodeError:
            sniffed = None
    if sniffed is not None and sniffed[0] == DOCX_CONTENT_TYPE and not _is_docx(uploaded_file):
        sniffed = None
    if sniffed is None:
        raise DomainError(
            _("This type of file is not accepted as evidence; send a %(types)s.")
            % {"types": _(_ACCEPTED_TYPES_TEXT)},
            field="uploaded_file",
        )
    content_type, extension = sniffed

    original_name = PurePath(getattr(uploaded_file, "name", "") or "").name[:255] or "file"
    attachment = Attachment(
        incident=incident,
        original_name=original_name,
        sha256=digest.hexdigest(),
        size=size,
        content_type=content_type,
        description=description,
        uploaded_by=actor_user(actor),
    )
    uploaded_file.seek(0)
    attachment.file.save(f"{uuid.uuid4().hex}{extension}", uploaded_file, save=False)
    try:
        attachment.save()
        audit_record(
            actor=actor,
            action="attachment.add",
            obj=attachment,
            changes={
                "incident_id": [None, incident.pk],
                "file": [None, attachment.file.name],
                "original_name": [None, original_name],
                "sha256": [None, attachment.sha256],
                "size": [None, size],
                "content_type": [None, content_type],
            },
        )
    except Exception:
        # The file is on disk but its row will not be: do not leave an orphan behind.
        attachment.file.delete(save=False)
        raise
    return attachment
