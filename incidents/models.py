"""Attacks on peacekeepers, the people harmed, the armed groups behind them, evidence."""

from datetime import UTC, date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from incidents.choices import (
    ACLED_MAPPING,
    AttackType,
    DatePrecision,
    IncidentSource,
    IncidentStatus,
    IncidentType,
    LocationPrecision,
    Outcome,
)
from incidents.querysets import ArmedGroupQuerySet, CasualtyQuerySet, IncidentQuerySet
from missions.choices import PersonnelCategory

# The longest narrative or sources an incident keeps, and the longest notes on a casualty:
# one limit that the form, the API, the admin (through these fields' max_length) and the
# services (incidents.services.common.check_length, whatever the caller) all apply.
TEXT_MAX_LENGTH = 100_000
NOTES_MAX_LENGTH = 10_000


class ArmedGroup(models.Model):
    """A perpetrator in the register of armed groups, known under several aliases."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    countries = models.ManyToManyField(
        "missions.Country", related_name="armed_groups", blank=True, verbose_name=_("countries")
    )

    objects = ArmedGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("armed group")
        verbose_name_plural = _("armed groups")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ArmedGroupAlias(models.Model):
    """Another name an armed group is known by (searchable)."""

    armed_group = models.ForeignKey(
        ArmedGroup, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("armed group")
    )
    alias = models.CharField(_("alias"), max_length=200)

    class Meta:
        verbose_name = _("armed group alias")
        ordering = ["alias"]
        constraints = [
            models.UniqueConstraint(fields=["armed_group", "alias"], name="alias_unique_per_group")
        ]
        verbose_name_plural = _("armed group aliases")

    def __str__(self) -> str:
        return self.alias


class Incident(models.Model):
    """An event in which peacekeepers were harmed: one attack, accident or illness."""

    reference = models.CharField(_("reference"), max_length=40, unique=True, editable=False)
    mission = models.ForeignKey(
        "missions.Mission",
        on_delete=models.PROTECT,
        related_name="incidents",
        verbose_name=_("mission"),
    )
    occurred_at = models.DateTimeField(_("date and time"))
    date_precision = models.CharField(
        _("date precision"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    country = models.ForeignKey(
        "missions.Country",
        on_delete=models.PROTECT,
        related_name="incidents",
        null=True,
        blank=True,
        verbose_name=_("country where it happened"),
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    admin_area = models.CharField(_("admin area"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    location_precision = models.CharField(
        _("location precision"),
        max_length=12,
        choices=LocationPrecision.choices,
        default=LocationPrecision.NEAR,
    )
    incident_type = models.CharField(
        _("incident type"), max_length=20, choices=IncidentType.choices
    )
    attack_type = models.CharField(
        _("attack type"), max_length=20, choices=AttackType.choices, blank=True
    )
    perpetrators = models.ManyToManyField(
        ArmedGroup, related_name="incidents", blank=True, verbose_name=_("perpetrators")
    )
    perpetrator_unknown = models.BooleanField(_("perpetrator unknown"), default=True)
    narrative = models.TextField(_("narrative"), blank=True, max_length=TEXT_MAX_LENGTH)
    sources = models.TextField(_("sources"), blank=True, max_length=TEXT_MAX_LENGTH)
    status = models.CharField(
        _("status"), max_length=10, choices=IncidentStatus.choices, default=IncidentStatus.DRAFT
    )
    source = models.CharField(
        _("origin"), max_length=15, choices=IncidentSource.choices, default=IncidentSource.MANUAL
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # The key the recording client sent with the submission (an offline outbox, a double
    # tap): a replay of the same key by the same user finds this incident instead of
    # recording a second one (incidents.services.idempotency).
    idempotency_key = models.UUIDField(_("idempotency key"), null=True, blank=True, editable=False)

    objects = IncidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["mission", "-occurred_at"], name="incident_mission_date"),
            # The list's default order (latest first, then id) over every mission: the
            # first page reads the index's head instead of sorting every incident.
            models.Index(fields=["-occurred_at", "-id"], name="incident_date_id"),
            models.Index(fields=["incident_type", "occurred_at"], name="incident_type_date"),
            # The lists' most used filters (malicious acts verified; drafts and submitted
            # incidents awaiting verification): their capped count reads this index alone.
            models.Index(fields=["incident_type", "status"], name="incident_type_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(attack_type="") | Q(incident_type=IncidentType.MALICIOUS_ACT),
                name="incident_attack_type_only_for_malicious_acts",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="incident_coordinates_in_range",
            ),
            models.UniqueConstraint(
                fields=["created_by", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="incident_idempotency_key_unique_per_user",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("incidents:incident_detail", kwargs={"reference": self.reference})

    @property
    def occurred_on(self) -> date:
        """The day of the incident, in UTC (the zone dates are stored and computed in)."""
        return self.occurred_at.astimezone(UTC).date()

    @property
    def acled_event_type(self) -> str:
        return ACLED_MAPPING.get(self.attack_type, ("", ""))[0]

    @property
    def acled_sub_event_type(self) -> str:
        return ACLED_MAPPING.get(self.attack_type, ("", ""))[1]


class Casualty(models.Model):
    """A person harmed in an incident: a known peacekeeper, or a category and nationality."""

    # Indexed with the outcome (Meta.indexes): a list's killed and injured counts read
    # the index alone, not each casualty's row.
    incident = models.ForeignKey(
        Incident,
        on_delete=models.CASCADE,
        related_name="casualties",
        verbose_name=_("incident"),
        db_index=False,
    )
    personnel = models.ForeignKey(
        "missions.Personnel",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="casualties",
        verbose_name=_("personnel"),
    )
    category = models.CharField(_("category"), max_length=30, choices=PersonnelCategory.choices)
    nationality = models.ForeignKey(
        "missions.Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="casualties",
        verbose_name=_("nationality"),
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    date_of_death = models.DateField(
        _("date of death"),
        null=True,
        blank=True,
        help_text=_("When the person died later than the incident."),
    )
    # Unique through Meta.constraints rather than unique=True: on PostgreSQL unique=True
    # also builds a varchar_pattern_ops index for LIKE, which nothing runs on this key
    # and which every casualty the UN file's import loads would have to maintain. NULL,
    # not "", for "no UN ID": the unique constraint must let many casualties lack one.
    un_casualty_id = models.CharField(  # noqa: DJ001
        _("UN casualty ID"), max_length=40, null=True, blank=True
    )
    un_personnel_type = models.CharField(
        _("UN personnel type"), max_length=40, blank=True, help_text=_("As written in the UN file.")
    )
    notes = models.TextField(_("notes"), blank=True, max_length=NOTES_MAX_LENGTH)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CasualtyQuerySet.as_manager()

    class Meta:
        verbose_name = _("casualty")
        ordering = ["incident_id", "id"]
        verbose_name_plural = _("casualties")
        indexes = [
            models.Index(fields=["outcome"], name="casualty_outcome"),
            models.Index(fields=["incident", "outcome"], name="casualty_incident_outcome"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["un_casualty_id"], name="casualty_un_casualty_id_unique"
            )
        ]

    def __str__(self) -> str:
        who = str(self.personnel) if self.personnel_id else self.get_category_display()
        return f"{who} — {self.get_outcome_display()}"


class Attachment(models.Model):
    """An evidence file, stored under a generated name, with its digest."""

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("incident")
    )
    file = models.FileField(_("file"), upload_to="evidence/%Y/%m/")
    original_name = models.CharField(_("original name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size"))
    content_type = models.CharField(_("content type"), max_length=100)
    description = models.CharField(_("description"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name
