"""UN operations, host States, peacekeepers and who works for which mission."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from missions.choices import (
    Gender,
    LiaisonBasis,
    MissionKind,
    PersonnelCategory,
    Role,
    SavedList,
    WorkingLanguage,
)
from missions.querysets import (
    CountryQuerySet,
    MembershipQuerySet,
    MissionQuerySet,
    PersonnelQuerySet,
)
from missions.time_zones import zone_named


class Country(models.Model):
    """A State or territory, keyed by ISO 3166-1 alpha-3 (plus KSV for Kosovo)."""

    iso3 = models.CharField(_("ISO 3166 alpha-3"), max_length=3, unique=True)
    m49 = models.CharField(_("M49 code"), max_length=3, blank=True)
    name_en = models.CharField(_("English name"), max_length=100)
    name_fr = models.CharField(_("French name"), max_length=100)
    working_language = models.CharField(
        _("working language"),
        max_length=2,
        choices=WorkingLanguage.choices,
        default=WorkingLanguage.ENGLISH,
        help_text=_("Language of correspondence with this State."),
    )

    objects = CountryQuerySet.as_manager()

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_fr if (get_language() or "en").startswith("fr") else self.name_en


class Mission(models.Model):
    """A UN operation. Aggregate codes (UNEF, UNAVEM, UNOSOM) list their components."""

    acronym = models.CharField(_("acronym"), max_length=20, unique=True)
    name_en = models.CharField(_("English name"), max_length=200)
    name_fr = models.CharField(_("French name"), max_length=200, blank=True)
    kind = models.CharField(
        _("kind"), max_length=5, choices=MissionKind.choices, default=MissionKind.PEACEKEEPING
    )
    host_countries = models.ManyToManyField(
        Country, related_name="hosted_missions", blank=True, verbose_name=_("host countries")
    )
    mandate_start = models.DateField(_("mandate start"), null=True, blank=True)
    mandate_end = models.DateField(_("mandate end"), null=True, blank=True)
    hq_location = models.CharField(_("HQ place"), max_length=200, blank=True)
    # Times typed as local are read in this zone (missions/time_zones.py).
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", help_text=_("IANA name, e.g. Africa/Bangui")
    )
    hq_latitude = models.DecimalField(
        _("HQ latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    hq_longitude = models.DecimalField(
        _("HQ longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    active = models.BooleanField(_("active"), default=False)
    is_aggregate = models.BooleanField(_("aggregate code"), default=False)
    components = models.ManyToManyField(
        "self",
        symmetrical=False,
        related_name="aggregates",
        blank=True,
        verbose_name=_("component missions"),
        help_text=_("For an aggregate code such as UNEF: the missions it groups."),
    )

    objects = MissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        ordering = ["acronym"]
        constraints = [
            models.CheckConstraint(
                condition=Q(mandate_end__isnull=True)
                | Q(mandate_start__isnull=True)
                | Q(mandate_end__gte=models.F("mandate_start")),
                name="mission_mandate_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.acronym

    @property
    def zone(self) -> ZoneInfo:
        """The mission's time zone, where its people read the clock."""
        return zone_named(self.time_zone)

    @property
    def name(self) -> str:
        if (get_language() or "en").startswith("fr") and self.name_fr:
            return self.name_fr
        return self.name_en


class Personnel(models.Model):
    """A peacekeeper. Unique by service number within the contributing country."""

    service_number = models.CharField(_("service number"), max_length=50)
    contributing_country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        related_name="contributed_personnel",
        verbose_name=_("contributing country"),
    )
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    category = models.CharField(_("category"), max_length=30, choices=PersonnelCategory.choices)
    nationality = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        related_name="nationals",
        null=True,
        blank=True,
        verbose_name=_("nationality"),
    )
    rank = models.CharField(_("rank"), max_length=60, blank=True)
    unit = models.CharField(_("unit or contingent"), max_length=120, blank=True)
    gender = models.CharField(
        _("gender"), max_length=10, choices=Gender.choices, default=Gender.UNKNOWN
    )
    missions = models.ManyToManyField(
        Mission,
        through="Assignment",
        related_name="personnel",
        blank=True,
        verbose_name=_("missions"),
    )

    objects = PersonnelQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name = _("personnel")
        verbose_name_plural = _("personnel")
        constraints = [
            models.UniqueConstraint(
                fields=["contributing_country", "service_number"],
                name="personnel_unique_service_number_per_country",
            )
        ]

    def __str__(self) -> str:
        return f"{self.family_name.upper()} {self.given_name} ({self.service_number})"


class Assignment(models.Model):
    """A peacekeeper's posting to a mission over a period."""

    personnel = models.ForeignKey(
        Personnel, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("personnel")
    )
    mission = models.ForeignKey(
        Mission, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("mission")
    )
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="assignment_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.personnel} @ {self.mission} from {self.start_date}"


class Membership(models.Model):
    """Which user works for which mission or State, in which role.

    Exactly one of mission or country is set, except for administrators and analysts
    granted everything (`all_scope`). A liaison's country comes with the basis of the
    State's interest (host State, contributor, nationality).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    mission = models.ForeignKey(
        Mission,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("mission"),
    )
    country = models.ForeignKey(
        Country,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("country"),
    )
    liaison_basis = models.CharField(
        _("liaison basis"), max_length=12, choices=LiaisonBasis.choices, blank=True
    )
    all_scope = models.BooleanField(
        _("everything"), default=False, help_text=_("Granted every mission and State.")
    )
    can_see_names = models.BooleanField(
        _("may see names"),
        default=False,
        help_text=_("Analysts and liaisons see victims' and suspects' names only if granted."),
    )
    is_focal_point = models.BooleanField(_("mission focal point"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["user_id", "role"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(all_scope=True, mission__isnull=True, country__isnull=True)
                    | Q(all_scope=False, mission__isnull=False, country__isnull=True)
                    | Q(all_scope=False, mission__isnull=True, country__isnull=False)
                ),
                name="membership_one_scope",
            ),
            models.CheckConstraint(
                condition=Q(role=Role.LIAISON, country__isnull=False) | ~Q(role=Role.LIAISON),
                name="membership_liaison_has_country",
            ),
            # Three partial constraints rather than nulls_distinct, which SQLite lacks.
            models.UniqueConstraint(
                fields=["user", "role", "mission"],
                condition=Q(mission__isnull=False),
                name="membership_unique_mission",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "country"],
                condition=Q(country__isnull=False),
                name="membership_unique_country",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(all_scope=True),
                name="membership_unique_all_scope",
            ),
        ]

    def __str__(self) -> str:
        scope = self.mission or self.country or _("everything")
        return f"{self.user} — {self.get_role_display()} — {scope}"


class SavedSearch(models.Model):
    """A list's filters, sort and page size under a name, for its owner and the users it
    is shared with. It holds a query string, never rows: whoever applies it runs it in
    their own scope (missions.scope), so a shared search shows each user only what they
    may see. Shared only with users of the same reach (`missions.scope.same_reach`)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="saved_searches",
        verbose_name=_("owner"),
    )
    list_name = models.CharField(_("list"), max_length=20, choices=SavedList.choices)
    name = models.CharField(_("name"), max_length=100)
    query = models.CharField(_("query string"), max_length=2000, blank=True)
    shared_with = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="searches_shared_with_me",
        blank=True,
        verbose_name=_("shared with"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "list_name", "name"], name="saved_search_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name
