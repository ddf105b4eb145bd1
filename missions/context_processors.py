"""Template context shared by every page: what the user may do (the access policy's)."""

from django.utils.functional import SimpleLazyObject

from missions.scope import can_export


def capabilities(request):
    """What the signed-in user may do, computed only if a template asks."""
    user = getattr(request, "user", None)
    return {"can_export": SimpleLazyObject(lambda: bool(user and can_export(user)))}
