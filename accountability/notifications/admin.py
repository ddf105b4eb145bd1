"""Notifications and e-mail choices in the admin: written by the services, viewed here."""

from django.contrib import admin

from accountability.notifications.models import Notification, NotificationPreference
from peacekeeping.admin import ReadOnlyAdminMixin


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Created by the notification task for the users in scope; read here."""

    list_display = ["recipient", "kind", "event_key", "created_at", "read_at", "emailed_at"]
    list_filter = ["kind"]
    search_fields = ["recipient__username", "event_key"]
    # The recipient column, in the one page query.
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Each user sets their own choices (Notifications → E-mail choices)."""

    list_display = ["user", "kind", "delivery", "updated_at"]
    list_filter = ["kind", "delivery"]
    search_fields = ["user__username"]
    list_select_related = ["user"]
