"""The analysts' pages: statistics with server-drawn charts, and the incident map.

One set of filters (AnalysisFilterForm draws them; IncidentFilterSet, CasualtyFilterSet
and CaseFilterSet apply them) over querysets scoped with `visible_to(user)`. The map page
loads vendored Leaflet and Natural Earth boundaries from static/ and fetches the filtered
incidents as GeoJSON from `incident_map_data`; a tile server is used only when
MAP_TILE_URL is set.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext as _

from accountability import statistics
from accountability.choices import CaseStage
from accountability.forms import AnalysisFilterForm
from accountability.selection import Selection, select
from incidents.choices import Outcome
from incidents.places import place_files

# The GeoJSON endpoint returns at most this many incidents (the most recent first).
MAP_MAX_FEATURES = 5000
# Colours of the stages in the stacked bars (contrast >= 3:1 on white, WCAG 1.4.11).
STAGE_COLOURS = dict(
    zip(
        CaseStage.values,
        ["#b3261e", "#b35c00", "#7a5b00", "#2e7d32", "#00695c", "#1565c0", "#4527a0", "#5d4037"],
        strict=True,
    )
)


def filtered(request, *, with_form: bool = True) -> Selection:
    """The selection of the page's query string (accountability.selection), with the form
    that draws the controls when the page needs it (its choices cost queries)."""
    selection = select(user=request.user, params=request.GET)
    if with_form:
        selection.form = AnalysisFilterForm(request.GET or None, user=request.user)
    return selection


# The heading over a number of people: plural ("Tués", not the casualty's "Tué").
PEOPLE_COUNTED = {
    Outcome.KILLED: pgettext_lazy("people counted", "Killed"),
    Outcome.INJURED: pgettext_lazy("people counted", "Injured"),
    Outcome.ABDUCTED: pgettext_lazy("people counted", "Abducted"),
    Outcome.MISSING: pgettext_lazy("people counted", "Missing"),
}


# --- charts: geometry computed here, drawn by templates as inline SVG -------------------

ROW_HEIGHT = 22


def _bar_rows(bars: list[statistics.Bar]) -> dict:
    """Horizontal bars: label left, bar in the middle 60%, value right."""
    rows = [
        {
            "label": bar.label,
            "value": bar.value,
            "y": i * ROW_HEIGHT,
            "text_y": i * ROW_HEIGHT + 15,
            "width": round(bar.share * 0.55, 2),
        }
        for i, bar in enumerate(bars)
    ]
    return {
        "rows": rows,
        "height": max(len(rows), 1) * ROW_HEIGHT,
        "total": sum(b.value for b in bars),
    }


# Years written under the columns: at most this many, on a round step, so they never meet.
MOST_YEAR_LABELS = 10
YEAR_STEPS = (1, 2, 5, 10, 20, 25, 50, 100)


def year_ticks(labels: list[str], *, most: int = MOST_YEAR_LABELS) -> set[int]:
    """The columns whose year is written: the years divisible by the smallest round step
    that writes at most `most` of them (1948-2026: 1950, 1960, ... 2020)."""
    years = [int(label) if label.isdigit() else None for label in labels]
    for step in YEAR_STEPS:
        ticks = {i for i, year in enumerate(years) if year is not None and year % step == 0}
        if len(ticks) <= most:
            return ticks or {0}
    return {0}


def _columns(bars: list[statistics.Bar]) -> dict:
    """Vertical columns (one per year), the year written under round years only; a year
    at an edge is anchored inside the chart, so it is never cut."""
    n = max(len(bars), 1)
    step = 100 / n
    width = min(step * 0.8, 5)  # a few years do not make a wall
    ticks = year_ticks([bar.label for bar in bars])
    columns = []
    for i, bar in enumerate(bars):
        tick_x = round(i * step + step / 2, 3)
        columns.append(
            {
                "label": bar.label,
                "value": bar.value,
                "x": round(i * step + (step - width) / 2, 3),
                "width": round(width, 3),
                "y": round(100 - bar.share, 2),
                "height": round(bar.share, 2),
                "tick": i in ticks,
                "tick_x": tick_x,
                "anchor": "start" if tick_x < 4 else "end" if tick_x > 96 else "middle",
            }
        )
    return {
        "columns": columns,
        "total": sum(b.value for b in bars),
        "peak": max((b.value for b in bars), default=0),
    }


def _stage_rows(rows: list[statistics.StageRow]) -> dict:
    for i, row in enumerate(rows):
        row.y = i * ROW_HEIGHT
        row.text_y = i * ROW_HEIGHT + 15
        for segment in row.segments:
            segment["x"] = round(28 + segment["x"] * 0.55, 2)
            segment["width"] = round(segment["width"] * 0.55, 2)
            segment["colour"] = STAGE_COLOURS[segment["stage"]]
    return {
        "rows": rows,
        "height": max(len(rows), 1) * ROW_HEIGHT,
        # The legend: four stages a line.
        "stages": [
            {
                "value": value,
                "label": label,
                "colour": STAGE_COLOURS[value],
                "legend_x": (i % 4) * 25,
                "legend_y": (i // 4) * 22,
            }
            for i, (value, label) in enumerate(CaseStage.choices)
        ],
    }


@login_required
def statistics_page(request):
    """Figures and charts of the filtered incidents and cases: one query for the people
    (total and three charts), one for the cases by stage (and the cases' totals)."""
    selection = filtered(request)
    language = get_language() or "en"
    people = statistics.people(selection.casualties)
    stages = statistics.cases_by_stage_per_host_state(selection.cases, language=language)
    context = {
        "form": selection.form,
        "filters_active": selection.active,
        "query": selection.query,
        "withheld": selection.withheld,
        "outcome": selection.outcome,
        "outcome_label": PEOPLE_COUNTED[selection.outcome],
        "totals": {
            "incidents": selection.incidents.count(),
            "people": people.total,
            **statistics.case_totals(stages),
        },
        "by_year": _columns(people.by_year),
        "by_mission": _bar_rows(people.by_mission),
        "by_type": _bar_rows(people.by_incident_type),
        "by_stage": _stage_rows(stages),
    }
    return render(request, "accountability/statistics.html", context)


def unlocated_by_country(incidents) -> list[dict]:
    """The incidents without coordinates, counted by the country where they happened and,
    within it, by the administrative area typed (one query, grouped by the database):
    drawn as numbers on the countries' shapes (and on the areas' when the map is zoomed
    in), and listed under the map, so that an incident without coordinates does not
    disappear. Those that name no country come last, as one row without a code."""
    french = (get_language() or "en").startswith("fr")
    rows = (
        incidents.filter(latitude__isnull=True)
        .order_by()
        .values(
            "country__m49", "country__iso3", "country__name_en", "country__name_fr", "admin_area"
        )
        .annotate(count=Count("pk"))
    )
    countries: dict[str, dict] = {}
    for row in rows:
        iso3 = row["country__iso3"] or ""
        country = countries.setdefault(
            iso3,
            {
                "m49": row["country__m49"] or "",
                "iso3": iso3,
                "name": (row["country__name_fr"] if french else row["country__name_en"])
                or row["country__name_en"]
                or "",
                "count": 0,
                "areas": {},
            },
        )
        country["count"] += row["count"]
        area = (row["admin_area"] or "").strip()
        if area:
            country["areas"][area] = country["areas"].get(area, 0) + row["count"]
    for country in countries.values():
        country["areas"] = [
            {"name": name, "count": count}
            for name, count in sorted(country["areas"].items(), key=lambda a: (-a[1], a[0]))
        ]
    return sorted(countries.values(), key=lambda row: (not row["iso3"], -row["count"], row["name"]))


@login_required
def incident_map(request):
    """The map page: filters, the legend, the incidents without coordinates listed by
    country (the page works without JavaScript), and a map drawn by static/js/map.js
    from the GeoJSON."""
    selection = filtered(request)
    counts = selection.incidents.order_by().aggregate(
        total=Count("pk"), located=Count("pk", filter=Q(latitude__isnull=False))
    )
    unlocated = (
        unlocated_by_country(selection.incidents) if counts["total"] > counts["located"] else []
    )
    return render(
        request,
        "accountability/incident_map.html",
        {
            "form": selection.form,
            "filters_active": selection.active,
            "query": selection.query,
            "withheld": selection.withheld,
            "counts": counts,
            "unlocated": unlocated,
            # The incident form's vendored admin areas, fetched when the reader zooms in.
            "place_files": place_files(),
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
            "max_features": MAP_MAX_FEATURES,
        },
    )


def _incident_url(reference: str) -> str | None:
    try:
        return reverse("incidents:incident_detail", kwargs={"reference": reference})
    except NoReverseMatch:
        return None


@login_required
def incident_map_data(request):
    """The filtered incidents that have coordinates, as a GeoJSON FeatureCollection, and
    (`unlocated`) the number of those without, by country."""
    selection = filtered(request, with_form=False)
    located = selection.incidents.filter(latitude__isnull=False, longitude__isnull=False)
    # select_related: each feature names its mission; counts are correlated subqueries
    # (with_casualty_counts), not a query per incident.
    rows = list(
        located.select_related("mission")
        .with_casualty_counts()
        .only(
            "reference",
            "occurred_at",
            "latitude",
            "longitude",
            "incident_type",
            "attack_type",
            "place",
            "mission__acronym",
        )
        .order_by("-occurred_at", "-id")[: MAP_MAX_FEATURES + 1]
    )
    truncated = len(rows) > MAP_MAX_FEATURES
    features = [
        {
            "type": "Feature",
            "geometry": {
                "type": "Point",
                "coordinates": [float(incident.longitude), float(incident.latitude)],
            },
            "properties": {
                "reference": incident.reference,
                "date": incident.occurred_on.isoformat(),
                "mission": incident.mission.acronym,
                "incident_type": str(incident.get_incident_type_display()),
                "attack_type": str(incident.get_attack_type_display())
                if incident.attack_type
                else "",
                "place": incident.place,
                "killed": incident.killed,
                "injured": incident.injured,
                "url": _incident_url(incident.reference),
            },
        }
        for incident in rows[:MAP_MAX_FEATURES]
    ]
    return JsonResponse(
        {
            "type": "FeatureCollection",
            "features": features,
            "truncated": truncated,
            "unlocated": unlocated_by_country(selection.incidents),
            "labels": {
                "killed": _("killed"),
                "injured": _("injured"),
                "shown": _("%(n)s incidents on the map.") % {"n": len(features)},
                "truncated": _("Only the %(n)s most recent are shown: narrow the filters.")
                % {"n": MAP_MAX_FEATURES},
            },
        },
        content_type="application/geo+json",
    )
