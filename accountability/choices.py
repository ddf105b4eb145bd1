"""Choice lists of the accountability app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class InvestigationStatus(models.TextChoices):
    UNKNOWN = "unknown", _("Unknown (no investigation recorded)")
    NOT_OPENED = "not_opened", _("Not opened")
    OPENED = "opened", _("Opened")
    SUSPECTS_IDENTIFIED = "suspects_identified", _("Suspects identified")
    CLOSED_WITHOUT_CHARGE = "closed_without_charge", _("Closed without charge")
    REFERRED_FOR_TRIAL = "referred_for_trial", _("Referred for trial")


class InvestigatingAuthority(models.TextChoices):
    POLICE = "police", _("Host-State police or gendarmerie")
    PROSECUTOR = "prosecutor", _("Prosecutor or investigating judge")
    MILITARY_JUSTICE = "military_justice", _("Military justice")
    CONTRIBUTING_COUNTRY = "contributing_country", _("Contributing country")
    UN_BOARD_OF_INQUIRY = "un_board", _("UN board of inquiry")
    UN_SPECIAL_INVESTIGATION = "un_special", _("UN special investigation")


# The host State's own authorities: only their acts open an investigation and count as
# progress (the impunity rule, accountability/impunity.py). The others are recorded and
# shown, and do not stop the clock: the Council asks the host State to bring to justice.
HOST_STATE_AUTHORITIES = frozenset(
    {
        InvestigatingAuthority.POLICE,
        InvestigatingAuthority.PROSECUTOR,
        InvestigatingAuthority.MILITARY_JUSTICE,
    }
)


class ProcedureStepKind(models.TextChoices):
    """A suspect's path through justice, for civil- and common-law systems alike.

    Civil law (Mali, CAR, DRC): procureur → juge d'instruction → mandat d'arrêt →
    inculpation → renvoi devant la cour d'assises. Common law (South Sudan): warrant →
    arrest → charge → committal → trial. `legal_term` on each step keeps the local word.
    """

    IDENTIFIED = "identified", _("Identified")
    WARRANT_ISSUED = "warrant_issued", _("Warrant issued")
    ARRESTED = "arrested", _("Arrested")
    DETAINED = "detained", _("Detained")
    CHARGED = "charged", _("Charged")
    COMMITTED_FOR_TRIAL = "committed_for_trial", _("Committed for trial")
    TRIAL_OPENED = "trial_opened", _("Trial opened")
    CONVICTED = "convicted", _("Convicted")
    ACQUITTED = "acquitted", _("Acquitted")
    SENTENCED = "sentenced", _("Sentenced")
    APPEAL = "appeal", _("Appeal lodged")
    FINAL = "final", _("Judgment final")
    RELEASED = "released", _("Released")
    ESCAPED = "escaped", _("Escaped")
    DECEASED = "deceased", _("Deceased")
    AT_LARGE = "at_large", _("At large")


class CaseStage(models.TextChoices):
    """The furthest point a case has reached, as the Security Council reads it."""

    NO_INVESTIGATION = "no_investigation", _("No investigation recorded")
    INVESTIGATION = "investigation", _("Under investigation")
    SUSPECTS_IDENTIFIED = "suspects_identified", _("Suspects identified")
    ARREST = "arrest", _("Suspect arrested")
    CHARGED = "charged", _("Charges filed")
    TRIAL = "trial", _("On trial")
    VERDICT = "verdict", _("Verdict")
    CLOSED = "closed", _("Closed without charge")


class FollowUpChannel(models.TextChoices):
    NOTE_VERBALE = "note_verbale", _("Note verbale")
    LETTER = "letter", _("Letter")
    MEETING = "meeting", _("Meeting")
    DEMARCHE = "demarche", _("Démarche")
    OTHER = "other", _("Other")


class Institution(models.TextChoices):
    POLICE = "police", _("Police")
    GENDARMERIE = "gendarmerie", _("Gendarmerie")
    PROSECUTION = "prosecution", _("Prosecution service")
    JUDICIARY = "judiciary", _("Courts")
    MILITARY_JUSTICE = "military_justice", _("Military justice")
    PENITENTIARY = "penitentiary", _("Prisons")


class SupportKind(models.TextChoices):
    TRAINING = "training", _("Training")
    TECHNICAL_ADVICE = "technical_advice", _("Technical advice")
    LOGISTICS = "logistics", _("Logistics and transport")
    EQUIPMENT = "equipment", _("Equipment")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure")
    SECURITY = "security", _("Security for proceedings")
    OTHER = "other", _("Other")


class CaseEventKind(models.TextChoices):
    """What a line of a case's timeline records; its text is rendered from the kind and
    its parameters in the reader's language (accountability.timeline)."""

    CASE_OPENED = "case_opened", _("Case opened")
    INCIDENT_JOINED = "incident_joined", _("Incident joined")
    HOST_STATE_ASSIGNED = "host_state_assigned", _("Host State assigned")
    INVESTIGATION_OPENED = "investigation_opened", _("Investigation opened")
    INVESTIGATION_STATUS = "investigation_status", _("Investigation status")
    PROCEDURE_STEP = "procedure_step", _("Procedure step")
    FOLLOW_UP = "follow_up", _("Follow-up with the host State")
    FOLLOW_UP_RESPONSE = "follow_up_response", _("Response of the host State")
    CAPACITY_SUPPORT = "capacity_support", _("Capacity support")
