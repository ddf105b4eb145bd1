"""Notification pages (mounted at /notifications/): the list, the header's unread count,
marking read, and each user's e-mail choices.

Every read starts from `Notification.objects.visible_to(user)`: the user's own
notifications about what they may still see. One that is not is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accountability.notifications import services
from accountability.notifications.forms import NotificationPreferencesForm
from accountability.notifications.models import Notification, NotificationPreference
from accountability.notifications.texts import notification_path, notification_text
from peacekeeping.errors import DomainError
from peacekeeping.querystring import page_number, read_query

PAGE_SIZE = 30


@login_required
def notification_list(request):
    """The user's notifications, newest first, unread ones marked."""
    # No join: the text and the link come from the row's own kind and data.
    visible = Notification.objects.visible_to(request.user)
    notifications = visible.only(
        "kind", "data", "created_at", "read_at", "case_id", "report_id", "export_id"
    )
    # One reading of the address (peacekeeping.querystring): only `page`; a page that does
    # not exist is named and the first shown, a key the list does not know named too.
    query = read_query(request.GET, filters=(), controls=("page",))
    if query.unknown:
        notifications = notifications.none()
    paginator = Paginator(notifications, PAGE_SIZE)
    page = paginator.page(page_number(query, paginator))
    rows = [
        {"n": n, "text": notification_text(n), "path": notification_path(n)}
        for n in page.object_list
    ]
    unread = visible.unread().count()
    return render(
        request,
        "notifications/notification_list.html",
        {
            "page_obj": page,
            "rows": rows,
            "unread": unread,
            "query": query,
            "withheld": bool(query.unknown),
        },
    )


@login_required
def unread_count(request):
    """The header's count, fetched by htmx after the page loads (so no page pays for it)."""
    count = Notification.objects.visible_to(request.user).unread().count()
    text = (
        format_html(
            '{}<span class="visually-hidden"> {}</span>',
            count,
            # "3 non lues": the adjective agrees with the count in French.
            ngettext("unread", "unread", count),
        )
        if count
        else ""
    )
    response = HttpResponse(text)
    response["Cache-Control"] = "private, no-store"
    return response


def _next(request, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


@login_required
@require_POST
def notification_read(request, pk: int):
    """Mark one read, then go where it leads (or back to the list)."""
    notification = get_object_or_404(Notification.objects.visible_to(request.user), pk=pk)
    services.notification_mark_read(actor=request.user, notification=notification)
    return redirect(_next(request, "notifications:notification_list"))


@login_required
@require_POST
def notification_read_all(request):
    count = services.notifications_mark_all_read(actor=request.user)
    messages.success(
        request,
        ngettext(
            "%(count)s notification marked as read.",
            "%(count)s notifications marked as read.",
            count,
        )
        % {"count": count},
    )
    return redirect("notifications:notification_list")


@login_required
def notification_preferences(request):
    """Per kind: an e-mail at once, a daily digest, or none (the app only)."""
    current = dict(
        NotificationPreference.objects.filter(user=request.user).values_list("kind", "delivery")
    )
    current = {k: current.get(k, services.DEFAULT_DELIVERY) for k in services.K.values}
    if request.method == "POST":
        form = NotificationPreferencesForm(request.POST, current=current)
        if form.is_valid():
            try:
                services.notification_preferences_set(
                    actor=request.user, deliveries=dict(form.cleaned_data)
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Your notification choices were saved."))
                return redirect("notifications:notification_preferences")
    else:
        form = NotificationPreferencesForm(current=current)
    return render(request, "notifications/notification_preferences.html", {"form": form})
