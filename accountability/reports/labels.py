"""The report's fixed wording in English and French.

The gettext catalogue wins when it translates a string (the English texts are marked
with gettext_noop, so makemessages collects them); until the French catalogue exists,
the French written here is used, so a report to Mali or the Central African Republic is
in French today.
"""

from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_noop as N_

from accountability.choices import (
    CaseStage,
    FollowUpChannel,
    Institution,
    InvestigatingAuthority,
    InvestigationStatus,
    ProcedureStepKind,
    SupportKind,
)

LANGUAGES = ("en", "fr")

LABELS: dict[str, tuple[str, str]] = {
    "title": (
        N_("Follow-up report on attacks against peacekeepers"),
        "Rapport de suivi des attaques contre les Casques bleus",
    ),
    "subtitle": (
        N_("Accountability for crimes against peacekeepers (Security Council resolution 2589)"),
        "Responsabilité pour les crimes commis contre les Casques bleus "
        "(résolution 2589 du Conseil de sécurité)",
    ),
    "host_state": (N_("Host State"), "État hôte"),
    "period": (N_("Period"), "Période"),
    "period_month": (N_("Month"), "Mois"),
    "period_quarter": (N_("Quarter"), "Trimestre"),
    "as_of": (N_("Data as of"), "Données arrêtées au"),
    "version": (N_("Version"), "Version"),
    "attacks_since": (N_("Attacks since"), "Attaques depuis le"),
    "previous_report": (N_("Previous report"), "Rapport précédent"),
    "none_previous": (N_("none"), "aucun"),
    "content_sha256": (N_("Content SHA-256"), "SHA-256 du contenu"),
    "summary": (N_("Summary"), "Synthèse"),
    "summary_intro": (
        N_("Figures as the Security Council reads them, for this State."),
        "Chiffres tels que le Conseil de sécurité les présente, pour cet État.",
    ),
    "indicator": (N_("Indicator"), "Indicateur"),
    "in_period": (N_("In the period"), "Dans la période"),
    "cumulative": (N_("Since the start date"), "Depuis la date de début"),
    "fatalities": (
        N_("Peacekeepers killed in malicious acts"),
        "Casques bleus tués (actes malveillants)",
    ),
    "investigations_opened": (N_("Investigations opened"), "Enquêtes ouvertes"),
    "suspects_detained": (N_("Suspects detained"), "Suspects placés en détention"),
    "trials": (N_("Trials opened"), "Procès ouverts"),
    "convictions": (N_("Convictions"), "Condamnations"),
    "open_cases_count": (N_("Open cases"), "Affaires en cours"),
    "impunity_cases_count": (N_("Impunity cases"), "Affaires en situation d'impunité"),
    "cases": (N_("Open cases"), "Affaires en cours"),
    "cases_intro": (
        N_("Every open case, the impunity cases first."),
        "Toutes les affaires en cours, en commençant par les affaires en situation d'impunité.",
    ),
    "reference": (N_("Reference"), "Référence"),
    "mission": (N_("Mission"), "Mission"),
    "attack_date": (N_("Date of the attack"), "Date de l'attaque"),
    "killed": (N_("Killed"), "Tués"),
    "injured": (N_("Injured"), "Blessés"),
    "stage": (N_("Stage"), "Stade"),
    "investigation_status": (N_("Investigation"), "Enquête"),
    "days_since_attack": (N_("Days since the attack"), "Jours depuis l'attaque"),
    "last_progress": (N_("Last progress"), "Dernier progrès"),
    "days_since_progress": (N_("Days since the last progress"), "Jours depuis le dernier progrès"),
    "impunity": (N_("Impunity"), "Impunité"),
    "impunity_no_investigation": (
        N_("no investigation opened in time"),
        "aucune enquête ouverte dans le délai",
    ),
    "impunity_no_progress": (N_("no progress"), "aucun progrès"),
    "yes": (N_("yes"), "oui"),
    "no": (N_("no"), "non"),
    "none": (N_("None."), "Néant."),
    "suspects": (N_("Suspects"), "Suspects"),
    "suspects_at_large": (N_("Suspects at large"), "Suspects en fuite"),
    "suspects_detained_without_trial": (
        N_("Suspects detained without trial"),
        "Suspects détenus sans procès",
    ),
    "detention_threshold": (
        N_("Held for more than this many days without a trial opened"),
        "Détenus depuis plus de ce nombre de jours sans ouverture de procès",
    ),
    "name": (N_("Name"), "Nom"),
    "alias": (N_("Alias"), "Alias"),
    "armed_group": (N_("Armed group"), "Groupe armé"),
    "status": (N_("Status"), "Situation"),
    "status_since": (N_("Since"), "Depuis le"),
    "custody_since": (N_("In custody since"), "Détenu depuis le"),
    "days_in_custody": (N_("Days in custody"), "Jours de détention"),
    "list": (N_("List"), "Liste"),
    "communications": (N_("Outstanding communications"), "Communications en attente de réponse"),
    "communications_intro": (
        N_("Communications of the UN to the State awaiting a response; overdue ones first."),
        "Communications de l'ONU à l'État en attente de réponse ; les réponses en retard d'abord.",
    ),
    "sent_on": (N_("Sent on"), "Envoyée le"),
    "channel": (N_("Channel"), "Voie"),
    "subject": (N_("Subject"), "Objet"),
    "response_due": (N_("Response due"), "Réponse attendue le"),
    "overdue": (N_("Overdue"), "En retard"),
    "days_overdue": (N_("Days overdue"), "Jours de retard"),
    "overdue_responses": (N_("Overdue responses"), "Réponses en retard"),
    "capacity_support": (
        N_("Capacity support in the period"),
        "Appui aux capacités dans la période",
    ),
    "capacity_sheet": (N_("Capacity support"), "Appui aux capacités"),
    "date": (N_("Date"), "Date"),
    "institution": (N_("Institution"), "Institution"),
    "kind": (N_("Kind"), "Type"),
    "description": (N_("Description"), "Description"),
    "related_cases": (N_("Cases"), "Affaires"),
    "changes": (N_("Changes since the previous report"), "Évolutions depuis le rapport précédent"),
    "changes_sheet": (N_("Changes"), "Évolutions"),
    "changes_intro": (
        N_("Steps dated in the period or recorded since the previous report."),
        "Actes datés de la période ou enregistrés depuis le rapport précédent.",
    ),
    "change_investigation": (N_("Investigation opened"), "Enquête ouverte"),
    "change_arrest": (N_("Arrest"), "Arrestation"),
    "change_charge": (N_("Charge"), "Inculpation"),
    "change_trial": (N_("Trial opened"), "Ouverture du procès"),
    "change_verdict": (N_("Verdict"), "Verdict"),
    "case": (N_("Case"), "Affaire"),
    "detail": (N_("Detail"), "Détail"),
    "cases_sheet": (N_("Cases"), "Affaires"),
    "communications_sheet": (N_("Communications"), "Communications"),
    "generated_by": (
        N_("Generated by the peacekeeping accountability system."),
        "Produit par le système de suivi de la responsabilité pour les attaques contre "
        "les Casques bleus.",
    ),
    "page": (N_("Page"), "Page"),
    "email_ready_subject": (
        N_("Follow-up report ready: {state}, {period}"),
        "Rapport de suivi disponible : {state}, {period}",
    ),
    "email_ready_body": (
        N_(
            "The follow-up report of {state} for {period} (version {version}) is ready, "
            "with data as of {as_of}.\n\n"
            "Open cases: {open_cases}; impunity cases: {impunity_cases}; "
            "overdue responses: {overdue}.\n\n{link}\n"
        ),
        "Le rapport de suivi de l'État {state} pour la période {period} (version {version}) "
        "est disponible, avec des données arrêtées au {as_of}.\n\n"
        "Affaires en cours : {open_cases} ; affaires en situation d'impunité : "
        "{impunity_cases} ; réponses en retard : {overdue}.\n\n{link}\n",
    ),
    "digest_subject": (
        N_("Impunity digest, {mission}: {count} case(s) crossed a threshold this week"),
        "Synthèse impunité, {mission} : {count} affaire(s) ont franchi un seuil cette semaine",
    ),
    "digest_body": (
        N_(
            "These cases of {mission} crossed an impunity threshold between {start} and "
            "{end}:\n\n{lines}\n"
        ),
        "Ces affaires de la mission {mission} ont franchi un seuil d'impunité entre le "
        "{start} et le {end} :\n\n{lines}\n",
    ),
}

# French labels of the domain's choices, used until the catalogue translates them.
_CHOICES_FR: dict[str, dict[str, str]] = {
    "stage": {
        CaseStage.NO_INVESTIGATION: "Aucune enquête enregistrée",
        CaseStage.INVESTIGATION: "Enquête en cours",
        CaseStage.SUSPECTS_IDENTIFIED: "Suspects identifiés",
        CaseStage.ARREST: "Suspect arrêté",
        CaseStage.CHARGED: "Inculpation",
        CaseStage.TRIAL: "Procès en cours",
        CaseStage.VERDICT: "Verdict",
        CaseStage.CLOSED: "Classée sans suite",
    },
    "investigation_status": {
        InvestigationStatus.UNKNOWN: "Inconnue (aucune enquête enregistrée)",
        InvestigationStatus.NOT_OPENED: "Non ouverte",
        InvestigationStatus.OPENED: "Ouverte",
        InvestigationStatus.SUSPECTS_IDENTIFIED: "Suspects identifiés",
        InvestigationStatus.CLOSED_WITHOUT_CHARGE: "Classée sans suite",
        InvestigationStatus.REFERRED_FOR_TRIAL: "Renvoi devant la juridiction de jugement",
    },
    "step": {
        ProcedureStepKind.IDENTIFIED: "Identifié",
        ProcedureStepKind.WARRANT_ISSUED: "Mandat d'arrêt délivré",
        ProcedureStepKind.ARRESTED: "Arrêté",
        ProcedureStepKind.DETAINED: "Placé en détention",
        ProcedureStepKind.CHARGED: "Inculpé",
        ProcedureStepKind.COMMITTED_FOR_TRIAL: "Renvoyé en jugement",
        ProcedureStepKind.TRIAL_OPENED: "Procès ouvert",
        ProcedureStepKind.CONVICTED: "Condamné",
        ProcedureStepKind.ACQUITTED: "Acquitté",
        ProcedureStepKind.SENTENCED: "Peine prononcée",
        ProcedureStepKind.APPEAL: "Appel interjeté",
        ProcedureStepKind.FINAL: "Jugement définitif",
        ProcedureStepKind.RELEASED: "Libéré",
        ProcedureStepKind.ESCAPED: "Évadé",
        ProcedureStepKind.DECEASED: "Décédé",
        ProcedureStepKind.AT_LARGE: "En fuite",
    },
    "authority": {
        InvestigatingAuthority.POLICE: "Police ou gendarmerie de l'État hôte",
        InvestigatingAuthority.PROSECUTOR: "Procureur ou juge d'instruction",
        InvestigatingAuthority.MILITARY_JUSTICE: "Justice militaire",
        InvestigatingAuthority.CONTRIBUTING_COUNTRY: "Pays contributeur",
        InvestigatingAuthority.UN_BOARD_OF_INQUIRY: "Commission d'enquête de l'ONU",
    },
    "channel": {
        FollowUpChannel.NOTE_VERBALE: "Note verbale",
        FollowUpChannel.LETTER: "Lettre",
        FollowUpChannel.MEETING: "Réunion",
        FollowUpChannel.DEMARCHE: "Démarche",
        FollowUpChannel.OTHER: "Autre",
    },
    "institution": {
        Institution.POLICE: "Police",
        Institution.GENDARMERIE: "Gendarmerie",
        Institution.PROSECUTION: "Parquet",
        Institution.JUDICIARY: "Juridictions",
        Institution.MILITARY_JUSTICE: "Justice militaire",
        Institution.PENITENTIARY: "Administration pénitentiaire",
    },
    "support_kind": {
        SupportKind.TRAINING: "Formation",
        SupportKind.TECHNICAL_ADVICE: "Conseil technique",
        SupportKind.LOGISTICS: "Logistique et transport",
        SupportKind.EQUIPMENT: "Équipement",
        SupportKind.INFRASTRUCTURE: "Infrastructures",
        SupportKind.SECURITY: "Sécurisation des procédures",
        SupportKind.OTHER: "Autre",
    },
}

_CHOICES = {
    "stage": CaseStage,
    "investigation_status": InvestigationStatus,
    "step": ProcedureStepKind,
    "authority": InvestigatingAuthority,
    "channel": FollowUpChannel,
    "institution": Institution,
    "support_kind": SupportKind,
}


def _pick(english: str, french: str, language: str) -> str:
    if language != "fr":
        return english
    translated = gettext(english)
    return translated if translated != english else french


def report_labels(language: str) -> dict[str, str]:
    """Every fixed label of the report, in `language` ("en" or "fr")."""
    with translation.override(language):
        return {key: _pick(en, fr, language) for key, (en, fr) in LABELS.items()}


def choice_label(field: str, code: str, language: str) -> str:
    """The label of a choice code (a stage, a procedure step...) in `language`."""
    choices = _CHOICES[field]
    if code not in choices.values:
        return code
    with translation.override(language):
        english = str(choices(code).label)
        if language != "fr":
            return english
        with translation.override("en"):
            source = str(choices(code).label)
        translated = english
    if translated != source:
        return translated
    return _CHOICES_FR[field].get(code, source)


def choice_labels(language: str) -> dict[str, dict[str, str]]:
    """{field: {code: label}} for every choice the report shows."""
    return {
        field: {code: choice_label(field, code, language) for code in choices.values}
        for field, choices in _CHOICES.items()
    }
