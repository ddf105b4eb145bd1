"""Choice lists of the missions app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkingLanguage(models.TextChoices):
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")


class MissionKind(models.TextChoices):
    PEACEKEEPING = "pko", _("Peacekeeping operation")
    POLITICAL = "spm", _("Special political mission")
    OTHER = "other", _("Other")


class PersonnelCategory(models.TextChoices):
    MILITARY_CONTINGENT = "military_contingent", _("Military contingent")
    MILITARY_OBSERVER = "military_observer", _("Military observer")
    STAFF_OFFICER = "staff_officer", _("Staff officer")
    FORMED_POLICE_UNIT = "formed_police_unit", _("Formed police unit")
    INDIVIDUAL_POLICE = "individual_police", _("Individual police officer")
    INTERNATIONAL_CIVILIAN = "international_civilian", _("International civilian")
    NATIONAL_STAFF = "national_staff", _("National staff")
    UN_VOLUNTEER = "un_volunteer", _("UN volunteer")
    CONTRACTOR = "contractor", _("Contractor")
    OTHER = "other", _("Other")


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class Role(models.TextChoices):
    MISSION_STAFF = "mission_staff", _("Mission staff")
    LEGAL_OFFICER = "legal_officer", _("Legal officer")
    ANALYST = "analyst", _("Analyst")
    LIAISON = "liaison", _("Liaison")
    ADMINISTRATOR = "administrator", _("Administrator")


class LiaisonBasis(models.TextChoices):
    """Why a State's liaison may read a case (resolution 2589, para. 3)."""

    HOST_STATE = "host_state", _("Host State")
    CONTRIBUTOR = "contributor", _("Troop- or police-contributing country")
    NATIONALITY = "nationality", _("Country of nationality")


class SavedList(models.TextChoices):
    """The list pages a search can be saved for (missions.models.SavedSearch)."""

    INCIDENTS = "incidents", _("Incidents")
    CASES = "cases", _("Case board")
    FOLLOW_UPS = "followups", _("Follow-up register")
