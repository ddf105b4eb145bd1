"""The incident list: filtered, sorted by any column, paged at the size chosen.

Starts from `Incident.objects.visible_to(request.user)`; one reading of the query string
(peacekeeping.querystring) gives the rows, the form, the export links and the saved
searches. Drafts the user may submit get a checkbox of the bulk form (views_bulk).
"""

from __future__ import annotations

from functools import partial

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from incidents.choices import IncidentStatus
from incidents.filtersets import IncidentFilterSet
from incidents.listing import filter_choices, html_rows, incident_sorting, mission_options
from incidents.models import Incident
from incidents.querysets import TABLE_VALUES
from missions.choices import SavedList
from missions.filtersets import check_references
from missions.models import Mission
from missions.scope import recordable_mission_ids
from missions.searches import panel
from peacekeeping.paging import capped_page
from peacekeeping.querystring import page_size, read_query

PAGE_SIZE = 25
MAX_PAGE_SIZE = 100  # ?page_size= on the list, as the API's page_size (which goes to 500)


# --- list -------------------------------------------------------------------------------


LIST_CONTROLS = ("page", "page_size", "sort")
# The page sizes the list offers (?page_size= takes any number up to MAX_PAGE_SIZE).
PAGE_SIZES = (10, 25, 50, 100)


@login_required
def incident_list(request):
    visible = Incident.objects.visible_to(request.user)
    # One reading of the query string for the rows, the form and the export links.
    query = read_query(request.GET, filters=IncidentFilterSet.base_filters, controls=LIST_CONTROLS)
    # The missions of the visible incidents: the mission filter's options, and each row's
    # acronym (id -> acronym, by acronym).
    missions = dict(
        Mission.objects.filter(pk__in=visible.values("mission_id"))
        .order_by("acronym")
        .values_list("pk", "acronym")
    )
    acronyms = list(missions.values())
    check_references(query, acronyms)
    filterset = IncidentFilterSet(query.filters, queryset=visible, request=request)
    query.check(filterset)
    size = page_size(query, default=PAGE_SIZE, maximum=MAX_PAGE_SIZE)
    sorting = incident_sorting()
    recordable = recordable_mission_ids(request.user)
    can_record = recordable is None or bool(recordable)
    # Drafts of the missions the user records for get a checkbox: "submit the ticked".
    select = (
        (
            lambda row: (
                row["status"] == IncidentStatus.DRAFT
                and (recordable is None or row["mission_id"] in recordable)
            )
        )
        if can_record
        else None
    )
    sort_key = sorting.read(query)
    page = None
    # A page size or a sort not understood changes only how the rows are shown.
    if not query.unknown and set(query.errors) <= {"page_size", "sort"}:
        # The filters narrow the visible incidents first; the rows' columns come after, so
        # a filter's join never changes what a row counts.
        selection = filterset.qs
        # Counted up to a cap, the page read as plain values and labelled from maps
        # (incidents.listing): the rows cost what their SQL costs.
        raw_page = query.controls.get("page", "")
        rows = selection.list_values(TABLE_VALUES).order_by(*sorting.order_by(sort_key))
        page = capped_page(
            selection,
            rows,
            page=raw_page,
            per_page=size,
            build=partial(html_rows, missions=missions, select=select),
        )
        if raw_page and not (
            raw_page.isascii() and raw_page.isdigit() and int(raw_page) == page.number
        ):
            # A page that does not exist is named; the nearest one is shown (the first for
            # a page that is not a number, the last past the end).
            if page.capped:
                reason = _("there is no such page; page %(page)s is shown") % {"page": page.number}
            else:
                last = max(1, -(-page.count // size))
                reason = _("there is no such page; pages go from 1 to %(last)s") % {"last": last}
            query.refuse("page", reason)
    filters = {name: query.filters.get(name, "") for name in filterset.filters}
    sort_key_kept = sort_key if query.controls.get("sort") == sort_key else ""
    context = {
        # None when a filter was not understood: nothing is shown rather than more.
        "page_obj": page,
        "withheld": page is None,
        "query": query,
        "filterset": filterset,
        # Every filter's value, "" when not given: a plain dict, so the form's lookups
        # never miss (a missed lookup on a QueryDict costs a dir() in the template engine,
        # once per mission in the mission drop-down).
        "filters": filters,
        # Everything the filter form shows but the language: the form is rendered once a
        # process for each (templates' {% cache %}, as the main menu), ~1 ms a request.
        "filter_form_key": repr((sorted(filters.items()), acronyms, size, sort_key_kept)),
        # The mission drop-down's options, written here: ~75 of them through the template
        # engine cost ~1 ms a request (includes/incident_list.html).
        "missions": acronyms,
        "mission_options": mission_options(acronyms, query.filters.get("mission", "")),
        **filter_choices(),
        "can_record": can_record,
        "sort_headers": sorting.headers(request.GET, sort_key),
        "sort_key": sort_key_kept,
        "saved": panel(
            request.user, list_name=SavedList.INCIDENTS, path=request.path, kept=query.kept
        ),
        "page_sizes": PAGE_SIZES,
        "page_size": size,
    }
    # htmx refreshes only the results (export links included); a history restore (back
    # button) needs the page.
    only_results = (
        request.htmx and not request.htmx.boosted and not request.htmx.history_restore_request
    )
    template = "incidents/incident_list.html" + ("#results" if only_results else "")
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response
