"""Template context shared by every page."""

from django.utils.functional import SimpleLazyObject


def capabilities(request):
    """What the signed-in user may do, computed only if a template asks."""
    from missions.scope import can_export

    user = getattr(request, "user", None)
    return {"can_export": SimpleLazyObject(lambda: bool(user and can_export(user)))}
