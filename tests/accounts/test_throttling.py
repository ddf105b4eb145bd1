"""Repeated failed logins lock the account (and the IP) for a while; each is recorded."""

import logging
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from peacekeeping.models import AuditEntry
from tests.accounts.helpers import log_in, make_user

WRONG = "not the password at all"


def test_it_locks_the_account_after_five_failures(client, user):
    responses = [log_in(client, "amina", WRONG) for _ in range(5)]

    assert [r.status_code for r in responses] == [200, 200, 200, 200, 429]
    assert "Too many failed logins" in responses[-1].content.decode()


def test_a_locked_account_refuses_even_the_right_password(client, user):
    for _ in range(5):
        log_in(client, "amina", WRONG)

    response = log_in(client, "amina")

    assert response.status_code == 429
    assert client.get(reverse("home")).status_code == 302


def test_a_stranger_elsewhere_cannot_lock_the_user_out(client, user):
    """The lock is on the pair (username, address): five wrong passwords typed by someone
    at another address do not keep the user out of their own account."""
    for _ in range(5):
        assert log_in(client, "amina", WRONG, REMOTE_ADDR="10.0.0.1").status_code in (200, 429)

    from_the_stranger = log_in(client, "amina", REMOTE_ADDR="10.0.0.1")
    from_the_user = log_in(client, "amina", REMOTE_ADDR="10.0.0.2")

    assert from_the_stranger.status_code == 429
    assert from_the_user.status_code == 302


def test_the_right_password_during_a_lockout_is_not_counted_as_a_failure(client, user):
    for _ in range(5):
        log_in(client, "amina", WRONG)
    locked_at = AccessAttempt.objects.get().attempt_time

    refused = [log_in(client, "amina").status_code for _ in range(3)]

    assert refused == [429, 429, 429]
    attempt = AccessAttempt.objects.get()
    assert attempt.failures_since_start == 5  # not 8
    assert attempt.attempt_time == locked_at  # the lock is not prolonged
    assert AuditEntry.objects.filter(action="login_failed").count() == 5 + 3
    # Once the cool-off has passed since the last real failure, the user is in.
    AccessAttempt.objects.update(attempt_time=locked_at - timedelta(minutes=16))
    assert log_in(client, "amina").status_code == 302


def test_it_locks_an_address_that_sprays_passwords_over_many_usernames(client, user, settings):
    assert settings.LOGIN_ADDRESS_FAILURE_LIMIT == 20
    for n in range(20):
        log_in(client, f"guess{n}", WRONG, REMOTE_ADDR="10.9.9.9")

    from_there = log_in(client, "amina", REMOTE_ADDR="10.9.9.9")
    from_elsewhere = log_in(client, "amina", REMOTE_ADDR="10.7.7.7")

    assert from_there.status_code == 429
    assert from_elsewhere.status_code == 302


def test_an_office_behind_one_address_is_not_locked_by_a_few_typos(client, db):
    """Nineteen failures of several colleagues sharing one NAT address lock no one else."""
    for name in ["u1", "u2", "u3", "u4"]:
        make_user(name)
    for name in ["u1", "u2", "u3"]:
        for _ in range(4):
            log_in(client, name, WRONG, REMOTE_ADDR="10.9.9.9")

    assert log_in(client, "u4", REMOTE_ADDR="10.9.9.9").status_code == 302


def test_four_failures_do_not_lock(client, user):
    for _ in range(4):
        log_in(client, "amina", WRONG)

    assert log_in(client, "amina").status_code == 302


def test_each_failure_is_audited(client, user):
    for _ in range(3):
        log_in(client, "amina", WRONG, REMOTE_ADDR="10.0.0.7")

    entries = AuditEntry.objects.filter(action="login_failed")
    assert entries.count() == 3
    last = entries.last()
    assert last.object_type == "auth.user"
    assert last.object_id == str(user.pk)
    assert last.ip_address == "10.0.0.7"
    assert last.changes["username"] == "amina"
    assert last.changes["failures"] == 3
    assert last.changes["locked_out"] is False
    assert "password" not in str(last.changes)


def test_the_locking_failure_is_audited_as_such(client, user):
    for _ in range(5):
        log_in(client, "amina", WRONG)

    assert AuditEntry.objects.filter(action="login_failed").last().changes["locked_out"] is True


def test_a_failure_for_an_unknown_username_is_audited_too(client, db):
    log_in(client, "nobody", WRONG)

    entry = AuditEntry.objects.get(action="login_failed")
    assert entry.object_id == ""
    assert entry.changes["username"] == "nobody"


def test_each_failure_is_logged(client, user, caplog):
    with caplog.at_level(logging.WARNING, logger="peacekeeping.accounts"):
        for _ in range(2):
            log_in(client, "amina", WRONG)

    failures = [r for r in caplog.records if getattr(r, "event", "") == "login_failed"]
    assert len(failures) == 2
    assert failures[0].name == "peacekeeping.accounts"
    assert failures[0].username == "amina"
    assert failures[0].ip == "127.0.0.1"
    assert [r.failures for r in failures] == [1, 2]


def test_the_attempts_expire_after_the_cool_off(client, user):
    for _ in range(5):
        log_in(client, "amina", WRONG)
    # Fifteen minutes later: move the recorded attempt back instead of waiting.
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16)
    )

    assert log_in(client, "amina").status_code == 302


@pytest.mark.parametrize("forwarded", ["203.0.113.9", "198.51.100.1, 203.0.113.9"])
def test_behind_a_trusted_proxy_the_forwarded_address_is_the_client(
    client, user, settings, forwarded
):
    settings.TRUSTED_PROXY_COUNT = 1
    log_in(client, "amina", WRONG, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)

    assert AuditEntry.objects.get(action="login_failed").ip_address == "203.0.113.9"


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(client, user):
    log_in(client, "amina", WRONG, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")

    assert AuditEntry.objects.get(action="login_failed").ip_address == "10.0.0.1"
