"""Forms of the legal officers' pages and the analysts' filters.

Each recording form has the fields of one service, under the service's keyword names,
so a DomainError raised by the service lands on the field it names
(`ServiceForm.add_domain_error`) and the page shows it next to what was typed.
The filter forms only draw the controls: the filtersets (accountability/filtersets.py,
incidents/filtersets.py) read the same query parameters and do the filtering.
"""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accountability.choices import (
    CaseStage,
    FollowUpChannel,
    Institution,
    InvestigatingAuthority,
    InvestigationStatus,
    ProcedureStepKind,
    SupportKind,
)
from incidents.choices import AttackType, IncidentType, Outcome
from incidents.models import ArmedGroup, Casualty, Incident
from missions.choices import PersonnelCategory
from missions.models import Country, Mission
from missions.scope import incident_q
from peacekeeping.errors import DomainError
from peacekeeping.widgets import ListSelect


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _date(label, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput, help_text=help_text)


def _source() -> forms.CharField:
    return forms.CharField(
        label=_("Source"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The document, record or report this step comes from."),
    )


def _note() -> forms.CharField:
    return forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def _choices(enum, *, exclude=(), blank: bool = False) -> list:
    choices = [(value, label) for value, label in enum.choices if value not in exclude]
    return [("", "---------"), *choices] if blank else choices


class ServiceForm(forms.Form):
    """A form whose cleaned data are passed as keywords to one service."""

    def add_domain_error(self, exc: DomainError) -> None:
        field = exc.field if exc.field in self.fields else None
        self.add_error(field, exc.message)


class InvestigationOpenForm(ServiceForm):
    authority = forms.ChoiceField(label=_("By whom"), choices=_choices(InvestigatingAuthority))
    authority_name = forms.CharField(
        label=_("Office"),
        required=False,
        max_length=200,
        help_text=_("e.g. Tribunal de grande instance"),
    )
    opened_on = _date(_("Opened on"))
    source = _source()
    note = _note()


class InvestigationStatusForm(ServiceForm):
    status = forms.ChoiceField(
        label=_("New status"),
        choices=_choices(
            InvestigationStatus,
            exclude=(InvestigationStatus.UNKNOWN, InvestigationStatus.NOT_OPENED),
        ),
    )
    on = _date(_("Date"))
    source = _source()
    note = _note()


class SuspectIdentifyForm(ServiceForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    alias = forms.CharField(label=_("Alias"), max_length=200, required=False)
    armed_group = forms.ModelChoiceField(
        label=_("Armed group"), queryset=ArmedGroup.objects.none(), required=False
    )
    nationality = forms.ModelChoiceField(
        label=_("Nationality"), queryset=Country.objects.none(), required=False
    )
    identified_on = _date(_("Identified on"))
    source = _source()
    note = _note()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["armed_group"].queryset = ArmedGroup.objects.visible_to(user).order_by("name")
        self.fields["nationality"].queryset = Country.objects.visible_to(user).order_by("name_en")


class ProcedureStepForm(ServiceForm):
    # Every later step of ProcedureStepKind; "identified" is the suspect's first step,
    # written when the suspect is recorded.
    kind = forms.ChoiceField(
        label=_("Step"),
        choices=_choices(ProcedureStepKind, exclude=(ProcedureStepKind.IDENTIFIED,), blank=True),
    )
    occurred_on = _date(_("Date"))
    legal_term = forms.CharField(
        label=_("Local legal term"),
        max_length=120,
        required=False,
        help_text=_("e.g. mandat d'arrêt, inculpation, renvoi, committal"),
    )
    sentence = forms.CharField(
        label=_("Sentence"),
        max_length=200,
        required=False,
        help_text=_("Only with a conviction or a sentencing step."),
    )
    source = _source()
    note = _note()


class FollowUpForm(ServiceForm):
    sent_on = _date(_("Date"))
    channel = forms.ChoiceField(label=_("Channel"), choices=_choices(FollowUpChannel))
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}))
    response_due = _date(_("Response due"), required=False)


class FollowUpResponseForm(ServiceForm):
    received_on = _date(_("Response received on"))
    outcome = forms.CharField(
        label=_("What the host State answered"), widget=forms.Textarea(attrs={"rows": 3})
    )


class CapacitySupportForm(ServiceForm):
    provided_on = _date(_("Date"))
    institution = forms.ChoiceField(label=_("Institution"), choices=_choices(Institution))
    kind = forms.ChoiceField(label=_("Kind of support"), choices=_choices(SupportKind))
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}))
    mission = forms.ModelChoiceField(
        label=_("Provided by mission"), queryset=Mission.objects.none(), required=False
    )

    def __init__(self, *args, host_state: Country, **kwargs):
        super().__init__(*args, **kwargs)
        # Only missions deployed in the host State may be named (the service checks it too).
        self.fields["mission"].queryset = Mission.objects.filter(host_countries=host_state)


class ReportRequestForm(forms.Form):
    period_label = forms.CharField(
        label=_("Period"), max_length=60, required=False, help_text=_("e.g. 2025-Q3")
    )


class CaseEditForm(ServiceForm):
    """A case's summary and mission focal point, with the version the editor read."""

    # show_hidden_initial: the form posts back the values the editor started from, so
    # `changed_data` is what they changed, not what differs from the case as it now is.
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        show_hidden_initial=True,
    )
    focal_point = forms.ModelChoiceField(
        label=_("Mission focal point"), queryset=None, required=False, show_hidden_initial=True
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    @staticmethod
    def initial_for(case) -> dict:
        return {
            "summary": case.summary,
            "focal_point": case.focal_point_id,
            "version": case.version,
        }

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["focal_point"].queryset = candidates
        self.fields["focal_point"].label_from_instance = lambda user: user.get_username()

    def service_fields(self) -> dict:
        """The fields the editor changed (so saving after a conflict applies only those)."""
        return {
            name: self.cleaned_data[name]
            for name in ("summary", "focal_point")
            if name in self.changed_data
        }


# --- filters ---------------------------------------------------------------------------

BOARD_SORTS = {
    # The sorts the board's form offers; the orderings, and the other keys the column
    # headers use, are the board's Sorting (accountability.views_board.BOARD_SORTING).
    "-attack_date": _("Most recent attack first"),
    "attack_date": _("Oldest attack first"),
    "progress": _("Longest without progress first"),
    "-killed": _("Most killed first"),
    "reference": _("Reference"),
    "mission": _("Mission"),
    "host_state": _("Host State"),
}
DEFAULT_BOARD_SORT = "-attack_date"


def _mission_choices(cases=None) -> list:
    """Every mission, or (given the cases or incidents in the user's scope) only theirs."""
    missions = Mission.objects.all()
    if cases is not None:
        missions = missions.filter(pk__in=cases.values("mission_id"))
    return [("", _("All missions"))] + [
        (acronym, acronym)
        for acronym in missions.order_by("acronym").values_list("acronym", flat=True)
    ]


def _host_state_choices(cases=None, *, state: str = "host_state_id") -> list:
    """Every host State, or (given the cases or incidents in the user's scope, `state`
    naming their State's column) only theirs."""
    states = Country.objects.filter(hosted_missions__isnull=False)
    if cases is not None:
        states = Country.objects.filter(pk__in=cases.values(state))
    states = states.distinct().order_by("name_en").only("iso3", "name_en", "name_fr")
    return [("", _("All host States"))] + [(c.iso3, c.name) for c in states]


class BoardFilterForm(forms.Form):
    """The case board's controls; CaseFilterSet reads the same parameters."""

    mission = forms.ChoiceField(label=_("Mission"), required=False)
    host_state = forms.ChoiceField(label=_("Host State"), required=False)
    stage = forms.ChoiceField(
        label=_("Stage"), required=False, choices=[("", _("All stages")), *CaseStage.choices]
    )
    impunity = forms.ChoiceField(
        label=_("Impunity"),
        required=False,
        choices=[("", _("All cases")), ("true", _("Impunity cases only")), ("false", _("Others"))],
    )
    opened_by_import = forms.ChoiceField(
        label=_("Origin"),
        required=False,
        choices=[
            ("", _("All cases")),
            ("false", _("Tracked by the mission")),
            ("true", _("Historical records (UN file)")),
        ],
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=list(BOARD_SORTS.items()),
    )

    def __init__(self, *args, cases=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the missions and States of the cases in the user's scope are offered.
        self.fields["mission"].choices = _mission_choices(cases)
        self.fields["host_state"].choices = _host_state_choices(cases)

    def offer_sort(self, key: str, label: str) -> None:
        """Offer (and so keep selected) a sort a column header chose that the form's list
        lacks, so that applying the filters does not change the order."""
        if key not in BOARD_SORTS:
            self.fields["sort"].choices = [*BOARD_SORTS.items(), (key, label)]


# Parameters of the analysts' form, and where each goes: the incidents' filterset reads
# them as they are; the cases' filterset reads these under its own names.
CASE_PARAMETERS = {
    "mission": "mission",
    "country": "host_state",
    "occurred_after": "attack_after",
    "occurred_before": "attack_before",
    "stage": "stage",
    "impunity": "impunity",
}
INCIDENT_ONLY_PARAMETERS = ("incident_type", "attack_type", "category", "nationality", "outcome")
CASE_ONLY_PARAMETERS = ("stage", "impunity")


class AnalysisFilterForm(forms.Form):
    """The analysts' controls; IncidentFilterSet and CaseFilterSet do the filtering."""

    # The long lists (~460 options in all) written without templates (ListSelect).
    mission = forms.ChoiceField(label=_("Mission"), required=False, widget=ListSelect)
    country = forms.ChoiceField(label=_("Host State"), required=False, widget=ListSelect)
    occurred_after = _date(_("From"), required=False)
    occurred_before = _date(_("To"), required=False)
    incident_type = forms.ChoiceField(
        label=_("Incident type"), required=False, choices=_choices(IncidentType, blank=True)
    )
    attack_type = forms.ChoiceField(
        label=_("Attack type"), required=False, choices=_choices(AttackType, blank=True)
    )
    category = forms.ChoiceField(
        label=_("Personnel category"),
        required=False,
        choices=_choices(PersonnelCategory, blank=True),
    )
    nationality = forms.ChoiceField(label=_("Nationality"), required=False, widget=ListSelect)
    outcome = forms.ChoiceField(
        label=_("Outcome"), required=False, choices=_choices(Outcome, blank=True)
    )
    stage = forms.ChoiceField(
        label=_("Case stage"), required=False, choices=_choices(CaseStage, blank=True)
    )
    impunity = forms.ChoiceField(
        label=_("Impunity"),
        required=False,
        choices=[("", _("All")), ("true", _("Impunity cases only")), ("false", _("Others"))],
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        nationalities = Country.objects.all()
        if user is None or incident_q(user) == Q():
            self.fields["mission"].choices = _mission_choices()
            self.fields["country"].choices = _host_state_choices()
        else:
            # A user with a limited scope is offered only the missions, States and
            # nationalities of the incidents in it (missions/scope.py).
            incidents = Incident.objects.visible_to(user)
            self.fields["mission"].choices = _mission_choices(incidents)
            self.fields["country"].choices = _host_state_choices(incidents, state="country_id")
            nationalities = nationalities.filter(
                pk__in=Casualty.objects.visible_to(user).values("nationality_id")
            )
        self.fields["nationality"].choices = [("", _("All nationalities"))] + [
            (c.iso3, c.name)
            for c in nationalities.order_by("name_en").only("iso3", "name_en", "name_fr")
        ]

    def clean(self):
        data = super().clean()
        after, before = data.get("occurred_after"), data.get("occurred_before")
        if after and before and after > before:
            self.add_error("occurred_before", _("The end of the period is before its start."))
        return data


class FollowUpAnswerForm(ServiceForm):
    """The host State's liaison answers a communication (accountability.services)."""

    answered_on = _date(_("Date of the answer"))
    text = forms.CharField(
        label=_("The State's answer"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20000
    )
    document = forms.FileField(
        label=_("Attached document"),
        required=False,
        help_text=_(
            "Optional: the note verbale or letter of the answer (PDF, image, text, .docx)."
        ),
    )

    def add_domain_error(self, exc: DomainError) -> None:
        # The services name the dates and texts by their own words.
        names = {"received_on": "answered_on", "outcome": "text", "uploaded_file": "document"}
        field = names.get(exc.field, exc.field)
        self.add_error(field if field in self.fields else None, exc.message)


class CaseBulkForm(ServiceForm):
    """What a legal officer does to several ticked cases at once: name their mission focal
    point, or record the same communication with each host State. Each case then goes
    through the one-case service (accountability.views_bulk)."""

    FOCAL_POINT, FOLLOW_UP = "focal_point", "follow_up"

    action = forms.ChoiceField(
        choices=[(FOCAL_POINT, _("Assign the focal point")), (FOLLOW_UP, _("Request follow-up"))]
    )
    focal_point = forms.ModelChoiceField(
        label=_("Mission focal point"), queryset=None, required=False
    )
    sent_on = _date(_("Date"), required=False)
    channel = forms.ChoiceField(
        label=_("Channel"), choices=_choices(FollowUpChannel, blank=True), required=False
    )
    summary = forms.CharField(
        label=_("Summary"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    response_due = _date(_("Response due"), required=False)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["focal_point"].queryset = candidates
        self.fields["focal_point"].label_from_instance = lambda user: user.get_username()

    def clean(self):
        data = super().clean()
        needed = (
            ("focal_point",)
            if data.get("action") == self.FOCAL_POINT
            else ("sent_on", "channel", "summary")
        )
        for name in needed:
            if not data.get(name) and name not in self.errors:
                self.add_error(name, _("Needed for this action."))
        return data
