"""What changed since the version a client read, for the API's 412 answers.

`stale_details(request, view)` is called by the API's exception handler on a stale
If-Match: when the view says how to read the changes of its object (a `changes_since`
method, as the cases' viewset has), it lists every change made after the version the
client sent (`"v3"`), so a second legal officer sees what the first one changed, not
only that something did. Other objects get no details (the 412 still protects them).
The platform asks the view: it imports no app's models.
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
    """{"changes": [...]} for a stale If-Match on an object whose view reads its changes
    (`view.changes_since(obj, since_version=...)`); {} otherwise (never raises)."""
    since = _version_sent(request) if request is not None else None
    changes_since = getattr(view, "changes_since", None)
    if since is None or changes_since is None or not hasattr(view, "get_object"):
        return {}
    try:
        obj = view.get_object()
    except Exception:  # out of scope, gone: the 412 stands without details
        return {}
    changes = changes_since(obj, since_version=since)
    return {"changes": [{**entry, "when": entry["when"].isoformat()} for entry in changes]}
