"""Incidents as list rows: the list page, the dashboard and the API's list read them here.

A list of 50 incidents built from model instances cost ~30 ms of Python a request: four
model instances a row (incident, mission, country, case), a `get_..._display` per label
(~1,700 gettext calls a page) and, in the API, DRF's nested serializers and a `reverse()`
per row. The SQL behind it takes ~1 ms. So lists read plain values
(`IncidentQuerySet.list_values`), label them from maps built once per request, and link
them with one `reverse()` per request. The detail pages keep their model instances.

What a row shows is unchanged: `tests/incidents/test_listing.py` compares these rows with
what the model instances and the API's `IncidentSerializer` give for the same incidents.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from html import escape
from urllib.parse import quote

from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.urls import reverse
from django.utils.formats import date_format, get_format
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeString
from django.utils.timezone import localtime
from django.utils.translation import get_language, gettext, pgettext

from incidents.choices import AttackType, IncidentStatus, IncidentType, Outcome
from incidents.models import Incident
from peacekeeping.sorting import Column, Sorting, by_label

# What Django's reverse() leaves unquoted in a path (django.urls.resolvers).
_PATH_SAFE = RFC3986_SUBDELIMS + "/~:@"
_PLACEHOLDER = "0"


class Row(dict):
    """One incident's values. A dict, so templates find each key at their first lookup;
    attributes too, for Python code (`row.killed`)."""

    __slots__ = ()

    def __getattr__(self, name: str):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def incident_sorting() -> Sorting:
    """The incident list's sortable columns: every column includes/incident_table.html
    shows, in the active language (types and statuses by their labels). The default, the
    latest first, reads the index on (occurred_at, id); `reference` its unique index.

    Built once per language and kept: the headers and the labels' CASE are the same on
    every request (~0.5 ms a request built anew). Nothing mutates it: `order_by` returns
    new terms, which the queryset resolves into copies."""
    language = get_language() or "en"
    sorting = _SORTINGS.get(language)
    if sorting is None:
        sorting = _SORTINGS[language] = _incident_sorting()
    return sorting


_SORTINGS: dict[str, Sorting] = {}


def _incident_sorting() -> Sorting:
    first_perpetrator = Subquery(
        Incident.perpetrators.through.objects.filter(incident_id=OuterRef("pk"))
        .order_by("armedgroup__name")
        .values("armedgroup__name")[:1]
    )
    return Sorting(
        {
            "reference": Column(gettext("Reference"), ("reference",)),
            "occurred_at": Column(gettext("Date"), ("occurred_at",), descending_first=True),
            "mission": Column(gettext("Mission"), ("mission__acronym",)),
            "place": Column(
                gettext("Place"), (Coalesce(NullIf("place", Value("")), "admin_area"),)
            ),
            "type": Column(gettext("Type"), (by_label("incident_type", IncidentType.choices),)),
            "perpetrators": Column(gettext("Perpetrators"), (first_perpetrator,)),
            "killed": Column(
                pgettext("people counted", "Killed"), ("killed",), descending_first=True
            ),
            "injured": Column(
                pgettext("people counted", "Injured"), ("injured",), descending_first=True
            ),
            "status": Column(gettext("Status"), (by_label("status", IncidentStatus.choices),)),
            "case": Column(gettext("Case"), ("case_link__case__reference",)),
        },
        default="-occurred_at",
    )


def mission_options(acronyms, selected: str) -> SafeString:
    """The <option>s of the list's mission filter, the one chosen (matched regardless of
    case, as the filter does) selected; every value escaped."""
    chosen = str(selected).upper()
    options = []
    for acronym in acronyms:
        value = escape(acronym)
        mark = " selected" if acronym.upper() == chosen else ""
        options.append(f'<option value="{value}"{mark}>{value}</option>')
    return SafeString("\n".join(options))


def path_maker(view_name: str, kwarg: str):
    """A function giving the path of `view_name` for a value of `kwarg`, as reverse()
    would, after one reverse() (the URL pattern is a plain `<str:...>` segment)."""
    pattern = reverse(view_name, kwargs={kwarg: _PLACEHOLDER})
    head, _sep, tail = pattern.rpartition(f"/{_PLACEHOLDER}/")
    head, tail = head + "/", "/" + tail

    def make(value: str) -> str:
        return head + quote(value, safe=_PATH_SAFE) + tail

    return make


def _stage_labels() -> dict[str, str]:
    # The case's stage labels, through the relation: incidents sit below accountability
    # on the apps' ladder and do not import its modules.
    link = Incident._meta.get_field("case_link").related_model
    case = link._meta.get_field("case").related_model
    return {value: str(label) for value, label in case._meta.get_field("stage").choices}


@dataclass(frozen=True)
class _LabelMaps:
    """The rows' labels in one language: the same on every request, so built once per
    language (the catalogs do not change while the app runs) rather than with ~300
    gettext calls a request."""

    types: dict[str, str]
    attacks: dict[str, str]
    statuses: dict[str, str]
    outcomes: dict[str, str]
    stages: dict[str, str]
    unknown: str
    select: str
    day: Callable[[date], str]  # a date as the tables write it


def _day_format() -> Callable[[date], str]:
    # ISO 8601 in the tables (peacekeeping/formats): written directly, as Django's
    # date_format would, without its ~45 µs a call (a call per distinct day of a page).
    if get_format("SHORT_DATE_FORMAT") == "Y-m-d":
        return date.isoformat
    return partial(date_format, format="SHORT_DATE_FORMAT")


_LABEL_MAPS: dict[str, _LabelMaps] = {}


def _label_maps(language: str) -> _LabelMaps:
    maps = _LABEL_MAPS.get(language)
    if maps is None:
        maps = _LABEL_MAPS[language] = _LabelMaps(
            types={value: str(label) for value, label in IncidentType.choices},
            attacks={value: str(label) for value, label in AttackType.choices},
            statuses={value: str(label) for value, label in IncidentStatus.choices},
            outcomes={value: str(label) for value, label in Outcome.choices},
            stages=_stage_labels(),
            unknown=escape(gettext("Unknown")),
            select=gettext("Select %(reference)s"),
            day=_day_format(),
        )
    return maps


def filter_choices() -> dict[str, list[tuple[str, str]]]:
    """The list's filter drop-downs' choices, labelled in the active language from the
    maps above (no gettext per option)."""
    maps = _label_maps(get_language() or "en")
    return {
        "incident_types": list(maps.types.items()),
        "attack_types": list(maps.attacks.items()),
        "statuses": list(maps.statuses.items()),
        "outcomes": list(maps.outcomes.items()),
    }


class RowLabels:
    """The labels and links rows show, in the active language, once per request."""

    def __init__(self) -> None:
        language = get_language() or "en"
        self.french = language.startswith("fr")
        maps = _label_maps(language)
        self.types = maps.types
        self.attacks = maps.attacks
        self.statuses = maps.statuses
        self.stages = maps.stages
        self.unknown = maps.unknown
        self.select = maps.select
        self.day = maps.day
        self.path = path_maker("incidents:incident_detail", "reference")


def _select_cell(row: Row, select, labels: RowLabels) -> str:
    """The checkbox of a bulk action (tied to its form by `form=`), or an empty cell."""
    if select is None:
        return ""
    if not select(row):
        return "<td></td>"
    reference = escape(row["reference"])
    label = escape(labels.select % {"reference": row["reference"]})
    return (
        f'<td><input type="checkbox" name="incident" value="{reference}" '
        f'form="bulk-form" aria-label="{label}"></td>'
    )


def _row_html(row: Row, labels: RowLabels, select=None) -> SafeString:
    """One table row of includes/incident_table.html, every value escaped (as the
    template's autoescape does: django.utils.html.escape is html.escape). Rendered here
    rather than cell by cell in the template, and with html.escape rather than
    format_html: each spent ~100 µs a row, a third of the list page's own time."""
    country = row["country_name"]
    country = f' <span class="muted">({escape(country)})</span>' if country else ""
    attack = (
        f' <span class="muted">— {escape(row["attack_label"])}</span>' if row["attack_type"] else ""
    )
    perpetrators = row["perpetrator_names"]
    perpetrators = (
        escape(perpetrators) if perpetrators else f'<span class="muted">{labels.unknown}</span>'
    )
    case = row["case_reference"]
    case = (
        f'{escape(case)} <span class="muted">— {escape(row["case_stage_label"])}</span>'
        if case
        else "—"
    )
    return SafeString(
        f"<tr>{_select_cell(row, select, labels)}"
        f'<th scope="row"><a href="{escape(row["url"])}">{escape(row["reference"])}</a>'
        f"</th><td>{escape(row['day'])}</td><td>{escape(row['mission_acronym'])}</td>"
        f"<td>{escape(row['place_text'])}{country}</td>"
        f"<td>{escape(row['type_label'])}{attack}</td><td>{perpetrators}</td>"
        f'<td class="num">{row["killed"]:d}</td><td class="num">{row["injured"]:d}</td>'
        f'<td><span class="badge status-{escape(row["status"])}">'
        f"{escape(row['status_label'])}</span></td><td>{case}</td></tr>"
    )


def html_rows(
    values, *, missions: dict[int, str], labels: RowLabels | None = None, select=None
) -> list[Row]:
    """Rows for includes/incident_table.html from `list_values(TABLE_VALUES)` dicts
    (perpetrators included); `missions` maps their missions' ids to acronyms. Each row
    carries its cells' text (the day in the user's time zone, the place or area, the
    labels) and its `html`. `select(row)`, if given, says which rows get a checkbox of
    the page's bulk form."""
    labels = labels or RowLabels()
    days: dict = {}
    rows = []
    for v in values:
        day = localtime(v["occurred_at"]).date()
        if day not in days:
            days[day] = labels.day(day)
        country = v["country__name_fr"] if labels.french else v["country__name_en"]
        stage = v["case_link__case__stage"]
        names = [p["name"] for p in v["perpetrator_list"]]
        row = Row(
            v,
            url=labels.path(v["reference"]),
            day=days[day],
            mission_acronym=missions[v["mission_id"]],
            place_text=v["place"] or v["admin_area"] or "—",
            country_name=country if v["country_id"] is not None else "",
            type_label=labels.types.get(v["incident_type"], v["incident_type"]),
            attack_label=labels.attacks.get(v["attack_type"], v["attack_type"]),
            status_label=labels.statuses.get(v["status"], v["status"]),
            perpetrator_names=", ".join(names),
            case_reference=v["case_link__case__reference"],
            case_stage_label=labels.stages.get(stage, stage) if stage else "",
        )
        row["html"] = _row_html(row, labels, select)
        rows.append(row)
    return rows
