"""The report's fixed wording, one translation path: the gettext catalogue.

Every label is an English msgid in the context "followup report" (so the report's
"Tués" never collides with a casualty's "Tué" elsewhere in the app); its French lives in
locale/fr/LC_MESSAGES/django.po like every other string. The choices (stages, procedure
steps, channels...) are the domain's own labels, translated by the same catalogue.
"""

from datetime import date

from django.utils import formats, translation
from django.utils.translation import npgettext, pgettext_lazy

from accountability.choices import (
    CaseStage,
    FollowUpChannel,
    Institution,
    InvestigatingAuthority,
    InvestigationStatus,
    ProcedureStepKind,
    SupportKind,
)
from incidents.choices import Outcome
from missions.choices import PersonnelCategory
from peacekeeping.dates import prose_date

LANGUAGES = ("en", "fr")
CONTEXT = "followup report"

LABELS = {
    "title": pgettext_lazy(CONTEXT, "Follow-up report on attacks against peacekeepers"),
    "subtitle": pgettext_lazy(
        CONTEXT,
        "Accountability for crimes against peacekeepers (Security Council resolution 2589)",
    ),
    "host_state": pgettext_lazy(CONTEXT, "Host State"),
    "period": pgettext_lazy(CONTEXT, "Period"),
    "quarter_1": pgettext_lazy(CONTEXT, "First quarter of {year}"),
    "quarter_2": pgettext_lazy(CONTEXT, "Second quarter of {year}"),
    "quarter_3": pgettext_lazy(CONTEXT, "Third quarter of {year}"),
    "quarter_4": pgettext_lazy(CONTEXT, "Fourth quarter of {year}"),
    "date_format_short": pgettext_lazy(CONTEXT, "j M Y"),
    "date_format_long": pgettext_lazy(CONTEXT, "j F Y"),
    "colon": pgettext_lazy(CONTEXT, ":"),
    "as_of": pgettext_lazy(CONTEXT, "Data as of"),
    "version": pgettext_lazy(CONTEXT, "Version"),
    "symbol": pgettext_lazy(CONTEXT, "Symbol"),
    "date_of_document": pgettext_lazy(CONTEXT, "Date"),
    "addressee": pgettext_lazy(CONTEXT, "To"),
    "addressee_missing": pgettext_lazy(CONTEXT, "Addressee not yet recorded for this State."),
    "confidential": pgettext_lazy(CONTEXT, "CONFIDENTIAL — names suspects; not for publication"),
    "attacks_since": pgettext_lazy(CONTEXT, "Attacks since"),
    "previous_report": pgettext_lazy(CONTEXT, "Previous report"),
    "none_previous": pgettext_lazy(CONTEXT, "none"),
    "content_sha256": pgettext_lazy(CONTEXT, "Content SHA-256"),
    "summary": pgettext_lazy(CONTEXT, "Summary"),
    "summary_intro": pgettext_lazy(
        CONTEXT,
        "Figures as the Security Council reads them, for this State.",
    ),
    "indicator": pgettext_lazy(CONTEXT, "Indicator"),
    "in_period": pgettext_lazy(CONTEXT, "In the period"),
    "cumulative": pgettext_lazy(CONTEXT, "Since the start date"),
    "fatalities": pgettext_lazy(CONTEXT, "Peacekeepers killed in malicious acts"),
    "investigations_opened": pgettext_lazy(CONTEXT, "Investigations opened"),
    "suspects_detained": pgettext_lazy(CONTEXT, "Suspects detained"),
    "trials": pgettext_lazy(CONTEXT, "Trials opened"),
    "convictions": pgettext_lazy(CONTEXT, "Convictions"),
    "open_cases_count": pgettext_lazy(CONTEXT, "Open cases"),
    "impunity_cases_count": pgettext_lazy(CONTEXT, "Impunity cases"),
    "cases": pgettext_lazy(CONTEXT, "Open cases"),
    "cases_intro": pgettext_lazy(CONTEXT, "Every open case, the impunity cases first."),
    "case_details": pgettext_lazy(CONTEXT, "Each case in detail"),
    "case_details_intro": pgettext_lazy(
        CONTEXT,
        "Place, victims, each suspect's procedure with the local legal terms, "
        "communications and what the UN asks of the State.",
    ),
    "reference": pgettext_lazy(CONTEXT, "Reference"),
    "mission": pgettext_lazy(CONTEXT, "Mission"),
    "attack_date": pgettext_lazy(CONTEXT, "Date of the attack"),
    "killed": pgettext_lazy(CONTEXT, "Killed"),
    "injured": pgettext_lazy(CONTEXT, "Injured"),
    "stage": pgettext_lazy(CONTEXT, "Stage"),
    "investigation_status": pgettext_lazy(CONTEXT, "Investigation"),
    "days_since_attack": pgettext_lazy(CONTEXT, "Days since the attack"),
    "last_progress": pgettext_lazy(CONTEXT, "Last progress"),
    "days_since_progress": pgettext_lazy(CONTEXT, "Days since the last progress"),
    "impunity": pgettext_lazy(CONTEXT, "Impunity"),
    "impunity_no_investigation": pgettext_lazy(CONTEXT, "no investigation opened in time"),
    "impunity_no_progress": pgettext_lazy(CONTEXT, "no progress"),
    "yes": pgettext_lazy(CONTEXT, "yes"),
    "no": pgettext_lazy(CONTEXT, "no"),
    "none": pgettext_lazy(CONTEXT, "None."),
    "place": pgettext_lazy(CONTEXT, "Place"),
    "admin_area": pgettext_lazy(CONTEXT, "Administrative area"),
    "victims": pgettext_lazy(CONTEXT, "Victims"),
    "category": pgettext_lazy(CONTEXT, "Category"),
    "nationality": pgettext_lazy(CONTEXT, "Nationality"),
    "contingent": pgettext_lazy(CONTEXT, "Contingent"),
    "procedure": pgettext_lazy(CONTEXT, "Procedure"),
    "un_request": pgettext_lazy(CONTEXT, "What the UN asks"),
    "response_received": pgettext_lazy(CONTEXT, "Response received"),
    "no_response": pgettext_lazy(CONTEXT, "no response"),
    "request_open_investigation": pgettext_lazy(
        CONTEXT,
        "Open a criminal investigation by the competent national authorities.",
    ),
    "request_identify_suspects": pgettext_lazy(
        CONTEXT,
        "Pursue the investigation and identify the perpetrators.",
    ),
    "request_issue_warrant": pgettext_lazy(
        CONTEXT,
        "Issue arrest warrants against the suspects identified.",
    ),
    "request_execute_warrant": pgettext_lazy(
        CONTEXT,
        "Execute the arrest warrants and apprehend the suspects at large.",
    ),
    "request_bring_charges": pgettext_lazy(
        CONTEXT,
        "Charge the suspects in custody or release them as the law requires.",
    ),
    "request_bring_to_trial": pgettext_lazy(CONTEXT, "Bring the accused to trial."),
    "request_conclude_trial": pgettext_lazy(CONTEXT, "Conclude the trial without undue delay."),
    "request_enforce_sentence": pgettext_lazy(
        CONTEXT,
        "Enforce the sentence and inform the UN of any appeal.",
    ),
    "request_report_outcome": pgettext_lazy(
        CONTEXT,
        "Inform the UN of the grounds of the judgment and of any appeal.",
    ),
    "request_review_closure": pgettext_lazy(
        CONTEXT,
        "Review the closure of the case and inform the UN of its grounds.",
    ),
    "suspects": pgettext_lazy(CONTEXT, "Suspects"),
    "suspects_at_large": pgettext_lazy(CONTEXT, "Suspects at large"),
    "suspects_detained_without_trial": pgettext_lazy(CONTEXT, "Suspects detained without trial"),
    "detention_threshold": pgettext_lazy(
        CONTEXT,
        "Held for more than this many days without a trial opened",
    ),
    "name": pgettext_lazy(CONTEXT, "Name"),
    "alias": pgettext_lazy(CONTEXT, "Alias"),
    "armed_group": pgettext_lazy(CONTEXT, "Armed group"),
    "status": pgettext_lazy(CONTEXT, "Status"),
    "status_since": pgettext_lazy(CONTEXT, "Since"),
    "custody_since": pgettext_lazy(CONTEXT, "In custody since"),
    "days_in_custody": pgettext_lazy(CONTEXT, "Days in custody"),
    "list": pgettext_lazy(CONTEXT, "List"),
    "communications": pgettext_lazy(CONTEXT, "Outstanding communications"),
    "communications_intro": pgettext_lazy(
        CONTEXT,
        "Communications of the UN to the State awaiting a response; overdue ones first.",
    ),
    "communications_sent": pgettext_lazy(CONTEXT, "Communications and responses"),
    "sent_on": pgettext_lazy(CONTEXT, "Sent on"),
    "channel": pgettext_lazy(CONTEXT, "Channel"),
    "subject": pgettext_lazy(CONTEXT, "Subject"),
    "response_due": pgettext_lazy(CONTEXT, "Response due"),
    "overdue": pgettext_lazy(CONTEXT, "Overdue"),
    "days_overdue": pgettext_lazy(CONTEXT, "Days overdue"),
    "overdue_responses": pgettext_lazy(CONTEXT, "Overdue responses"),
    "capacity_support": pgettext_lazy(CONTEXT, "Capacity support since {date}"),
    "date": pgettext_lazy(CONTEXT, "Date"),
    "institution": pgettext_lazy(CONTEXT, "Institution"),
    "kind": pgettext_lazy(CONTEXT, "Kind"),
    "description": pgettext_lazy(CONTEXT, "Description"),
    "related_cases": pgettext_lazy(CONTEXT, "Cases"),
    "changes": pgettext_lazy(CONTEXT, "Changes since the previous report"),
    "changes_intro": pgettext_lazy(
        CONTEXT,
        "Steps dated in the period or recorded since the previous report.",
    ),
    "change_investigation": pgettext_lazy(CONTEXT, "Investigation opened"),
    "change_arrest": pgettext_lazy(CONTEXT, "Arrest"),
    "change_charge": pgettext_lazy(CONTEXT, "Charge"),
    "change_trial": pgettext_lazy(CONTEXT, "Trial opened"),
    "change_verdict": pgettext_lazy(CONTEXT, "Verdict"),
    "case": pgettext_lazy(CONTEXT, "Case"),
    "detail": pgettext_lazy(CONTEXT, "Detail"),
    "sheet_summary": pgettext_lazy(CONTEXT, "Summary"),
    "sheet_cases": pgettext_lazy(CONTEXT, "Cases"),
    "sheet_victims": pgettext_lazy(CONTEXT, "Victims"),
    "sheet_procedure": pgettext_lazy(CONTEXT, "Procedure"),
    "sheet_suspects": pgettext_lazy(CONTEXT, "Suspects"),
    "sheet_communications": pgettext_lazy(CONTEXT, "Communications"),
    "sheet_capacity": pgettext_lazy(CONTEXT, "Capacity support"),
    "sheet_changes": pgettext_lazy(CONTEXT, "Changes"),
    "sources": pgettext_lazy(CONTEXT, "Sources and coverage"),
    "sources_text": pgettext_lazy(
        CONTEXT,
        "Attacks up to {un_file_end} come from the UN's file of peacekeeper fatalities "
        "(Department of Operational Support); later attacks, and every investigation, "
        "procedure step, communication and support since, are the mission's own records, "
        "as entered by its staff and legal officers. Figures are as of the date above.",
    ),
    "sources_no_un_file": pgettext_lazy(
        CONTEXT,
        "No attack on this State's territory comes from the UN's file of peacekeeper "
        "fatalities: every record is the mission's own, as entered by its staff and "
        "legal officers. Figures are as of the date above.",
    ),
    "generated_by": pgettext_lazy(CONTEXT, "Generated by the peacekeeping accountability system."),
    "page": pgettext_lazy(CONTEXT, "Page"),
    "email_ready_subject": pgettext_lazy(CONTEXT, "Follow-up report ready: {state}, {period}"),
    "email_ready_body": pgettext_lazy(
        CONTEXT,
        "The follow-up report of {state} for {period} (version {version}) is ready, with "
        "data as of {as_of}.\n\nOpen cases: {open_cases}; impunity cases: "
        "{impunity_cases}; overdue responses: {overdue}.\n\n{link}\n",
    ),
    "email_ack_subject": pgettext_lazy(
        CONTEXT,
        "Receipt acknowledged: follow-up report {state}, {period}",
    ),
    "email_ack_body": pgettext_lazy(
        CONTEXT,
        "{who} acknowledged receipt of the follow-up report of {state} for {period} "
        "(version {version}) on {date}.\n\n{note}\n\n{link}\n",
    ),
    "digest_body": pgettext_lazy(
        CONTEXT,
        "These cases of {mission} crossed an impunity threshold between {start} and "
        "{end}:\n\n{lines}\n",
    ),
}

_CHOICES = {
    "stage": CaseStage,
    "investigation_status": InvestigationStatus,
    "step": ProcedureStepKind,
    "authority": InvestigatingAuthority,
    "channel": FollowUpChannel,
    "institution": Institution,
    "support_kind": SupportKind,
    "category": PersonnelCategory,
    "outcome": Outcome,
}


def report_labels(language: str) -> dict[str, str]:
    """Every fixed label of the report, in `language` ("en" or "fr")."""
    with translation.override(language):
        return {key: str(label) for key, label in LABELS.items()}


def choice_label(field: str, code: str, language: str) -> str:
    """The label of a choice code (a stage, a procedure step...) in `language`."""
    choices = _CHOICES[field]
    if code not in choices.values:
        return code
    with translation.override(language):
        return str(choices(code).label)


def choice_labels(language: str) -> dict[str, dict[str, str]]:
    """{field: {code: label}} for every choice the report shows."""
    with translation.override(language):
        return {
            field: {code: str(choices(code).label) for code in choices.values}
            for field, choices in _CHOICES.items()
        }


def count_of_victims(outcome: str, count: int, language: str) -> str:
    """ "2 killed", "1 tué", "3 blessés": the count with the outcome, agreed in number."""
    with translation.override(language):
        if outcome == Outcome.KILLED:
            text = npgettext(CONTEXT, "{count} killed", "{count} killed", count)
        elif outcome == Outcome.INJURED:
            text = npgettext(CONTEXT, "{count} injured", "{count} injured", count)
        elif outcome == Outcome.ABDUCTED:
            text = npgettext(CONTEXT, "{count} abducted", "{count} abducted", count)
        elif outcome == Outcome.MISSING:
            text = npgettext(CONTEXT, "{count} missing", "{count} missing", count)
        else:
            return f"{count} {choice_label('outcome', outcome, language)}"
    return text.format(count=count)


def digest_subject(mission: str, count: int) -> str:
    """The impunity digest's subject, its verb agreeing with the count. Needs the
    language active."""
    return npgettext(
        CONTEXT,
        "Impunity digest, {mission}: {count} case crossed a threshold this week",
        "Impunity digest, {mission}: {count} cases crossed a threshold this week",
        count,
    ).format(mission=mission, count=count)


def format_date(value: date | None, labels: dict[str, str], *, long: bool = False) -> str:
    """A date as the language writes it: "6 décembre 2026" / "6 December 2026" (long,
    "1er décembre" as French writes the first: peacekeeping.dates), "06/12/2026" /
    "6 Dec 2026" (short, in tables). Needs the language active."""
    if value is None:
        return ""
    if long:
        return prose_date(value, labels["date_format_long"])
    return formats.date_format(value, labels["date_format_short"])


def period_name(kind: str, start: date, labels: dict[str, str]) -> str:
    """ "novembre 2026", "November 2026", "Quatrième trimestre 2026". Needs the language
    active (month names come from Django's catalogue)."""
    if kind == "quarter":
        return labels[f"quarter_{(start.month - 1) // 3 + 1}"].format(year=start.year)
    return formats.date_format(start, "F Y")
