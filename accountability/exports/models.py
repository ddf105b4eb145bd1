"""One export: who asked for what, with which filters, and what came out."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accountability.exports.querysets import ExportJobQuerySet
from peacekeeping.jobs import Job


def export_file_path(job: "ExportJob", filename: str) -> str:
    """exports/<YYYY>/<MM>/<filename>: the month the export was asked for."""
    return f"exports/{job.created_at:%Y/%m}/{filename}"


class ExportJob(Job):
    """An export of a list, the indicators or a case file, and its manifest.

    Every export has a row, the small ones served at once (`delivery` "direct": the file
    went to the browser and is not kept) as well as the large ones built by a Celery
    worker (`delivery` "stored": the file is kept until `expires_at`). The job's state
    lives here, not in the broker (the fields and protocol of peacekeeping/jobs.py, shared
    with follow-up reports).
    """

    class Kind(models.TextChoices):
        INCIDENTS = "incidents", _("Incidents")
        CASUALTIES = "casualties", _("Casualties")
        CASES = "cases", _("Cases")
        PROCEDURES = "procedures", _("Suspects' procedures")
        INDICATORS = "indicators", _("Resolution 2589 indicators")
        CASE_FILE = "case_file", _("Case file")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"
        JSON = "json", "JSON"
        PDF = "pdf", "PDF"

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")

    class Delivery(models.TextChoices):
        DIRECT = "direct", _("Served at once")
        STORED = "stored", _("Built in the background")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="export_jobs",
        verbose_name=_("requested by"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    delivery = models.CharField(
        _("delivery"), max_length=6, choices=Delivery.choices, default=Delivery.STORED
    )
    # The job's status (peacekeeping/jobs.py), with one more: the stored file expired.
    status = models.CharField(
        _("status"), max_length=7, choices=Status.choices, default=Status.PENDING
    )
    expected_rows = models.PositiveBigIntegerField(_("rows expected"), null=True, blank=True)
    row_count = models.PositiveBigIntegerField(_("rows"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to=export_file_path, max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("bytes"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    manifest = models.JSONField(_("manifest"), null=True, blank=True)
    as_of = models.DateTimeField(_("data as of"), null=True, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        db_table = "accountability_exportjob"
        ordering = ["-created_at", "-id"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="export_job_progress_at_most_100"
            ),
        ]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="export_job_user_recent"),
            # The sweeper's query, every minute: unfinished jobs by their last sign of life.
            models.Index(
                fields=["status", "heartbeat_at"],
                condition=Q(status__in=["pending", "running"]),
                name="export_job_unfinished",
            ),
            # The purge's query: stored files past their expiry.
            models.Index(
                fields=["expires_at"], condition=Q(status="done"), name="export_job_expiring"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.format.upper()} #{self.pk}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("exports:job_detail", kwargs={"pk": self.pk})

    @property
    def filename(self) -> str:
        """The name the download is saved under: kind, filters' as-of time, extension."""
        stamp = f"{self.as_of or self.created_at:%Y%m%dT%H%M%SZ}"
        return f"{self.kind.replace('_', '-')}-{stamp}.{self.format}"

    @property
    def downloadable(self) -> bool:
        return self.status == self.Status.DONE and bool(self.file)
