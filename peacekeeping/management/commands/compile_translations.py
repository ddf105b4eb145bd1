"""Compile the .po files of LOCALE_PATHS into .mo files, in pure Python.

Django's `compilemessages` needs GNU gettext's `msgfmt`, which a bare machine or a slim
image may lack; this command needs nothing but Python. It writes the same GNU .mo format
as `msgfmt` (the algorithm of CPython's Tools/i18n/msgfmt.py): fuzzy and untranslated
entries are left out, as `msgfmt` does. `make install` and the Docker build run it; the
.mo files are build output and are not committed.

`--check` compiles nothing and fails if any entry is fuzzy or untranslated.
"""

import ast
import struct
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


@dataclass
class Entry:
    """One message of a .po file."""

    msgid: str = ""
    msgstr: dict[int, str] = field(default_factory=dict)
    msgid_plural: str | None = None
    msgctxt: str | None = None
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values())


def read_po(path: Path) -> list[Entry]:
    """The entries of a .po file (obsolete `#~` entries are skipped; the header included)."""
    entries: list[Entry] = []
    entry = Entry()
    section: tuple[str, int] | None = None

    def flush():
        nonlocal entry, section
        if section is not None:
            entries.append(entry)
        entry, section = Entry(), None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if line.startswith("#,"):
            if section is not None and section[0] == "msgstr":
                flush()
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        if not line or line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            if section is None:
                raise CommandError(f"{path}:{number}: a string outside any message.")
            value = ast.literal_eval(line)
        else:
            index = 0
            if keyword.startswith("msgstr["):
                index = int(keyword[len("msgstr[") : -1])
                keyword = "msgstr"
            if keyword not in {"msgctxt", "msgid", "msgid_plural", "msgstr"}:
                raise CommandError(f"{path}:{number}: unknown keyword {keyword!r}.")
            if keyword in {"msgctxt", "msgid"} and section and section[0] == "msgstr":
                flush()
            if keyword == "msgid" and not entry.line:
                entry.line = number
            section = (keyword, index)
            value = ast.literal_eval(rest)
            if keyword == "msgstr":
                entry.msgstr.setdefault(index, "")
            elif keyword == "msgctxt":
                entry.msgctxt = ""
            elif keyword == "msgid_plural":
                entry.msgid_plural = ""
        name, index = section
        if name == "msgstr":
            entry.msgstr[index] += value
        elif name == "msgid":
            entry.msgid += value
        elif name == "msgctxt":
            entry.msgctxt += value
        else:
            entry.msgid_plural += value
    flush()
    return entries


def mo_bytes(entries: list[Entry]) -> bytes:
    """The GNU .mo file of the translated, non-fuzzy entries (the header always kept)."""
    messages: dict[bytes, bytes] = {}
    for entry in entries:
        is_header = entry.msgid == "" and entry.msgctxt is None
        if not is_header and (entry.fuzzy or not entry.translated):
            continue
        key = entry.msgid
        if entry.msgid_plural is not None:
            key += "\0" + entry.msgid_plural
        if entry.msgctxt is not None:
            key = entry.msgctxt + "\x04" + key
        value = "\0".join(entry.msgstr[i] for i in sorted(entry.msgstr))
        messages[key.encode()] = value.encode()

    keys = sorted(messages)
    ids = strs = b""
    offsets = []
    for key in keys:
        offsets.append((len(ids), len(key), len(strs), len(messages[key])))
        ids += key + b"\0"
        strs += messages[key] + b"\0"
    # Header (7 words), then the two index tables (2 words a message each), then the data.
    keys_start = 7 * 4 + 16 * len(keys)
    values_start = keys_start + len(ids)
    key_table: list[int] = []
    value_table: list[int] = []
    for id_offset, id_length, str_offset, str_length in offsets:
        key_table += [id_length, id_offset + keys_start]
        value_table += [str_length, str_offset + values_start]
    header = struct.pack(
        "Iiiiiii",
        0x950412DE,  # magic
        0,  # version
        len(keys),
        7 * 4,  # start of the key index
        7 * 4 + 8 * len(keys),  # start of the value index
        0,  # no hash table
        0,
    )
    return (
        header
        + struct.pack(f"{len(key_table)}i", *key_table)
        + struct.pack(f"{len(value_table)}i", *value_table)
        + ids
        + strs
    )


def po_files() -> list[Path]:
    return sorted(
        path for folder in settings.LOCALE_PATHS for path in Path(folder).glob("*/LC_MESSAGES/*.po")
    )


class Command(BaseCommand):
    help = "Compile the .po files of LOCALE_PATHS into .mo files (no msgfmt needed)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; fail if an entry is fuzzy or untranslated.",
        )

    def handle(self, *args, check: bool = False, **options):
        files = po_files()
        if not files:
            raise CommandError("No .po file under LOCALE_PATHS.")
        problems = []
        for po in files:
            entries = read_po(po)
            if check:
                problems += [
                    f"{po}:{entry.line}: {'fuzzy' if entry.fuzzy else 'untranslated'}: "
                    f"{entry.msgid!r}"
                    for entry in entries
                    if entry.msgid and (entry.fuzzy or not entry.translated)
                ]
                continue
            mo = po.with_suffix(".mo")
            mo.write_bytes(mo_bytes(entries))
            if options["verbosity"] > 1:
                self.stdout.write(f"{po} -> {mo.name}")
        if problems:
            raise CommandError("\n".join(problems))
        if not check and options["verbosity"]:
            self.stdout.write(f"Compiled {len(files)} translation file(s).")
