"""Admin of the shared models, and the mixins every app's admin is built from.

The admin must not be a back door around the services: where a service exists, an admin
write calls it; elsewhere the write lands in the same hash-chained audit trail as the
services' writes, one entry per object saved or deleted, inline rows included, with the
changed fields. History (audit entries, row history, procedure steps, case events) is
never edited here.
"""

from typing import Any

from django.contrib import admin, messages
from django.db import models, transaction
from django.http import HttpResponseRedirect

from peacekeeping.accounts.models import UserPreference, UserSession
from peacekeeping.accounts.network import client_ip
from peacekeeping.audit import audit_record
from peacekeeping.errors import DomainError
from peacekeeping.models import AuditCheckpoint, AuditEntry, RowHistory
from peacekeeping.outbox_models import OutboxMessage


def _plain(value: Any) -> Any:
    """A form value as JSON can hold it: model instances by primary key, sets as lists."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, models.QuerySet | list | tuple | set):
        return sorted((_plain(v) for v in value), key=str)
    if hasattr(value, "name") and hasattr(value, "url"):  # a stored file
        return value.name or ""
    return value


def form_changes(form) -> dict[str, list]:
    """{field: [before, after]} for each field the form changed ([None, value] when added)."""
    adding = form.instance._state.adding
    return {
        name: [
            None if adding else _plain(form.initial.get(name)),
            _plain(form.cleaned_data.get(name)),
        ]
        for name in form.changed_data
        if name in form.cleaned_data
    }


def adopt(obj: models.Model, created: models.Model) -> None:
    """Make the admin's unsaved `obj` the row a service created, so the admin carries on
    with it (many-to-many fields, inlines, the redirect to the saved object)."""
    for field in obj._meta.concrete_fields:
        setattr(obj, field.attname, getattr(created, field.attname))
    obj._state.adding = False
    obj._state.db = created._state.db


class AuditedAdminMixin:
    """Every admin write goes through a service where one exists, and is audited.

    Three hooks make one object's write: `create_object`, `change_object`,
    `remove_object`. By default they write the row and append an `admin_change` or
    `admin_delete` AuditEntry with the changed fields. An admin whose model has services
    overrides them to call the service (which audits) and returns True. Inline rows are
    written through the hooks of their own model's admin, so adding a casualty inline is
    the same `casualty_add` as adding it on its own page. A refusal of a service
    (DomainError) rolls the whole save back and is shown as an error message.
    """

    audit_change_action = "admin_change"
    audit_delete_action = "admin_delete"
    # The add page's form when a service creates the row from other fields than the
    # model's (Django's UserAdmin pattern); no inlines until the row exists.
    add_form: type | None = None
    add_fields: list[str] | None = None
    # Fields set once, at creation, and read-only on the saved row's page.
    readonly_once_saved: tuple[str, ...] = ()

    # --- hooks -----------------------------------------------------------------------

    def create_object(self, request, obj, form) -> bool:
        """Save a new row; return True when a service wrote (and audited) it."""
        obj.save()
        return False

    def change_object(self, request, obj, form) -> bool:
        """Save a changed row; return True when a service wrote (and audited) it."""
        if hasattr(obj, "version"):
            # A reader holding the previous version must see it as stale.
            obj.version += 1
        obj.save()
        return False

    def remove_object(self, request, obj) -> None:
        """Delete a row, audited (a service's removal audits by itself)."""
        self.audit_delete(request, obj)
        obj.delete()

    def after_write(self, request, obj, *, created: bool) -> None:
        """Called once the row is written and audited (e.g. to recompute a parent)."""

    # --- ModelAdmin entry points ---------------------------------------------------------

    def save_model(self, request, obj, form, change):
        self._write(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        handler = self.admin_site._registry.get(formset.model)
        if not isinstance(handler, AuditedAdminMixin):
            handler = _PLAIN_ROWS
        form_of = {id(f.instance): f for f in formset.forms}
        # Read what changed before saving, while each form still knows where it started.
        changes = {key: form_changes(f) for key, f in form_of.items() if f.has_changed()}
        formset.save(commit=False)
        for obj in formset.deleted_objects:
            handler.remove_object(request, obj)
        for obj in formset.new_objects:
            handler._write(request, obj, form_of[id(obj)], False, changes.get(id(obj), {}))
        for obj, _fields in formset.changed_objects:
            handler._write(request, obj, form_of[id(obj)], True, changes.get(id(obj), {}))
        formset.save_m2m()

    def delete_model(self, request, obj):
        self.remove_object(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None and self.add_form is not None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None and self.add_fields is not None:
            return list(self.add_fields)
        return super().get_fields(request, obj)

    def get_inlines(self, request, obj):
        if obj is None and self.add_form is not None:
            return []
        return super().get_inlines(request, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, *self.readonly_once_saved] if obj is not None else fields

    def delete_queryset(self, request, queryset):
        # The bulk action runs outside the admin's transaction: all rows go, or none.
        with transaction.atomic():
            for obj in queryset:
                self.remove_object(request, obj)

    def changeform_view(self, request, *args, **kwargs):
        return self._refusals_as_messages(request, super().changeform_view, *args, **kwargs)

    def delete_view(self, request, *args, **kwargs):
        return self._refusals_as_messages(request, super().delete_view, *args, **kwargs)

    def changelist_view(self, request, *args, **kwargs):
        return self._refusals_as_messages(request, super().changelist_view, *args, **kwargs)

    # --- helpers ------------------------------------------------------------------------

    def _write(self, request, obj, form, change, changes=None) -> None:
        changes = form_changes(form) if changes is None else changes
        if change:
            audited = self.change_object(request, obj, form)
        else:
            audited = self.create_object(request, obj, form)
            changes = {**changes, "created": True}
        if not audited:
            self.audit_change(request, obj, changes)
        self.after_write(request, obj, created=not change)

    def _refusals_as_messages(self, request, view, *args, **kwargs):
        # The admin's views run in a transaction: the refused save is rolled back whole.
        try:
            return view(request, *args, **kwargs)
        except DomainError as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(request.get_full_path())

    def audit_change(self, request, obj, changes: dict) -> None:
        audit_record(
            actor=request.user,
            action=self.audit_change_action,
            obj=obj,
            changes=changes,
            ip_address=client_ip(request),
        )

    def audit_delete(self, request, obj) -> None:
        # Recorded before the row goes, so the entry still knows its primary key.
        audit_record(
            actor=request.user,
            action=self.audit_delete_action,
            obj=obj,
            changes={"deleted": True},
            ip_address=client_ip(request),
        )


# Writes inline rows whose model has no admin of its own: plain, audited.
_PLAIN_ROWS = AuditedAdminMixin()


class ReadOnlyAdminMixin:
    """History: viewable, never added, changed or deleted through the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    """Rows written elsewhere (a service, an upload, the timeline): listed, never added,
    edited or deleted here. Each subclass names its `fields`."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return self.fields


class AppendOnlyAdminMixin(AuditedAdminMixin):
    """Rows that may be added but, once written, are neither changed nor deleted."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["occurred_at", "actor_name", "action", "object_type", "object_repr"]
    list_filter = ["action", "object_type", "occurred_at"]
    search_fields = ["actor_name", "object_repr", "object_id", "entry_hash"]
    date_hierarchy = "occurred_at"
    list_select_related = ["actor"]
    # A view-only admin still renders every field; the actor is shown by name.
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
    show_full_result_count = False


@admin.register(RowHistory)
class RowHistoryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["occurred_at", "operation", "table_name", "object_id", "actor_name", "context"]
    list_filter = ["operation", "table_name", "occurred_at"]
    search_fields = ["table_name", "object_id", "actor_name", "context"]
    date_hierarchy = "occurred_at"
    readonly_fields = [f.name for f in RowHistory._meta.fields]
    show_full_result_count = False


@admin.register(UserSession)
class UserSessionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Sessions are opened by logging in and ended through the account services."""

    list_display = ["user", "created_at", "last_seen", "ip", "user_agent"]
    list_filter = ["created_at", "last_seen"]
    search_fields = ["user__username", "ip", "user_agent"]
    list_select_related = ["user"]  # the user column, without a query a row
    # The session key is a credential: never shown, not even to administrators.
    fields = ["user", "created_at", "last_seen", "ip", "user_agent"]
    readonly_fields = fields


@admin.register(UserPreference)
class UserPreferenceAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """A user's remembered language (set by the language switch, applied at login)."""

    list_display = ["user", "language", "updated_at"]
    list_filter = ["language"]
    search_fields = ["user__username"]
    list_select_related = ["user"]  # the user column, without a query a row


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Background jobs waiting for the broker (or sent): written by the outbox only."""

    list_display = ["task_name", "created_at", "published_at", "attempts"]
    list_filter = ["task_name", ("published_at", admin.EmptyFieldListFilter)]
    search_fields = ["task_name", "last_error"]
    date_hierarchy = "created_at"


@admin.register(AuditCheckpoint)
class AuditCheckpointAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Checkpoints are appended by beat (peacekeeping/checkpoints.py), never edited."""

    list_display = ["taken_at", "audit_count", "audit_last_id", "history_count"]
    date_hierarchy = "taken_at"
    readonly_fields = [f.name for f in AuditCheckpoint._meta.fields]


# Users, groups and API tokens: Django's and DRF's admins, re-registered audited.
import peacekeeping.accounts.admin  # noqa: E402, F401
