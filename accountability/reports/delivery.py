"""Delivery of follow-up reports: the addressee block, the host State's acknowledgement of
receipt, and e-mails written in each recipient's own interface language."""

from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accountability.reports.labels import format_date, period_name, report_labels
from accountability.reports.models import FollowUpReport, ReportAcknowledgement, ReportAddressee
from accountability.reports.selectors import can_edit_report_addressee, responsible_legal_officers
from missions.models import Country
from missions.scope import can_acknowledge_followup_report
from peacekeeping.accounts.models import recipient_language as accounts_recipient_language
from peacekeeping.audit import audit_record
from peacekeeping.errors import DomainError, IllegalTransition, OutOfScope

ADDRESSEE_MAX_LINES = 8


def recipient_language(user) -> str:
    """The language the user chose for the interface, else the site's default
    (peacekeeping.accounts.models.recipient_language: one rule for every e-mail)."""
    return accounts_recipient_language(user)


def send_in_own_language(users, compose) -> int:
    """E-mail each user the message `compose(language)` returns as (subject, body), in
    the user's own language; how many were sent."""
    sent = 0
    for user in users:
        language = recipient_language(user)
        with translation.override(language):
            subject, body = compose(language)
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]).send()
        sent += 1
    return sent


def report_period_name(report: FollowUpReport, language: str) -> str:
    with translation.override(language):
        return period_name(report.period_kind, report.period_start, report_labels(language))


@transaction.atomic
def report_addressee_set(*, actor, host_state: Country, lines: str) -> ReportAddressee:
    """Set the address block printed on the State's next reports (a legal officer of
    the State, or an administrator)."""
    if not can_edit_report_addressee(actor, host_state):
        raise OutOfScope(
            _("Only the legal officers responsible for this State may change its addressee."),
            field="host_state",
        )
    cleaned = [line.strip() for line in (lines or "").splitlines() if line.strip()]
    if not cleaned:
        raise DomainError(_("Write the addressee, one line per line."), field="lines")
    if len(cleaned) > ADDRESSEE_MAX_LINES or any(len(line) > 200 for line in cleaned):
        raise DomainError(
            _("An address block has at most %(count)s lines of 200 characters.")
            % {"count": ADDRESSEE_MAX_LINES},
            field="lines",
        )
    text = "\n".join(cleaned)
    # The State's row serialises two editors, even when neither finds an addressee yet.
    list(Country.objects.select_for_update().filter(pk=host_state.pk).values_list("pk"))
    addressee = ReportAddressee.objects.filter(host_state=host_state).first()
    before = addressee.lines if addressee else None
    if addressee is None:
        addressee = ReportAddressee(host_state=host_state)
    addressee.lines = text
    addressee.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    addressee.save()
    audit_record(
        actor=actor,
        action="report_addressee.set",
        obj=addressee,
        changes={"host_state": [None, host_state.iso3], "lines": [before, text]},
    )
    return addressee


@transaction.atomic
def followup_report_acknowledge(
    *, actor, report: FollowUpReport, received_on: date, note: str = ""
) -> ReportAcknowledgement:
    """The host State's liaison acknowledges receipt of the report (once), dated; the
    State's legal officers are told, each in their own language."""
    report = (
        # Locks the report's row only: two acknowledgements of one report queue up here.
        FollowUpReport.objects.select_for_update(of=("self",))
        .select_related("host_state")
        .get(pk=report.pk)
    )
    if not can_acknowledge_followup_report(actor, report):
        raise OutOfScope(
            _("Only the liaison of the State the report is addressed to may acknowledge it."),
            field="report",
        )
    existing = ReportAcknowledgement.objects.filter(report=report).first()
    if existing is not None:
        raise IllegalTransition(
            _("Receipt of this report was already acknowledged on %(date)s.")
            % {"date": existing.received_on},
            field="received_on",
        )
    today = timezone.localdate()
    built_on = timezone.localdate(report.finished_at) if report.finished_at else today
    if received_on > today:
        raise DomainError(_("A receipt cannot be dated in the future."), field="received_on")
    if received_on < built_on:
        raise DomainError(
            _("A receipt cannot be dated before the report was issued (%(date)s).")
            % {"date": built_on},
            field="received_on",
        )
    note = (note or "").strip()
    acknowledgement = ReportAcknowledgement.objects.create(
        report=report, received_on=received_on, acknowledged_by=actor, note=note
    )
    audit_record(
        actor=actor,
        action="followup_report.acknowledge",
        obj=report,
        changes={"received_on": [None, received_on.isoformat()], "note": [None, note]},
    )
    transaction.on_commit(lambda: _tell_legal_officers(acknowledgement.pk))
    return acknowledgement


def _tell_legal_officers(acknowledgement_id: int) -> int:
    from accountability.reports.services import followup_report_url

    ack = ReportAcknowledgement.objects.select_related("report__host_state", "acknowledged_by").get(
        pk=acknowledgement_id
    )
    report = ack.report

    def compose(language: str) -> tuple[str, str]:
        labels = report_labels(language)
        state = report.host_state.name_fr if language == "fr" else report.host_state.name_en
        period = report_period_name(report, language)
        subject = labels["email_ack_subject"].format(state=state, period=period)
        body = labels["email_ack_body"].format(
            who=ack.acknowledged_by.get_full_name() or ack.acknowledged_by.get_username(),
            state=state,
            period=period,
            version=report.version,
            date=format_date(ack.received_on, labels, long=True),
            note=ack.note,
            link=followup_report_url(report),
        )
        return subject, body

    return send_in_own_language(responsible_legal_officers(report.host_state), compose)
