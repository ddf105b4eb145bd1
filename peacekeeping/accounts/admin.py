"""The admin of accounts: users, groups and API tokens, audited like every other write.

Django's and DRF's admins for these models write without a trace in the audit trail;
they are re-registered here with the project's AuditedAdminMixin, so creating a user,
making it staff or superuser, changing its groups or permissions, deactivating it (the
`user_deactivate` service: sessions and tokens end too), setting its password, and
creating or deleting an API token each append an entry (`admin_change`, `admin_delete`,
`user_deactivated`, `admin_password_change`, `api_token.create`, `api_token.delete`).
No entry holds a password, a hash or a token key. The row history (database triggers,
peacekeeping/history.py) covers the same tables, with the secrets replaced by digests.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from rest_framework.authtoken.admin import TokenAdmin
from rest_framework.authtoken.models import TokenProxy

from peacekeeping.accounts.network import client_ip
from peacekeeping.accounts.services import user_deactivate
from peacekeeping.admin import AuditedAdminMixin
from peacekeeping.audit import audit_record

User = get_user_model()

# Form fields never written to the audit trail: a password typed in the add form.
_SECRET_FIELDS = frozenset({"password", "password1", "password2", "usable_password"})


class AuditedUserAdmin(AuditedAdminMixin, UserAdmin):
    """Django's user admin; every write audited, deactivation through its service."""

    # UserAdmin's own add form (username and password), not the mixin's default of none.
    add_form = UserAdmin.add_form

    def change_object(self, request, obj, form) -> bool:
        if "is_active" in form.changed_data and not obj.is_active:
            # Saved active with the other changes, then deactivated by the service, which
            # refuses one's own account and ends every session and token.
            obj.is_active = True
            obj.save()
            user_deactivate(actor=request.user, user=obj)
            obj.is_active = False
            return False
        obj.save()
        return False

    def audit_change(self, request, obj, changes: dict) -> None:
        secret = _SECRET_FIELDS & set(changes)
        changes = {name: value for name, value in changes.items() if name not in secret}
        if secret:
            changes["password_set"] = True
        super().audit_change(request, obj, changes)

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            audit_record(
                actor=request.user,
                action="admin_password_change",
                obj=self.get_object(request, unquote(id)),
                changes={"password_set": True},
                ip_address=client_ip(request),
            )
        return response


class AuditedGroupAdmin(AuditedAdminMixin, GroupAdmin):
    """Groups and their permissions; every write audited."""


class AuditedTokenAdmin(AuditedAdminMixin, TokenAdmin):
    """API tokens; each creation and deletion audited against the user (never the key,
    which is the token's primary key and its string: a credential)."""

    def audit_change(self, request, obj, changes: dict) -> None:
        audit_record(
            actor=request.user,
            action="api_token.create" if changes.get("created") else "api_token.change",
            obj=obj.user,
            changes={"user_id": [None, obj.user_id], "admin": [None, True]},
            ip_address=client_ip(request),
        )

    def audit_delete(self, request, obj) -> None:
        audit_record(
            actor=request.user,
            action="api_token.delete",
            obj=obj.user,
            changes={"user_id": [obj.user_id, None], "admin": [None, True]},
            ip_address=client_ip(request),
        )


for model, model_admin in (
    (User, AuditedUserAdmin),
    (Group, AuditedGroupAdmin),
    (TokenProxy, AuditedTokenAdmin),
):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)
