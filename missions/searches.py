"""What a list page shows of saved searches: the user's own and those shared with them,
each a link to the list with its query string, and the form that saves the list as shown.

The list pages of every app call `panel`; the writes are missions.services'
(saved_search_save, _delete, _share), behind missions.views_searches.
"""

from __future__ import annotations

from functools import cache

from django.contrib.auth import get_user_model
from django.db import connection

from missions.models import SavedSearch


@cache
def _usable_sql() -> str:
    # Plain SQL: the panel is on every list page, and the ORM spent ~0.8 ms building
    # this small query each time.
    q = connection.ops.quote_name
    search = q(SavedSearch._meta.db_table)
    shared = q(SavedSearch.shared_with.through._meta.db_table)
    user = q(get_user_model()._meta.db_table)
    return (
        f"SELECT s.id, s.name, s.query, s.owner_id, u.username FROM {search} s "
        f"JOIN {user} u ON u.id = s.owner_id WHERE s.list_name = %s AND (s.owner_id = %s "
        f"OR s.id IN (SELECT savedsearch_id FROM {shared} WHERE user_id = %s)) "
        "ORDER BY s.name, s.id"
    )


def usable_searches(user, list_name: str) -> list[tuple]:
    """(id, name, query, owner id, owner's username) of the user's own searches of a list
    and those shared with them, by name: the searches a user may apply."""
    if not getattr(user, "is_authenticated", False):
        return []
    with connection.cursor() as cursor:
        cursor.execute(_usable_sql(), [list_name, user.pk, user.pk])
        return cursor.fetchall()


def panel(user, *, list_name: str, path: str, kept: str) -> dict:
    """The context of includes/saved_searches.html for one list (one query).
    `path`: the list's address; `kept`: its query string as shown (ListQuery.kept)."""
    rows = usable_searches(user, list_name)
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
