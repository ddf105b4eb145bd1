"""The words of a case's timeline, written when they are read, in the reader's language.

A CaseEvent stores a kind (CaseEventKind) and parameters: codes of choices, references,
ISO dates, names of places in both languages; `description` holds only what a person
typed (a note, a summary, the host State's answer), shown as typed. `event_text` puts
them into a sentence of the current language. A line written before kinds had
parameters (none of them) shows its stored description.

`*_params` build the parameters the services store, so writing and reading agree.
"""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accountability.choices import (
    CaseEventKind,
    FollowUpChannel,
    Institution,
    InvestigatingAuthority,
    InvestigationStatus,
    SupportKind,
)
from peacekeeping.dates import prose_date

K = CaseEventKind


def in_both_languages(*, en: str, fr: str) -> dict[str, str]:
    """A name stored in both languages (a country's); the reader's is shown."""
    return {"en": en, "fr": fr or en}


def _name(value) -> str:
    if isinstance(value, dict):
        language = (get_language() or "en")[:2]
        return value.get(language) or value.get("en") or ""
    return str(value or "")


def _label(choices, code: str | None) -> str:
    if not code:
        return ""
    try:
        return str(choices(code).label)
    except ValueError:
        return code


def _sentence(kind: str, p: dict) -> str:
    if kind == K.CASE_OPENED:
        incidents = ", ".join(p.get("incidents", []))
        if p.get("by_import"):
            return _("Case opened by an import for %(incidents)s.") % {"incidents": incidents}
        return _("Case opened for %(incidents)s.") % {"incidents": incidents}
    if kind == K.INCIDENT_JOINED:
        return _("%(incident)s joined to the case.") % {"incident": p.get("incident", "")}
    if kind == K.HOST_STATE_ASSIGNED:
        return _("Host State with jurisdiction: %(state)s.") % {"state": _name(p.get("host_state"))}
    if kind == K.INVESTIGATION_OPENED:
        by = _label(InvestigatingAuthority, p.get("authority"))
        if p.get("authority_name"):
            by = f"{by} ({p['authority_name']})"
        return _("Investigation opened by %(by)s.") % {"by": by}
    if kind == K.INVESTIGATION_STATUS:
        return _("Investigation by %(by)s: %(before)s → %(after)s.") % {
            "by": _label(InvestigatingAuthority, p.get("authority")),
            "before": _label(InvestigationStatus, p.get("before")),
            "after": _label(InvestigationStatus, p.get("after")),
        }
    if kind == K.FOLLOW_UP:
        channel = _label(FollowUpChannel, p.get("channel"))
        if p.get("response_due"):
            return _("%(channel)s to the host State, response due %(due)s:") % {
                "channel": channel,
                "due": prose_date(p["response_due"]),
            }
        return _("%(channel)s to the host State:") % {"channel": channel}
    if kind == K.FOLLOW_UP_RESPONSE:
        return _("Response of the host State (%(channel)s of %(sent_on)s):") % {
            "channel": _label(FollowUpChannel, p.get("channel")),
            "sent_on": prose_date(p.get("sent_on")),
        }
    if kind == K.CAPACITY_SUPPORT:
        return _("%(kind)s for %(institution)s:") % {
            "kind": _label(SupportKind, p.get("kind")),
            "institution": _label(Institution, p.get("institution")),
        }
    return ""


def event_text(kind: str, params: dict | None, description: str) -> str:
    """The line as the reader reads it: the sentence of its kind, then what was typed."""
    if not params:
        return description  # written before kinds had parameters
    sentence = _sentence(kind, params)
    return f"{sentence} {description}".strip() if description else sentence


def event_label(kind: str) -> str:
    return _label(CaseEventKind, kind) or kind.replace("_", " ").capitalize()
