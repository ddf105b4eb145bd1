"""Administrators' changes to accounts are recorded like every other write: an entry in
the audit trail for each (never a password, hash or token key), and the row history
written by the database (PostgreSQL), with secrets kept as digests only."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from rest_framework.authtoken.models import Token

from peacekeeping.audit import audit_verify_chain
from peacekeeping.models import AuditEntry, RowHistory

pytestmark = pytest.mark.django_db

User = get_user_model()
PASSWORD = "a long enough password 2589"


@pytest.fixture
def admin_client(client, world):
    client.force_login(world.users["admin"])
    return client


@pytest.fixture
def clerk(world):
    return User.objects.create_user("clerk", email="clerk@example.org", password=PASSWORD)


def _entries(user, *actions):
    return AuditEntry.objects.filter(
        object_type="auth.user", object_id=str(user.pk), action__in=actions
    ).order_by("id")


def _change_user(admin_client, user, **changes):
    """POST the user's change page as the admin form would, with `changes` applied."""
    url = reverse("admin:auth_user_change", args=[user.pk])
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on" if user.is_active else "",
        "is_staff": "on" if user.is_staff else "",
        "is_superuser": "on" if user.is_superuser else "",
        "groups": [g.pk for g in user.groups.all()],
        "user_permissions": [p.pk for p in user.user_permissions.all()],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": user.date_joined.date().isoformat(),
        "date_joined_1": user.date_joined.time().strftime("%H:%M:%S"),
    }
    data.update(changes)
    data = {key: value for key, value in data.items() if value != ""}
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def test_creating_a_user_is_audited_without_the_password(admin_client, world):
    response = admin_client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "newcomer",
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    assert response.status_code == 302
    user = User.objects.get(username="newcomer")
    [entry] = _entries(user, "admin_change")
    assert entry.actor == world.users["admin"]
    assert entry.changes["created"] is True
    assert entry.changes["username"] == [None, "newcomer"]
    assert entry.changes["password_set"] is True
    assert PASSWORD not in str(entry.changes) and "pbkdf2" not in str(entry.changes)
    assert audit_verify_chain() == []


def test_making_a_user_superuser_and_staff_is_audited(admin_client, world, clerk):
    _change_user(admin_client, clerk, is_staff="on", is_superuser="on")

    [entry] = _entries(clerk, "admin_change")
    assert entry.changes["is_superuser"] == [False, True]
    assert entry.changes["is_staff"] == [False, True]
    assert entry.actor == world.users["admin"]


def test_group_and_permission_changes_of_a_user_are_audited(admin_client, clerk):
    group = Group.objects.create(name="Analysts")
    permission = Permission.objects.get(codename="change_incident")

    _change_user(admin_client, clerk, groups=[group.pk], user_permissions=[permission.pk])

    [entry] = _entries(clerk, "admin_change")
    assert entry.changes["groups"] == [[], [group.pk]]
    assert entry.changes["user_permissions"] == [[], [permission.pk]]


def test_deactivating_a_user_goes_through_its_service(admin_client, clerk):
    Token.objects.create(user=clerk)

    _change_user(admin_client, clerk, is_active="")

    clerk.refresh_from_db()
    assert clerk.is_active is False
    assert _entries(clerk, "user_deactivated").count() == 1
    assert not Token.objects.filter(user=clerk).exists()  # the service ended its tokens


def test_a_groups_permissions_are_audited(admin_client):
    group = Group.objects.create(name="Legal")
    permission = Permission.objects.get(codename="view_case")

    admin_client.post(
        reverse("admin:auth_group_change", args=[group.pk]),
        {"name": "Legal officers", "permissions": [permission.pk]},
    )

    entry = AuditEntry.objects.get(object_type="auth.group", object_id=str(group.pk))
    assert entry.changes["name"] == ["Legal", "Legal officers"]
    assert entry.changes["permissions"] == [[], [permission.pk]]


def test_setting_a_password_in_the_admin_is_audited(admin_client, clerk):
    response = admin_client.post(
        reverse("admin:auth_user_password_change", args=[clerk.pk]),
        {"password1": "another long password 1", "password2": "another long password 1"},
    )

    assert response.status_code == 302
    [entry] = _entries(clerk, "admin_password_change")
    assert "another long password" not in str(entry.changes)


def test_api_tokens_made_and_deleted_in_the_admin_are_audited_without_the_key(admin_client, clerk):
    admin_client.post(reverse("admin:authtoken_tokenproxy_add"), {"user": clerk.pk})
    token = Token.objects.get(user=clerk)
    admin_client.post(
        reverse("admin:authtoken_tokenproxy_delete", args=[clerk.pk]), {"post": "yes"}
    )

    actions = list(_entries(clerk, "api_token.create", "api_token.delete").values_list("action"))
    assert actions == [("api_token.create",), ("api_token.delete",)]
    assert not Token.objects.filter(user=clerk).exists()
    assert not AuditEntry.objects.filter(object_repr__contains=token.key).exists()
    assert token.key not in str(list(AuditEntry.objects.values_list("changes", flat=True)))


@pytest.mark.usefixtures("needs_postgres")
def test_the_row_history_records_accounts_with_secrets_as_digests(admin_client, clerk):
    _change_user(admin_client, clerk, is_superuser="on")
    token = Token.objects.create(user=clerk)

    update = RowHistory.objects.filter(
        table_name="auth_user", object_id=str(clerk.pk), operation="UPDATE"
    ).latest("id")
    assert (update.before["is_superuser"], update.after["is_superuser"]) == (False, True)
    assert update.actor_name == "admin"
    assert update.after["password"].startswith("sha256:")
    assert "pbkdf2" not in str(update.after) and "md5$" not in str(update.after)
    created = RowHistory.objects.get(table_name="authtoken_token", operation="INSERT")
    assert created.object_id == str(clerk.pk)
    assert created.after["key"].startswith("sha256:")
    assert token.key not in str(created.after)


@pytest.mark.usefixtures("needs_postgres")
def test_the_row_history_records_group_memberships(clerk):
    group = Group.objects.create(name="Analysts")

    clerk.groups.add(group)

    membership = RowHistory.objects.get(table_name="auth_user_groups", operation="INSERT")
    assert membership.after["group_id"] == group.pk
    assert membership.after["user_id"] == clerk.pk
