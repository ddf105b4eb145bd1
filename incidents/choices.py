"""Choice lists of the incidents app, with the mapping of attack types to ACLED."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IncidentType(models.TextChoices):
    """The UN's own incident types, as in the fatalities file."""

    MALICIOUS_ACT = "malicious_act", _("Malicious act")
    ACCIDENT = "accident", _("Accident")
    ILLNESS = "illness", _("Illness")
    SELF_INFLICTED = "self_inflicted", _("Self-inflicted")
    TO_BE_DETERMINED = "to_be_determined", _("To be determined")
    UNKNOWN = "unknown", _("Unknown")


class AttackType(models.TextChoices):
    DIRECT_FIRE = "direct_fire", _("Direct fire or armed attack")
    AMBUSH = "ambush", _("Ambush")
    IED = "ied", _("IED or landmine")
    INDIRECT_FIRE = "indirect_fire", _("Indirect fire")
    SUICIDE = "suicide", _("Suicide attack")
    COMPLEX = "complex", _("Complex attack")
    MOB_VIOLENCE = "mob_violence", _("Mob violence")
    ABDUCTION = "abduction", _("Abduction or hostage-taking")
    SEXUAL_VIOLENCE = "sexual_violence", _("Sexual violence")
    ROBBERY = "robbery", _("Carjacking or robbery")
    OTHER = "other", _("Other")


# ACLED event type and sub-event type for each attack type (ACLED Codebook 2023).
ACLED_MAPPING: dict[str, tuple[str, str]] = {
    AttackType.DIRECT_FIRE: ("Battles", "Armed clash"),
    AttackType.AMBUSH: ("Battles", "Armed clash"),
    AttackType.IED: ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
    AttackType.INDIRECT_FIRE: ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    AttackType.SUICIDE: ("Explosions/Remote violence", "Suicide bomb"),
    AttackType.COMPLEX: ("Battles", "Armed clash"),
    AttackType.MOB_VIOLENCE: ("Riots", "Mob violence"),
    AttackType.ABDUCTION: ("Violence against civilians", "Abduction/forced disappearance"),
    AttackType.SEXUAL_VIOLENCE: ("Violence against civilians", "Sexual violence"),
    AttackType.ROBBERY: ("Violence against civilians", "Attack"),
    AttackType.OTHER: ("Violence against civilians", "Attack"),
}


class DatePrecision(models.TextChoices):
    EXACT = "exact", _("Exact time")
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


class LocationPrecision(models.TextChoices):
    EXACT = "exact", _("Exact point")
    APPROXIMATE = "approximate", _("Approximate (within a few kilometres)")
    NEAR = "near", _("Near a named place")
    ADMIN_AREA = "admin_area", _("Admin area only")
    COUNTRY = "country", _("Country only")


class IncidentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    VERIFIED = "verified", _("Verified")


class IncidentSource(models.TextChoices):
    MANUAL = "manual", _("Entered in the app")
    UN_FATALITIES_FILE = "un_fatalities", _("UN fatalities file")
    DEMO = "demo", _("Demo data")


class Outcome(models.TextChoices):
    KILLED = "killed", _("Killed")
    INJURED = "injured", _("Injured")
    ABDUCTED = "abducted", _("Abducted")
    MISSING = "missing", _("Missing")
