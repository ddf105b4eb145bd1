"""What a notification says and where it leads, in the reader's current language.

Only references, dates and labels are kept in `Notification.data`, so the text is
translated when it is read (the page in the interface's language, an e-mail in the
recipient's) and names no one.
"""

from datetime import date

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accountability.choices import ProcedureStepKind
from accountability.notifications.models import Notification
from accountability.notifications.models import NotificationKind as K


def _day(value) -> str:
    """A date kept as ISO 8601, written the UN's way in the reader's language
    ("6 December 2026", "6 décembre 2026"); anything else as it was kept."""
    try:
        return date_format(date.fromisoformat(str(value)), "DATE_FORMAT")
    except ValueError:
        return str(value or "")


def _step_label(value: str) -> str:
    try:
        return str(ProcedureStepKind(value).label)
    except ValueError:
        return value


def notification_text(notification: Notification) -> str:
    data = notification.data
    reference = data.get("reference", "")
    kind = notification.kind
    if kind == K.CASE_OPENED:
        return _("Case %(reference)s was opened (%(mission)s).") % {
            "reference": reference,
            "mission": data.get("mission", ""),
        }
    if kind == K.STEP_RECORDED:
        return _("A step was recorded on case %(reference)s: %(step)s (%(date)s).") % {
            "reference": reference,
            "step": _step_label(data.get("step", "")),
            "date": _day(data.get("date", "")),
        }
    if kind == K.STATE_ANSWERED:
        return _("The host State answered the communication of %(sent)s on case %(reference)s.") % {
            "reference": reference,
            "sent": _day(data.get("sent_on", "")),
        }
    if kind == K.COMMUNICATION_DUE:
        if data.get("overdue"):
            return _(
                "The host State's answer to the communication of %(sent)s on case "
                "%(reference)s is overdue (due %(due)s)."
            ) % {
                "reference": reference,
                "sent": _day(data.get("sent_on", "")),
                "due": _day(data.get("due")),
            }
        return _(
            "The host State's answer to the communication of %(sent)s on case %(reference)s "
            "is due on %(due)s."
        ) % {
            "reference": reference,
            "sent": _day(data.get("sent_on", "")),
            "due": _day(data.get("due")),
        }
    if kind == K.DETENTION:
        days = int(data.get("days") or 0)
        return ngettext(
            "A suspect in case %(reference)s has been detained without trial since %(since)s "
            "(more than %(days)s day).",
            "A suspect in case %(reference)s has been detained without trial since %(since)s "
            "(more than %(days)s days).",
            days,
        ) % {"reference": reference, "since": _day(data.get("since")), "days": days}
    if kind == K.REPORT_READY and notification.report_id:
        return _("The follow-up report %(label)s is ready.") % {"label": data.get("label", "")}
    if kind == K.REPORT_READY:
        return _("Your export (%(what)s) is ready to download.") % {"what": data.get("label", "")}
    return str(notification.get_kind_display())


def notification_path(notification: Notification) -> str:
    """The page the notification leads to (a path: the page adds no host)."""
    if notification.report_id:
        return reverse("reports:report_detail", kwargs={"pk": notification.report_id})
    if notification.export_id:
        return reverse("exports:job_detail", kwargs={"pk": notification.export_id})
    reference = notification.data.get("reference")
    if not reference:
        return reverse("notifications:notification_list")
    path = reverse("accountability:case_detail", kwargs={"reference": reference})
    anchor = notification.data.get("anchor")
    return f"{path}#{anchor}" if anchor else path
