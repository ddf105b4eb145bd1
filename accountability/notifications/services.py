"""Writes of notifications: queue an event, fan it out to the users in scope, e-mail it,
mark it read, and each user's choice of e-mail per kind.

`notify_later` is called by the domain services inside their transaction: the event goes
through the transactional outbox, so nothing is notified for a change that rolled back,
and nothing is lost while the queue is down. The task calls `notifications_create`,
which decides who hears of it from missions/scope.py (one rule): a recipient who cannot
see the case (or the report, the export) is not notified, and the list re-checks scope
when it is read (`Notification.objects.visible_to`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accountability.notifications.models import (
    SUSPECT_KINDS,
    Delivery,
    Notification,
    NotificationPreference,
)
from accountability.notifications.models import (
    NotificationKind as K,
)
from accountability.notifications.texts import notification_path, notification_text
from missions.scope import case_legal_officers_q, state_legal_officers_q, state_liaisons_q
from peacekeeping.accounts.models import recipient_language
from peacekeeping.audit import audit_record
from peacekeeping.errors import DomainError
from peacekeeping.outbox import enqueue

NOTIFY_TASK = "accountability.notifications.tasks.notify_event"
DEFAULT_DELIVERY = Delivery.DIGEST


def notify_later(
    *,
    kind: str,
    event_key: str,
    case_id: int | None = None,
    report_id: int | None = None,
    export_id: int | None = None,
    data: dict | None = None,
    actor=None,
) -> None:
    """Queue the event (through the outbox, published when the transaction commits).
    The actor who caused it is not told of their own action."""
    enqueue(
        NOTIFY_TASK,
        kind=kind,
        actor_id=getattr(actor, "pk", None),
        event_key=event_key,
        case_id=case_id,
        report_id=report_id,
        export_id=export_id,
        data=data or {},
    )


# --- who hears of what ---------------------------------------------------------------------


def _active_users():
    return get_user_model().objects.filter(is_active=True)


def _case_legal_officers(case) -> set[int]:
    from missions.models import Membership

    ids = set(
        Membership.objects.filter(case_legal_officers_q(case)).values_list("user_id", flat=True)
    )
    if case.focal_point_id:
        ids.add(case.focal_point_id)
    return ids


def _host_state_liaisons(case) -> set[int]:
    from missions.models import Membership

    if not case.host_state_id:
        return set()
    liaisons = Membership.objects.filter(state_liaisons_q(case.host_state_id))
    return set(liaisons.values_list("user_id", flat=True))


def _everyone_with_a_role() -> set[int]:
    from missions.models import Membership

    return set(Membership.objects.values_list("user_id", flat=True).distinct()) | set(
        _active_users().filter(is_superuser=True).values_list("pk", flat=True)
    )


def _candidates(kind: str, *, case, report, export) -> set[int]:
    if kind == K.CASE_OPENED:
        return _everyone_with_a_role()
    if kind == K.STEP_RECORDED:
        return {case.focal_point_id} if case.focal_point_id else set()
    if kind in (K.STATE_ANSWERED, K.DETENTION):
        return _case_legal_officers(case)
    if kind == K.COMMUNICATION_DUE:
        return _case_legal_officers(case) | _host_state_liaisons(case)
    if kind == K.REPORT_READY and report is not None:
        from missions.models import Membership

        # The legal officers of the report's State (by the State, a mission it hosts, or all).
        officers = Membership.objects.filter(state_legal_officers_q(report.host_state_id))
        users = _active_users().filter(pk__in=officers.values("user_id")).exclude(email="")
        ids = set(users.values_list("pk", flat=True))
        return ids | ({report.requested_by_id} if report.requested_by_id else set())
    if kind == K.REPORT_READY and export is not None:
        return {export.user_id} if export.user_id else set()
    return set()


def _in_scope(users: Iterable, kind: str, *, case, report, export) -> list:
    """The users who may see what the notification is about (the list's own rule)."""
    return [
        user
        for user in users
        if (case is None or _sees_case(user, kind, case))
        and (report is None or _sees_report(user, report))
        and (export is None or _sees_export(user, export))
    ]


def _sees_case(user, kind: str, case) -> bool:
    from accountability.models import Case

    cases = (
        Case.objects.with_visible_suspects(user)
        if kind in SUSPECT_KINDS
        else Case.objects.visible_to(user)
    )
    return cases.filter(pk=case.pk).exists()


def _job_models():
    """The follow-up report and export models. Their apps sit above this one: they are
    reached through the notification's own foreign keys, not imported."""
    fields = Notification._meta.get_field("report"), Notification._meta.get_field("export")
    return tuple(f.related_model for f in fields)


def _sees_report(user, report) -> bool:
    FollowUpReport, _ExportJob = _job_models()
    return FollowUpReport.objects.visible_to(user).filter(pk=report.pk).exists()


def _sees_export(user, export) -> bool:
    _FollowUpReport, ExportJob = _job_models()
    return ExportJob.objects.visible_to(user).filter(pk=export.pk).exists()


@transaction.atomic
def notifications_create(
    *,
    kind: str,
    event_key: str,
    case_id: int | None = None,
    report_id: int | None = None,
    export_id: int | None = None,
    data: dict | None = None,
    actor_id: int | None = None,
) -> list[int]:
    """One notification per recipient in scope (once per event); the new ones' ids.
    Recipients who chose "at once" are e-mailed after the commit."""
    from accountability.models import Case

    FollowUpReport, ExportJob = _job_models()
    case = Case.objects.select_related("mission").filter(pk=case_id).first() if case_id else None
    report = FollowUpReport.objects.filter(pk=report_id).first() if report_id else None
    export = ExportJob.objects.filter(pk=export_id).first() if export_id else None
    if (case_id and case is None) or (report_id and report is None) or (export_id and not export):
        return []  # deleted since: nothing to tell
    data = dict(data or {})
    if case is not None:
        data.setdefault("reference", case.reference)
        data.setdefault("mission", case.mission.acronym)
    candidates = _candidates(kind, case=case, report=report, export=export) - {actor_id}
    users = _active_users().filter(pk__in=candidates)
    recipients = _in_scope(users.order_by("pk"), kind, case=case, report=report, export=export)
    created = Notification.objects.bulk_create(
        [
            Notification(
                recipient=user,
                kind=kind,
                case=case,
                report=report,
                export=export,
                data=data,
                event_key=event_key,
            )
            for user in recipients
        ],
        ignore_conflicts=True,
    )
    # ignore_conflicts leaves no primary keys: read back this event's rows not yet e-mailed.
    ids = (
        list(
            Notification.objects.filter(
                event_key=event_key,
                recipient__in=[u.pk for u in recipients],
                emailed_at__isnull=True,
            ).values_list("pk", flat=True)
        )
        if created
        else []
    )
    if ids:
        transaction.on_commit(lambda: notifications_email_now(notification_ids=ids))
    return ids


# --- e-mail -------------------------------------------------------------------------------


def delivery_for(user, kind: str) -> str:
    chosen = (
        NotificationPreference.objects.filter(user=user, kind=kind)
        .values_list("delivery", flat=True)
        .first()
    )
    return chosen or DEFAULT_DELIVERY


def user_language(user) -> str:
    """The interface language the user chose, else the site's
    (peacekeeping.accounts.models.recipient_language: one rule for every e-mail)."""
    return recipient_language(user)


def _claim_for_email(ids: list[int]) -> list[Notification]:
    """Mark the notifications e-mailed before sending: a task run twice sends once."""
    now = timezone.now()
    claimed = []
    for notification in Notification.objects.filter(pk__in=ids, emailed_at__isnull=True):
        if Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
            emailed_at=now
        ):
            claimed.append(notification)
    return claimed


def _send(user, subject: str, lines: list[str]) -> None:
    EmailMessage(
        subject, "\n\n".join(lines) + "\n", settings.DEFAULT_FROM_EMAIL, [user.email]
    ).send()


def _line(notification: Notification) -> str:
    return (
        f"{notification_text(notification)}\n{settings.SITE_URL}{notification_path(notification)}"
    )


def notifications_email_now(*, notification_ids: list[int]) -> int:
    """E-mail, one each, the notifications whose recipient chose "at once"; how many."""
    sent = 0
    notifications = Notification.objects.filter(pk__in=notification_ids).select_related("recipient")
    wanted = [
        n.pk
        for n in notifications
        if n.recipient.email and delivery_for(n.recipient, n.kind) == Delivery.IMMEDIATE
    ]
    for notification in _claim_for_email(wanted):
        user = notification.recipient
        if not Notification.objects.visible_to(user).filter(pk=notification.pk).exists():
            continue
        with translation.override(user_language(user)):
            _send(
                user,
                _("Peacekeeping accountability: %(what)s")
                % {"what": notification.get_kind_display()},
                [_line(notification)],
            )
        sent += 1
    return sent


def notifications_send_digest(*, now=None) -> int:
    """One e-mail per user who chose the daily digest for kinds with news: the
    notifications not yet e-mailed and still in scope; how many e-mails."""
    now = now or timezone.now()
    pending = (
        Notification.objects.filter(emailed_at__isnull=True, created_at__lte=now)
        .select_related("recipient")
        .order_by("recipient_id", "created_at", "id")
    )
    by_user: dict[int, list[Notification]] = {}
    users = {}
    for n in pending:
        if n.recipient.is_active and n.recipient.email:
            by_user.setdefault(n.recipient_id, []).append(n)
            users[n.recipient_id] = n.recipient
    sent = 0
    for user_id, notifications in by_user.items():
        user = users[user_id]
        chosen = [n for n in notifications if delivery_for(user, n.kind) == Delivery.DIGEST]
        visible = set(
            Notification.objects.visible_to(user)
            .filter(pk__in=[n.pk for n in chosen])
            .values_list("pk", flat=True)
        )
        claimed = _claim_for_email([n.pk for n in chosen if n.pk in visible])
        if not claimed:
            continue
        with translation.override(user_language(user)):
            _send(
                user,
                ngettext(
                    "Peacekeeping accountability: %(count)s new notification",
                    "Peacekeeping accountability: %(count)s new notifications",
                    len(claimed),
                )
                % {"count": len(claimed)},
                [_line(n) for n in claimed],
            )
        sent += 1
    return sent


# --- daily deadlines ----------------------------------------------------------------------


def notifications_scan_deadlines(*, as_of: date | None = None) -> int:
    """Communications due within FOLLOWUP_DUE_SOON_DAYS or overdue, and suspects detained
    without trial past FOLLOWUP_DETENTION_THRESHOLD_DAYS; how many notifications. Each
    event is notified once (its key), so running the scan twice a day is harmless."""
    from accountability.figures import due_soon_q, is_overdue, overdue_q
    from accountability.models import FollowUp, Suspect

    as_of = as_of or date.today()
    created = 0
    # "Due" and "overdue" as accountability/figures.py defines them, as the desks show them.
    awaiting = FollowUp.objects.filter(
        overdue_q(as_of) | due_soon_q(as_of, settings.FOLLOWUP_DUE_SOON_DAYS)
    ).only("pk", "case_id", "sent_on", "response_due", "response_received_on")
    for follow_up in awaiting:
        overdue = is_overdue(follow_up, as_of)
        created += len(
            notifications_create(
                kind=K.COMMUNICATION_DUE,
                event_key=f"followup:{follow_up.pk}:{'overdue' if overdue else 'due'}",
                case_id=follow_up.case_id,
                data={
                    "sent_on": follow_up.sent_on.isoformat(),
                    "due": follow_up.response_due.isoformat(),
                    "overdue": overdue,
                    "anchor": f"follow-up-{follow_up.pk}",
                },
            )
        )
    days = settings.FOLLOWUP_DETENTION_THRESHOLD_DAYS
    for suspect in Suspect.objects.detained_without_trial(days=days, as_of=as_of).only(
        "pk", "case_id", "custody_since"
    ):
        created += len(
            notifications_create(
                kind=K.DETENTION,
                event_key=f"suspect:{suspect.pk}:detained:{suspect.custody_since}",
                case_id=suspect.case_id,
                data={
                    "since": suspect.custody_since.isoformat(),
                    "days": days,
                    "anchor": f"suspect-{suspect.pk}",
                },
            )
        )
    return created


# --- the reader's actions -------------------------------------------------------------------


@transaction.atomic
def notification_mark_read(*, actor, notification: Notification) -> Notification:
    """Mark one of the actor's notifications read (again: nothing changes)."""
    if notification.recipient_id != actor.pk:
        raise DomainError(_("This notification is not yours."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        audit_record(
            actor=actor,
            action="notification.read",
            obj=notification,
            changes={"read_at": [None, notification.read_at.isoformat()]},
        )
    return notification


@transaction.atomic
def notifications_mark_all_read(*, actor) -> int:
    """Mark every unread notification of the actor's read; how many."""
    count = Notification.objects.visible_to(actor).unread().update(read_at=timezone.now())
    if count:
        audit_record(
            actor=actor,
            action="notification.read_all",
            object_type="accountability.notification",
            changes={"count": [None, count]},
        )
    return count


@transaction.atomic
def notification_preferences_set(*, actor, deliveries: dict[str, str]) -> dict[str, str]:
    """The actor's choice of e-mail per kind; unknown kinds or choices are refused."""
    for kind, delivery in deliveries.items():
        if kind not in K.values or delivery not in Delivery.values:
            raise DomainError(
                _("“%(value)s” is not a choice for notifications.") % {"value": delivery},
                field=kind,
            )
    changes = {}
    current = dict(
        NotificationPreference.objects.filter(user=actor).values_list("kind", "delivery")
    )
    for kind, delivery in deliveries.items():
        before = current.get(kind, DEFAULT_DELIVERY)
        if before == delivery:
            continue
        NotificationPreference.objects.update_or_create(
            user=actor, kind=kind, defaults={"delivery": delivery}
        )
        changes[kind] = [before, delivery]
    if changes:
        audit_record(
            actor=actor,
            action="notification.preferences",
            object_type="auth.user",
            object_id=str(actor.pk),
            changes=changes,
        )
    return {kind: deliveries.get(kind, current.get(kind, DEFAULT_DELIVERY)) for kind in K.values}
