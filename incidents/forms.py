"""Forms of the incident pages: one guided form, its casualty rows and evidence files.

The forms turn what the browser sent into the arguments of the services
(`incidents.services`); they never write. The services remain the authority on every
rule: a DomainError they raise is shown on the form (`add_domain_error`). The few
field-combination rules the form also checks (a future date, an attack type on an
accident, half a pair of coordinates, a date of death) are checked here too so that a
clerk on a slow link sees every problem in one round trip, in their own language.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime, time

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incidents.choices import AttackType, DatePrecision, IncidentType, LocationPrecision, Outcome
from incidents.models import TEXT_MAX_LENGTH, ArmedGroup, Incident
from missions.choices import PersonnelCategory
from missions.models import Country, Mission, Personnel
from peacekeeping.errors import DomainError

# Where a service's DomainError.field lands on the incident form.
INCIDENT_ERROR_FIELDS = {
    "occurred_at": "occurred_date",
    "uploaded_file": "attachments",
    "country": "country",
}
_BLANK = [("", "—")]


class ArmedGroupChoiceField(forms.ModelMultipleChoiceField):
    """Armed groups as checkboxes, each labelled with the other names it is known by."""

    def label_from_instance(self, obj: ArmedGroup) -> str:
        aliases = [alias.alias for alias in obj.aliases.all()]
        return f"{obj.name} ({', '.join(aliases)})" if aliases else obj.name


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several evidence files in one input; the services check each file's content."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


def _choices(choices, *, blank: bool = True):
    return (_BLANK if blank else []) + list(choices)


def add_domain_error(form: forms.Form, error: DomainError, mapping: dict | None = None) -> None:
    """Show a service's refusal on the field it names, or at the top of the form."""
    field = (mapping or {}).get(error.field, error.field)
    form.add_error(field if field in form.fields else None, error.message)


class IncidentForm(forms.Form):
    """When, where, what, who: the facts of one incident, in the order a clerk tells them."""

    mission = forms.ModelChoiceField(
        label=_("Mission"), queryset=Mission.objects.none(), empty_label=None
    )
    occurred_date = forms.DateField(label=_("Date"), widget=DateInput)
    occurred_time = forms.TimeField(
        label=_("Time"),
        required=False,
        widget=TimeInput,
        help_text=_("Local time in the mission's time zone, if known."),
    )
    date_precision = forms.ChoiceField(
        label=_("How precise is the date?"),
        choices=DatePrecision.choices,
        initial=DatePrecision.DAY,
        help_text=_("For a month or a year only, give its first day as the date."),
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    admin_area = forms.CharField(
        label=_("Administrative area"),
        max_length=200,
        required=False,
        help_text=_("Region, prefecture or province."),
    )
    country = forms.ModelChoiceField(
        label=_("Country where it happened"),
        queryset=Country.objects.none(),
        required=False,
        empty_label=_("The mission's host country"),
    )
    latitude = forms.DecimalField(
        label=_("Latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        decimal_places=5,
        localize=False,
        widget=forms.NumberInput(attrs={"step": "0.00001", "inputmode": "decimal"}),
        help_text=_("Decimal degrees, e.g. 4.36122 (south is negative)."),
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        required=False,
        min_value=-180,
        max_value=180,
        decimal_places=5,
        localize=False,
        widget=forms.NumberInput(attrs={"step": "0.00001", "inputmode": "decimal"}),
        help_text=_("Decimal degrees, e.g. 18.55496 (west is negative)."),
    )
    location_precision = forms.ChoiceField(
        label=_("How precise is the location?"),
        choices=LocationPrecision.choices,
        initial=LocationPrecision.NEAR,
    )
    incident_type = forms.ChoiceField(
        label=_("Incident type"), choices=_choices(IncidentType.choices)
    )
    attack_type = forms.ChoiceField(
        label=_("Attack type"),
        choices=_choices(AttackType.choices),
        required=False,
        help_text=_("Only for a malicious act."),
    )
    perpetrators = ArmedGroupChoiceField(
        label=_("Perpetrators"),
        queryset=ArmedGroup.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Armed groups from the register. Leave empty if unknown."),
    )
    narrative = forms.CharField(
        label=_("What happened"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    sources = forms.CharField(
        label=_("Sources"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Flash report, code cable, witness statement…"),
    )
    attachments = MultipleFileField(
        label=_("Evidence files"),
        required=False,
        help_text=_(
            "PDF, JPEG, PNG, plain text or Word (.docx). If the form shows an error, "
            "choose the files again: browsers do not keep them."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # A new incident's submission key: a replay of the same post (a double tap, the
    # offline outbox) finds the incident instead of recording it twice.
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, missions=None, incident: Incident | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.incident = incident
        groups = ArmedGroup.objects.visible_to(user).prefetch_related("aliases")
        self.fields["perpetrators"].queryset = groups
        if incident is None:
            self.fields["mission"].queryset = missions
            if missions.count() != 1:
                self.fields["mission"].empty_label = _("Choose a mission")
            hosts = Country.objects.filter(hosted_missions__in=missions)
            del self.fields["version"]
            self.fields["idempotency_key"].initial = uuid.uuid4
        else:
            # The mission and the reference are permanent.
            del self.fields["mission"]
            del self.fields["idempotency_key"]
            self.fields["version"].required = True
            # The values the clerk loaded travel with the form (hidden "initial-" inputs),
            # so a save applies only what they changed, and a conflict can tell their
            # changes from someone else's.
            for name, field in self.fields.items():
                if name not in ("version", "attachments"):
                    field.show_hidden_initial = True
            hosts = Country.objects.filter(
                Q(hosted_missions=incident.mission_id) | Q(pk=incident.country_id)
            )
        self.fields["country"].queryset = hosts.distinct().order_by("name_en")

    @classmethod
    def initial_for(cls, incident: Incident) -> dict:
        """The form's values for an incident being edited."""
        if incident.date_precision == DatePrecision.EXACT:
            local = timezone.localtime(incident.occurred_at, incident.mission.zone)
            occurred_date, occurred_time = local.date(), local.time().replace(second=0)
        else:
            occurred_date, occurred_time = incident.occurred_on, None
        return {
            "occurred_date": occurred_date,
            "occurred_time": occurred_time,
            "date_precision": incident.date_precision,
            "place": incident.place,
            "admin_area": incident.admin_area,
            "country": incident.country_id,
            "latitude": incident.latitude,
            "longitude": incident.longitude,
            "location_precision": incident.location_precision,
            "incident_type": incident.incident_type,
            "attack_type": incident.attack_type,
            "perpetrators": [group.pk for group in incident.perpetrators.all()],
            "narrative": incident.narrative,
            "sources": incident.sources,
            "version": incident.version,
        }

    def clean(self):
        data = super().clean()
        day: date | None = data.get("occurred_date")
        at: time | None = data.get("occurred_time")
        if day is not None:
            if day > timezone.localdate():
                self.add_error("occurred_date", _("An incident cannot be dated in the future."))
            elif at is not None and self.occurred_at() > timezone.now():
                self.add_error("occurred_time", _("An incident cannot be dated in the future."))
        if data.get("date_precision") == DatePrecision.EXACT and at is None and day is not None:
            self.add_error("occurred_time", _("An exact time needs the time of day."))
        if data.get("attack_type") and data.get("incident_type") not in (
            None,
            IncidentType.MALICIOUS_ACT,
        ):
            self.add_error(
                "attack_type",
                _(
                    "An attack type is only for malicious acts: clear it, or choose "
                    "“Malicious act” as the incident type."
                ),
            )
        latitude, longitude = data.get("latitude"), data.get("longitude")
        if "latitude" not in self.errors and "longitude" not in self.errors:
            if latitude is None and longitude is not None:
                self.add_error(
                    "latitude", _("Give both the latitude and the longitude, or neither.")
                )
            elif longitude is None and latitude is not None:
                self.add_error(
                    "longitude", _("Give both the latitude and the longitude, or neither.")
                )
            elif latitude is None and data.get("location_precision") == LocationPrecision.EXACT:
                self.add_error(
                    "location_precision",
                    _("An exact location needs coordinates: give them or choose a coarser one."),
                )
        return data

    def mission_zone(self):
        """Where the time was read: the mission's zone (UTC before a mission is chosen)."""
        mission = self.incident.mission if self.incident else self.cleaned_data.get("mission")
        return mission.zone if mission is not None else timezone.get_default_timezone()

    def occurred_at(self) -> datetime | date:
        """A timed incident: the time typed is local to the mission (its time zone), stored
        in UTC; a day alone is that day."""
        day = self.cleaned_data["occurred_date"]
        at = self.cleaned_data.get("occurred_time")
        if at is None:
            return day
        return timezone.make_aware(datetime.combine(day, at), self.mission_zone())

    def service_fields(self, *, only_changed: bool = False) -> dict:
        """The arguments of incident_record / incident_update."""
        data = self.cleaned_data
        fields = {
            "occurred_at": self.occurred_at(),
            "date_precision": data["date_precision"],
            "place": data["place"],
            "admin_area": data["admin_area"],
            "country": data["country"],
            "latitude": data["latitude"],
            "longitude": data["longitude"],
            "location_precision": data["location_precision"],
            "incident_type": data["incident_type"],
            "attack_type": data["attack_type"],
            "perpetrators": list(data["perpetrators"]),
            "narrative": data["narrative"],
            "sources": data["sources"],
        }
        if not only_changed:
            return fields
        changed = set(self.changed_data)
        if changed & {"occurred_date", "occurred_time"}:
            changed.add("occurred_at")
        return {name: value for name, value in fields.items() if name in changed}


_SERVICE_NUMBER = re.compile(r"\(([^()]+)\)\s*$")


class CasualtyForm(forms.Form):
    """A person harmed: a known peacekeeper, or a category and a nationality."""

    personnel = forms.CharField(
        label=_("Known peacekeeper"),
        required=False,
        max_length=200,
        help_text=_("Name or service number, if the person is in the personnel register."),
    )
    category = forms.ChoiceField(
        label=_("Category"), choices=_choices(PersonnelCategory.choices), required=False
    )
    nationality = forms.CharField(
        label=_("Nationality"),
        required=False,
        max_length=100,
        help_text=_("Country name or ISO code."),
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=_choices(Outcome.choices))
    date_of_death = forms.DateField(
        label=_("Date of death"),
        required=False,
        widget=DateInput,
        help_text=_("If the person died later than the incident."),
    )

    def __init__(self, *args, personnel_queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.personnel_queryset = (
            personnel_queryset if personnel_queryset is not None else Personnel.objects.none()
        )
        for name in ("personnel", "nationality"):
            self.fields[name].widget.attrs["autocomplete"] = "off"
        self.fields["personnel"].widget.attrs["list"] = "personnel-options"
        self.fields["nationality"].widget.attrs["list"] = "country-options"

    def clean_personnel(self) -> Personnel | None:
        text = self.cleaned_data["personnel"].strip()
        if not text:
            return None
        match = _SERVICE_NUMBER.search(text)
        number = match.group(1).strip() if match else text
        found = list(self.personnel_queryset.filter(service_number__iexact=number)[:2])
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise forms.ValidationError(
                _("Several peacekeepers have this service number: choose one from the list.")
            )
        raise forms.ValidationError(
            _("No peacekeeper of your mission has this service number: choose one from the list.")
        )

    def clean_nationality(self) -> Country | None:
        text = self.cleaned_data["nationality"].strip()
        if not text:
            return None
        country = Country.objects.filter(
            Q(iso3__iexact=text) | Q(name_en__iexact=text) | Q(name_fr__iexact=text)
        ).first()
        if country is None:
            raise forms.ValidationError(
                _("“%(value)s” is not a known country."), params={"value": text}
            )
        return country

    def clean(self):
        data = super().clean()
        if (
            not data.get("personnel")
            and not data.get("category")
            and "personnel" not in self.errors
        ):
            self.add_error(
                "category", _("Give the person's category, or choose a known peacekeeper.")
            )
        died = data.get("date_of_death")
        if died is not None:
            if data.get("outcome") and data["outcome"] != Outcome.KILLED:
                self.add_error("date_of_death", _("A date of death is only for someone killed."))
            elif died > timezone.localdate():
                self.add_error("date_of_death", _("The date of death cannot be in the future."))
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "personnel": data["personnel"],
            "category": data["category"],
            "nationality": data["nationality"],
            "outcome": data["outcome"],
            "date_of_death": data["date_of_death"],
        }


class BaseCasualtyFormSet(forms.BaseFormSet):
    """Casualty rows. `require_one`: submitting needs a casualty, kept or new."""

    def __init__(self, *args, require_one: bool = False, kept: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.require_one = require_one
        self.kept = kept

    def clean(self):
        super().clean()
        if self.require_one and not self.kept and not self.filled_forms():
            raise forms.ValidationError(
                _("Add at least one casualty before submitting, or save the incident as a draft.")
            )

    def filled_forms(self) -> list[CasualtyForm]:
        """The rows the clerk filled in (blank extra rows are ignored)."""
        return [form for form in self.forms if form.has_changed()]


CasualtyFormSet = forms.formset_factory(
    CasualtyForm, formset=BaseCasualtyFormSet, extra=2, max_num=100, validate_max=True
)
CASUALTY_PREFIX = "casualties"
