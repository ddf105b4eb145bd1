"""Each attack's case and its path to justice, the UN's follow-up and capacity support."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accountability.choices import (
    CaseEventKind,
    CaseStage,
    FollowUpChannel,
    Institution,
    InvestigatingAuthority,
    InvestigationStatus,
    ProcedureStepKind,
    SupportKind,
)

# The notifications are a part of this app with a module of their own.
from accountability.notifications.models import Notification, NotificationPreference  # noqa: F401
from accountability.querysets import (
    CapacitySupportQuerySet,
    CaseQuerySet,
    FollowUpQuerySet,
    SuspectQuerySet,
)

User = settings.AUTH_USER_MODEL


class Case(models.Model):
    """The justice case of one or more malicious acts that killed or injured peacekeepers.

    `attack_date`, `stage`, `last_progress_on`, `investigation_opened_on` and
    `has_conviction` are kept by the services, so the impunity rule is one indexed query.
    """

    reference = models.CharField(_("reference"), max_length=40, unique=True, editable=False)
    mission = models.ForeignKey(
        "missions.Mission",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("mission"),
    )
    host_state = models.ForeignKey(
        "missions.Country",
        on_delete=models.PROTECT,
        related_name="cases",
        null=True,
        blank=True,
        verbose_name=_("host State with jurisdiction"),
        help_text=_(
            "Empty while to be determined: a case opened by an import whose mission had "
            "several host countries, until a legal officer names the State."
        ),
    )
    incidents = models.ManyToManyField(
        "incidents.Incident",
        through="CaseIncident",
        related_name="cases",
        verbose_name=_("incidents"),
    )
    focal_point = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="focal_cases",
        verbose_name=_("mission focal point"),
    )
    opened_on = models.DateField(_("opened on"))
    attack_date = models.DateField(_("date of the attack"))
    investigation_status = models.CharField(
        _("investigation status"),
        max_length=25,
        choices=InvestigationStatus.choices,
        default=InvestigationStatus.UNKNOWN,
    )
    investigation_opened_on = models.DateField(_("investigation opened on"), null=True, blank=True)
    stage = models.CharField(
        _("stage"), max_length=20, choices=CaseStage.choices, default=CaseStage.NO_INVESTIGATION
    )
    last_progress_on = models.DateField(_("last progress"), null=True, blank=True)
    has_conviction = models.BooleanField(_("conviction pronounced"), default=False)
    killed = models.PositiveIntegerField(_("peacekeepers killed"), default=0)
    injured = models.PositiveIntegerField(_("peacekeepers injured"), default=0)
    opened_by_import = models.BooleanField(_("opened by an import"), default=False)
    summary = models.TextField(_("summary"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-attack_date", "-id"]
        indexes = [
            models.Index(fields=["host_state", "attack_date"], name="case_state_attack"),
            models.Index(fields=["mission", "attack_date"], name="case_mission_attack"),
            models.Index(fields=["stage"], name="case_stage"),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("accountability:case_detail", kwargs={"reference": self.reference})

    @property
    def host_state_name(self) -> str:
        """The host State's name in the reader's language, or "to be determined"."""
        return self.host_state.name if self.host_state_id else str(TO_BE_DETERMINED)

    def days_since_attack(self, today: date | None = None) -> int:
        return ((today or date.today()) - self.attack_date).days

    def days_since_last_progress(self, today: date | None = None) -> int:
        return ((today or date.today()) - (self.last_progress_on or self.attack_date)).days


class CaseIncident(models.Model):
    """An incident joined to a case. An incident belongs to at most one case."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="case_incidents", verbose_name=_("case")
    )
    incident = models.OneToOneField(
        "incidents.Incident",
        on_delete=models.PROTECT,
        related_name="case_link",
        verbose_name=_("incident"),
    )
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        verbose_name = _("case incident")
        verbose_name_plural = _("case incidents")

    def __str__(self) -> str:
        return f"{self.case} ← {self.incident}"


# Said wherever a host State is not yet known (a case opened by an import).
TO_BE_DETERMINED = _("to be determined")


class CaseEvent(models.Model):
    """Append-only timeline of a case: every dated, sourced step, in one list.

    An investigation's events name it and, for a change of status, the status it moved
    to: a case's stage and last progress can then be replayed as of any day, counting
    only the host State's own authorities (accountability/impunity.py).
    """

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=40, choices=CaseEventKind.choices)
    investigation = models.ForeignKey(
        "Investigation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("investigation"),
    )
    investigation_status = models.CharField(
        _("investigation status"),
        max_length=25,
        choices=InvestigationStatus.choices,
        blank=True,
        db_default="",
    )
    occurred_on = models.DateField(_("date"))
    # The words of the line come from `kind` and `params` when it is shown, in the
    # reader's language (accountability.timeline); `description` holds only what a
    # person typed (a note, a summary), or the English prose of lines written before.
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    description = models.TextField(_("description"), blank=True)
    source = models.TextField(_("source"), blank=True)
    recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["occurred_on", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.occurred_on} {self.kind}"


class Investigation(models.Model):
    """An investigation into a case, by one authority."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="investigations", verbose_name=_("case")
    )
    authority = models.CharField(
        _("by whom"), max_length=25, choices=InvestigatingAuthority.choices
    )
    authority_name = models.CharField(
        _("office"), max_length=200, blank=True, help_text=_("e.g. Tribunal de grande instance")
    )
    status = models.CharField(
        _("status"),
        max_length=25,
        choices=InvestigationStatus.choices,
        default=InvestigationStatus.OPENED,
    )
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    source = models.TextField(_("source"), blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("investigation")
        verbose_name_plural = _("investigations")
        ordering = ["opened_on", "id"]

    def __str__(self) -> str:
        return f"{self.case} — {self.get_authority_display()}"


class Suspect(models.Model):
    """A person suspected of the attack. `status` and `in_custody` follow the last step."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="suspects", verbose_name=_("case")
    )
    name = models.CharField(_("name"), max_length=200)
    alias = models.CharField(_("alias"), max_length=200, blank=True)
    armed_group = models.ForeignKey(
        "incidents.ArmedGroup",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="suspects",
        verbose_name=_("armed group"),
    )
    nationality = models.ForeignKey(
        "missions.Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nationality"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ProcedureStepKind.choices,
        default=ProcedureStepKind.IDENTIFIED,
    )
    status_since = models.DateField(_("status since"), null=True, blank=True)
    in_custody = models.BooleanField(_("in custody"), default=False)
    custody_since = models.DateField(_("in custody since"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = SuspectQuerySet.as_manager()

    class Meta:
        verbose_name = _("suspect")
        verbose_name_plural = _("suspects")
        ordering = ["case_id", "id"]

    def __str__(self) -> str:
        return self.name


class ProcedureStep(models.Model):
    """One dated, sourced step of a suspect's procedure. Append-only: never edited."""

    suspect = models.ForeignKey(
        Suspect, on_delete=models.CASCADE, related_name="steps", verbose_name=_("suspect")
    )
    kind = models.CharField(_("step"), max_length=20, choices=ProcedureStepKind.choices)
    occurred_on = models.DateField(_("date"))
    legal_term = models.CharField(
        _("local legal term"),
        max_length=120,
        blank=True,
        help_text=_("e.g. mandat d'arrêt, inculpation, renvoi, committal"),
    )
    source = models.TextField(_("source"))
    note = models.TextField(_("note"), blank=True)
    sentence = models.CharField(_("sentence"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("procedure step")
        verbose_name_plural = _("procedure steps")
        ordering = ["occurred_on", "id"]

    def __str__(self) -> str:
        return f"{self.suspect} {self.occurred_on} {self.get_kind_display()}"


class FollowUp(models.Model):
    """A communication of the UN with the host State about a case."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("case")
    )
    sent_on = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=15, choices=FollowUpChannel.choices)
    summary = models.TextField(_("summary"))
    response_due = models.DateField(_("response due"), null=True, blank=True)
    response_received_on = models.DateField(_("response received"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    # The State's own answer, recorded in the app by its liaison (else the response was
    # recorded by a legal officer from what the State sent).
    response_by_liaison = models.BooleanField(_("answered by the State's liaison"), default=False)
    response_recorded_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("response recorded by"),
    )
    response_document = models.FileField(
        _("document attached to the response"), upload_to="followups/%Y/%m/", blank=True
    )
    response_document_name = models.CharField(
        _("response document name"), max_length=255, blank=True
    )
    response_document_type = models.CharField(
        _("response document type"), max_length=100, blank=True
    )
    recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["-sent_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(response_due__isnull=True) | Q(response_due__gte=models.F("sent_on")),
                name="followup_due_after_sent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.sent_on} {self.get_channel_display()}"


class CapacitySupport(models.Model):
    """Support to the host State's police, judicial and penitentiary institutions."""

    host_state = models.ForeignKey(
        "missions.Country",
        on_delete=models.PROTECT,
        related_name="capacity_support",
        verbose_name=_("host State"),
    )
    mission = models.ForeignKey(
        "missions.Mission",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="capacity_support",
        verbose_name=_("mission"),
    )
    provided_on = models.DateField(_("date"))
    institution = models.CharField(_("institution"), max_length=20, choices=Institution.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=SupportKind.choices)
    description = models.TextField(_("description"))
    cases = models.ManyToManyField(
        Case, related_name="capacity_support", blank=True, verbose_name=_("cases")
    )
    recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CapacitySupportQuerySet.as_manager()

    class Meta:
        verbose_name = _("capacity support")
        ordering = ["-provided_on", "-id"]
        verbose_name_plural = _("capacity support")

    def __str__(self) -> str:
        return f"{self.host_state} {self.provided_on} {self.get_kind_display()}"
