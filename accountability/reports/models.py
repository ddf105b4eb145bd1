"""The follow-up report of one host State for one period, and its three files."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accountability.reports.querysets import FollowUpReportQuerySet
from peacekeeping.jobs import Job

# The three renderings of a report, each a file with its own SHA-256.
REPORT_FORMATS = ("pdf", "xlsx", "html")
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
}


def report_file_path(report: "FollowUpReport", filename: str) -> str:
    """reports/<ISO3>/<period>/<filename>: one folder per State (or undetermined list of
    a mission, TBD-<mission>) and period."""
    return f"reports/{report.subject_code}/{report.period_label}/{filename}"


class FollowUpReport(Job):
    """One host State's follow-up report for one period (a month or a quarter).

    A re-request of the same State and period whose content changed is a new version,
    which supersedes the previous one; an unchanged one returns the existing version.
    With no host State, the report lists one mission's cases whose host State is to be
    determined (for the UN's legal officers). The job's state lives here, in the
    database, not in the broker (the fields and protocol of peacekeeping/jobs.py, shared
    with exports).
    """

    class PeriodKind(models.TextChoices):
        MONTH = "month", _("Month")
        QUARTER = "quarter", _("Quarter")

    host_state = models.ForeignKey(
        "missions.Country",
        on_delete=models.PROTECT,
        related_name="followup_reports",
        verbose_name=_("host State"),
        null=True,
        blank=True,
        help_text=_("Empty: the mission's cases whose host State is to be determined."),
    )
    mission = models.ForeignKey(
        "missions.Mission",
        on_delete=models.PROTECT,
        related_name="undetermined_reports",
        verbose_name=_("mission (host State to be determined)"),
        null=True,
        blank=True,
    )
    period_kind = models.CharField(_("period kind"), max_length=7, choices=PeriodKind.choices)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    period_label = models.CharField(_("period"), max_length=7)
    version = models.PositiveIntegerField(_("version"), default=1)
    language = models.CharField(_("language"), max_length=2)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    as_of = models.DateTimeField(_("data as of"), null=True, blank=True)
    content = models.JSONField(_("content"), null=True, blank=True, editable=False)
    content_sha256 = models.CharField(_("content SHA-256"), max_length=64, blank=True)
    pdf = models.FileField(_("PDF"), upload_to=report_file_path, max_length=255, blank=True)
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True)
    xlsx = models.FileField(_("XLSX"), upload_to=report_file_path, max_length=255, blank=True)
    xlsx_sha256 = models.CharField(_("XLSX SHA-256"), max_length=64, blank=True)
    html = models.FileField(_("HTML"), upload_to=report_file_path, max_length=255, blank=True)
    html_sha256 = models.CharField(_("HTML SHA-256"), max_length=64, blank=True)
    notified_at = models.DateTimeField(_("legal officers notified at"), null=True, blank=True)

    objects = FollowUpReportQuerySet.as_manager()

    class Meta:
        db_table = "accountability_followupreport"
        ordering = ["-requested_at", "-id"]
        verbose_name = _("follow-up report")
        verbose_name_plural = _("follow-up reports")
        constraints = [
            models.UniqueConstraint(
                fields=["host_state", "period_start", "period_kind", "version"],
                condition=Q(host_state__isnull=False),
                name="followup_report_unique_version",
            ),
            models.UniqueConstraint(
                fields=["mission", "period_start", "period_kind", "version"],
                condition=Q(host_state__isnull=True),
                name="followup_report_undetermined_unique_version",
            ),
            models.CheckConstraint(
                condition=Q(host_state__isnull=False, mission__isnull=True)
                | Q(host_state__isnull=True, mission__isnull=False),
                name="followup_report_state_or_mission",
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="followup_report_progress_at_most_100"
            ),
        ]
        indexes = [
            # The sweeper's query, every minute: unfinished jobs by their last sign of life.
            models.Index(
                fields=["status", "heartbeat_at"],
                condition=Q(status__in=["pending", "running"]),
                name="followup_report_unfinished",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject_code} {self.period_label} v{self.version}"

    @property
    def subject_code(self) -> str:
        """The State's ISO3, or TBD-<mission> for an undetermined list."""
        if self.host_state_id is None:
            return f"TBD-{self.mission.acronym}"
        return self.host_state.iso3

    @property
    def subject_name(self) -> str:
        if self.host_state_id is None:
            return _("Host State to be determined (%(mission)s)") % {
                "mission": self.mission.acronym
            }
        return self.host_state.name

    def file_for(self, fmt: str):
        return getattr(self, fmt)

    def sha256_for(self, fmt: str) -> str:
        return getattr(self, f"{fmt}_sha256")


class ImpunityDigest(models.Model):
    """The weekly impunity digest sent for one mission: at most one per mission and week.

    The row is written in the transaction that sends the e-mails, so a task delivered
    twice sends the digest once.
    """

    mission = models.ForeignKey(
        "missions.Mission",
        on_delete=models.CASCADE,
        related_name="impunity_digests",
        verbose_name=_("mission"),
    )
    week = models.DateField(_("week starting"))
    cases = models.JSONField(_("cases"), default=list)
    recipients = models.JSONField(_("recipients"), default=list)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("impunity digest")
        verbose_name_plural = _("impunity digests")
        db_table = "accountability_impunitydigest"
        ordering = ["-week", "mission_id"]
        constraints = [
            models.UniqueConstraint(fields=["mission", "week"], name="impunity_digest_once_a_week")
        ]

    def __str__(self) -> str:
        return f"{self.mission} {self.week}"


class ReportAddressee(models.Model):
    """To whom a host State's follow-up reports are addressed (e.g. the Permanent Mission
    to the United Nations, or the Ministry of Justice), one line per line of the block.
    Kept by the State's legal officers; every report built afterwards carries it."""

    host_state = models.OneToOneField(
        "missions.Country",
        on_delete=models.CASCADE,
        related_name="report_addressee",
        verbose_name=_("host State"),
    )
    lines = models.TextField(
        _("addressee"),
        help_text=_("One line per line of the address block, as it should be printed."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        db_table = "accountability_reportaddressee"
        verbose_name = _("report addressee")
        verbose_name_plural = _("report addressees")

    def __str__(self) -> str:
        return f"{self.host_state.iso3}: {self.lines.splitlines()[0] if self.lines else ''}"


def report_addressee_lines(host_state) -> list[str]:
    """The State's address block, line by line; empty when none was set."""
    addressees = ReportAddressee.objects.filter(host_state=host_state)
    text = addressees.values_list("lines", flat=True).first()
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class ReportAcknowledgement(models.Model):
    """The host State's acknowledgement of receipt of one version of its report: its
    response to the UN's communication, dated, by whom, with an optional note."""

    report = models.OneToOneField(
        FollowUpReport,
        on_delete=models.CASCADE,
        related_name="acknowledgement",
        verbose_name=_("follow-up report"),
    )
    received_on = models.DateField(_("received on"))
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    note = models.TextField(_("note"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        db_table = "accountability_reportacknowledgement"
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("acknowledgement of receipt")
        verbose_name_plural = _("acknowledgements of receipt")

    def __str__(self) -> str:
        return f"{self.report} — {self.received_on}"
