"""What changed since the version a client read, for the API's 412 answers.

`stale_details(request, view)` is called by the API's exception handler on a stale
If-Match: for a case it lists, from the row history, every change made after the version
the client sent (`"v3"`), so a second legal officer sees what the first one changed, not
only that something did. Other objects get no details (the 412 still protects them).
"""

import re

_VERSION_TAG = re.compile(r'^(?:W/)?"v(\d+)"$')


def _version_sent(request) -> int | None:
    for tag in (request.headers.get("If-Match") or "").split(","):
        match = _VERSION_TAG.match(tag.strip())
        if match:
            return int(match.group(1))
    return None


def stale_details(request, view) -> dict:
    """{"changes": [...]} for a stale If-Match on a case; {} otherwise (never raises)."""
    from accountability.models import Case
    from accountability.selectors import case_changes_since

    since = _version_sent(request) if request is not None else None
    if since is None or view is None or not hasattr(view, "get_object"):
        return {}
    try:
        obj = view.get_object()
    except Exception:  # out of scope, gone: the 412 stands without details
        return {}
    if not isinstance(obj, Case):
        return {}
    changes = case_changes_since(obj, since_version=since)
    return {"changes": [{**entry, "when": entry["when"].isoformat()} for entry in changes]}
