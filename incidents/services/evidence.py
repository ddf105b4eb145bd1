"""Evidence: files kept with an incident."""

import codecs
import hashlib
import re
import unicodedata
import uuid
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath

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


def file_too_large_message() -> str:
    """The refusal of a file over ATTACHMENT_MAX_BYTES, whether the service measured it or
    the upload was cut off as it arrived (peacekeeping/uploads.py)."""
    max_bytes = getattr(settings, "ATTACHMENT_MAX_BYTES", DEFAULT_ATTACHMENT_MAX_BYTES)
    return _("The file is larger than the %(size)s allowed.") % {"size": _human_size(max_bytes)}


def _sniff(head: bytes) -> tuple[str, str] | None:
    for magic, content_type, extension in _MAGIC:
        if head.startswith(magic):
            return content_type, extension
    return None


def clean_file_name(name: str, extension: str) -> str:
    """The name a file is kept and downloaded under: the client's, without its folders,
    without control or bidirectional characters (U+202E would show `exe.txt` for
    `txt.exe`), and with the extension of what the bytes are (a PDF named payload.exe is
    kept and downloaded as payload.pdf)."""
    name = unicodedata.normalize("NFC", str(name or "")).replace("\\", "/")
    name = PurePosixPath(name).name
    # Cc: controls; Cf: format characters (bidirectional overrides and isolates, zero
    # width joiners); Co, Cs, Cn: private, surrogate and unassigned code points.
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = " ".join(name.split()).strip(" .")
    stem = name.rsplit(".", 1)[0].strip(" .") if "." in name else name
    return f"{stem[:200] or 'evidence'}{extension}"


# Names in a PDF that run something: JavaScript, an action on opening the document
# (OpenAction) or on other events (AA), or another program (Launch). A name may be
# written with #xx escapes (/J#61vaScript), which are decoded before the search.
_PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|OpenAction|AA|Launch)(?=[\s/<>\[\]()%]|$)")
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.DOTALL)
# How much of one compressed object stream is inflated for the search (a zip bomb stops).
_PDF_INFLATE_LIMIT = 16 * 1024 * 1024


def _pdf_names(data: bytes) -> set[str]:
    data = _PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), data)
    return {m.group(1).decode() for m in _PDF_ACTIVE.finditer(data)}


def pdf_active_content(uploaded_file) -> list[str]:
    """The active features of a PDF (JavaScript, OpenAction, AA, Launch), sorted.

    Dictionaries are searched outside streams (a stream's bytes are data, where any
    sequence occurs by chance), and inside compressed object streams (/ObjStm), where
    a PDF 1.5+ may hide its dictionaries.
    """
    uploaded_file.seek(0)
    data = b"".join(uploaded_file.chunks())
    found: set[str] = set()
    outside = []
    position = 0
    for stream in _PDF_STREAM.finditer(data):
        dictionary = data[max(position, stream.start() - 2048) : stream.start()]
        outside.append(data[position : stream.start()])
        position = stream.end()
        if b"/ObjStm" in dictionary.rsplit(b"obj", 1)[-1]:
            try:
                inflated = zlib.decompressobj().decompress(stream.group(1), _PDF_INFLATE_LIMIT)
            except zlib.error:
                continue
            found |= _pdf_names(inflated)
    outside.append(data[position:])
    found |= _pdf_names(b"".join(outside))
    return sorted(found)


def _is_docx(uploaded_file) -> bool:
    uploaded_file.seek(0)
    try:
        with zipfile.ZipFile(uploaded_file) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


@dataclass(frozen=True)
class CheckedFile:
    """An uploaded file that passed `check_upload`: its type found from its bytes."""

    content_type: str
    extension: str
    sha256: str
    size: int
    original_name: str
    given_name: str


def check_upload(uploaded_file) -> CheckedFile:
    """The one rule for every uploaded document (evidence, a State's answer): the type is
    read from the file's first bytes (PDF, JPEG, PNG, .docx, or UTF-8 text); anything
    else, anything over ATTACHMENT_MAX_BYTES, an empty file and a PDF with active content
    (JavaScript, OpenAction, AA, Launch) is refused with a DomainError on `uploaded_file`.
    """
    max_bytes = getattr(settings, "ATTACHMENT_MAX_BYTES", DEFAULT_ATTACHMENT_MAX_BYTES)
    too_big = DomainError(file_too_large_message(), field="uploaded_file")
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
    if content_type == "application/pdf":
        active = pdf_active_content(uploaded_file)
        if active:
            raise DomainError(
                _(
                    "This PDF contains content that runs when it is opened (%(features)s), "
                    "which could attack whoever reads it; print it to a new PDF and send that."
                )
                % {"features": ", ".join(active)},
                field="uploaded_file",
                code="active_content",
            )

    given_name = str(getattr(uploaded_file, "name", "") or "")
    uploaded_file.seek(0)
    return CheckedFile(
        content_type=content_type,
        extension=extension,
        sha256=digest.hexdigest(),
        size=size,
        original_name=clean_file_name(given_name, extension),
        given_name=given_name,
    )


@transaction.atomic
def attachment_add(
    *, actor, incident: Incident, uploaded_file, description: str = ""
) -> Attachment:
    """Keep an evidence file under a generated name, with its SHA-256 and size.

    The type is read from the file's first bytes (PDF, JPEG, PNG, .docx, or UTF-8 text);
    anything else, anything over ATTACHMENT_MAX_BYTES, and a PDF with active content
    (JavaScript, OpenAction, AA, Launch) is refused. The name is cleaned and takes the
    extension of the type found (`clean_file_name`). Evidence may be
    added to a verified incident: it documents the facts without changing them.
    """
    checked = check_upload(uploaded_file)
    content_type, extension = checked.content_type, checked.extension
    size, given_name, original_name = checked.size, checked.given_name, checked.original_name
    attachment = Attachment(
        incident=incident,
        original_name=original_name,
        sha256=checked.sha256,
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
                "name_given": [None, given_name[:255]],
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
