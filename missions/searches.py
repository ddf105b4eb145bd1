"""What a list page shows of saved searches: the user's own and those shared with them,
each a link to the list with its query string, and the form that saves the list as shown.

The list pages of every app call `panel`; the writes are missions.services'
(saved_search_save, _delete, _share), behind missions.views_searches.
"""

from __future__ import annotations

from missions.models import SavedSearch


def panel(user, *, list_name: str, path: str, kept: str) -> dict:
    """The context of includes/saved_searches.html for one list (one query).
    `path`: the list's address; `kept`: its query string as shown (ListQuery.kept)."""
    # Plain values: the panel is on every list page, and nobody has many searches.
    rows = SavedSearch.objects.usable_by(user, list_name).values_list(
        "pk", "name", "query", "owner_id", "owner__username"
    )
    searches = [
        {
            "search": {"pk": pk, "name": name},
            "url": f"{path}?{query}" if query else path,
            "mine": owner_id == user.pk,
            "owner": owner,
            "current": query == kept,
        }
        for pk, name, query, owner_id, owner in rows
    ]
    return {"searches": searches, "list_name": list_name, "kept": kept, "path": path}
