"""Saved searches: save the list as shown, delete one's own, share with colleagues.

Plain POST forms from the list pages (includes/saved_searches.html), then back to the
list. Only the owner deletes or shares a search: anyone else gets a 404. Writes go
through missions.services, which check and audit them.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from missions.models import SavedSearch
from missions.scope import users_of_same_reach
from missions.services import saved_search_delete, saved_search_save, saved_search_share
from peacekeeping.bulk import redirect_back
from peacekeeping.errors import DomainError


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next", "")
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else ""


@login_required
@require_POST
def search_save(request):
    try:
        search = saved_search_save(
            actor=request.user,
            list_name=request.POST.get("list_name", ""),
            name=request.POST.get("name", ""),
            query=request.POST.get("query", ""),
        )
    except DomainError as error:
        messages.error(request, _("The search was not saved: %(reason)s") % {"reason": error})
    else:
        messages.success(request, _("Search “%(name)s” saved.") % {"name": search.name})
    return redirect_back(request, "/")


@login_required
@require_POST
def search_delete(request, pk: int):
    search = get_object_or_404(SavedSearch, pk=pk, owner=request.user)
    try:
        saved_search_delete(actor=request.user, search=search)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Search “%(name)s” deleted.") % {"name": search.name})
    return redirect_back(request, "/")


@login_required
@require_http_methods(["GET", "POST"])
def search_share(request, pk: int):
    """Tick the colleagues who see the same missions and States; untick to stop sharing."""
    search = get_object_or_404(SavedSearch, pk=pk, owner=request.user)
    colleagues = users_of_same_reach(request.user)
    error = ""
    if request.method == "POST":
        wanted = set(request.POST.getlist("user"))
        users = list(get_user_model().objects.filter(pk__in=[v for v in wanted if v.isdigit()]))
        try:
            saved_search_share(actor=request.user, search=search, users=users)
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("Sharing of “%(name)s” saved.") % {"name": search.name})
            return redirect_back(request, "/")
    shared = set(search.shared_with.values_list("pk", flat=True))
    return render(
        request,
        "missions/search_share.html",
        {
            "search": search,
            "colleagues": [{"user": u, "shared": u.pk in shared} for u in colleagues],
            "error": error,
            "next": _safe_next(request),
        },
    )
