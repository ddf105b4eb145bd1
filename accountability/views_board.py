"""The case board: the cases in the user's scope, one section per stage, impunity cases
marked with their reason and counted, historical records of the UN file told apart;
filtered (only by the missions and States in scope) and sorted.

Starts from `Case.objects.visible_to(user)`; the impunity rule is the queryset's
(`Case.objects.impunity()`), never re-derived here.
"""

from datetime import date

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.shortcuts import render

from accountability.choices import CaseStage
from accountability.filtersets import CaseFilterSet
from accountability.forms import BoardFilterForm, CaseBulkForm
from accountability.impunity import impunity_cases, with_impunity
from accountability.listing import BOARD_SORTING, with_progress
from accountability.models import Case
from accountability.views_bulk import focal_point_candidates, managed_cases
from missions.choices import Role, SavedList
from missions.filtersets import check_references
from missions.scope import can_manage_case, user_scope
from missions.searches import panel
from peacekeeping.querystring import page_number, page_size, read_query

# The board shows at most this many cases per stage; "show all" pages through one stage.
STAGE_LIMIT = 25
PAGE_SIZE = 50
BOARD_CONTROLS = ("page", "page_size", "sort")
PAGE_SIZES = (25, 50, 100)


def _board_queryset(cases):
    # select_related: each row shows its mission and host State. The impunity flag and
    # the date of last progress are annotations, so the board is one query per section.
    # The reason is told by the rule's own querysets: impunity, and among those stalled.
    # The reason comes from the rule's own parts (accountability/impunity.py).
    return with_impunity(with_progress(cases.select_related("mission", "host_state"))).annotate(
        in_impunity=F("impunity"),
        impunity_stalled=F("impunity_no_progress"),
    )


def _query_with(request, **values) -> str:
    """The current query string with some parameters replaced (and no page number)."""
    query = request.GET.copy()
    query.pop("page", None)
    for key, value in values.items():
        query[key] = value
    return query.urlencode()


@login_required
def case_board(request):
    """Cases in scope, one section per stage, impunity cases flagged; filter and sort."""
    visible = Case.objects.visible_to(request.user)
    form = BoardFilterForm(request.GET or None, cases=visible)
    # One reading of the query string for the rows, the form and the export links.
    query = read_query(request.GET, filters=CaseFilterSet.base_filters, controls=BOARD_CONTROLS)
    check_references(query)
    sort_key = BOARD_SORTING.read(query)
    column = BOARD_SORTING.columns[sort_key.lstrip("-")]
    form.offer_sort(sort_key, f"{column.label} {'↓' if sort_key.startswith('-') else '↑'}")
    size = page_size(query, default=PAGE_SIZE, maximum=max(PAGE_SIZES))
    filterset = CaseFilterSet(query.filters, queryset=visible, request=request)
    query.check(filterset)
    # A filter not understood selects nothing rather than everything.
    withheld = bool(query.unknown or set(query.errors) - {"sort", "page_size"})
    cases = Case.objects.none() if withheld else filterset.qs
    only_stage = "" if withheld else filterset.form.cleaned_data.get("stage")
    ordering = BOARD_SORTING.order_by(sort_key)
    # One query: per stage, the cases, the impunity cases, those of the UN file, and
    # those awaiting a host State.
    impunity = Q(pk__in=impunity_cases(Case.objects.all()).values("pk"))
    figures = {
        stage: (n, n_impunity, n_historical, n_undetermined)
        for stage, n, n_impunity, n_historical, n_undetermined in cases.order_by()
        .values_list("stage")
        .annotate(
            n=Count("pk"),
            n_impunity=Count("pk", filter=impunity),
            n_historical=Count("pk", filter=impunity & Q(opened_by_import=True)),
            n_undetermined=Count("pk", filter=Q(host_state__isnull=True)),
        )
    }
    counts = {stage: f[0] for stage, f in figures.items()}
    labels = dict(CaseStage.choices)
    page = None
    if only_stage:
        # One stage, paged: a COUNT and one page of rows.
        paginator = Paginator(_board_queryset(cases).order_by(*ordering), size)
        page = paginator.page(page_number(query, paginator))
        rows = list(page.object_list)
    else:
        # Every stage at once, the first STAGE_LIMIT of each: one windowed query.
        rows = list(
            _board_queryset(cases)
            .annotate(stage_row=Window(RowNumber(), partition_by=[F("stage")], order_by=ordering))
            .filter(stage_row__lte=STAGE_LIMIT)
            .order_by(*ordering)
        )
    by_stage: dict[str, list] = {stage: [] for stage in CaseStage.values}
    for case in rows:
        by_stage[case.stage].append(case)
    today = date.today()
    # Legal officers act on several cases at once (accountability.views_bulk).
    can_bulk = user_scope(request.user).has_role(Role.LEGAL_OFFICER)
    sections = [
        {
            "stage": stage,
            "label": labels[stage],
            "count": counts.get(stage, 0),
            "impunity_count": figures.get(stage, (0, 0, 0, 0))[1],
            "cases": [
                {
                    "case": case,
                    "days_since_attack": case.days_since_attack(today),
                    "days_since_progress": case.days_since_last_progress(today),
                    "selectable": can_bulk and can_manage_case(request.user, case),
                }
                for case in by_stage[stage]
            ],
            "more": counts.get(stage, 0) > len(by_stage[stage]) and not only_stage,
            "more_query": _query_with(request, stage=stage),
        }
        for stage in CaseStage.values
        if not only_stage or stage == only_stage
    ]
    return render(
        request,
        "accountability/case_board.html",
        {
            "form": form,
            "query": query,
            "withheld": withheld,
            "awaiting_host_state": sum(f[3] for f in figures.values()),
            "sections": sections,
            "total": sum(counts.values()),
            "impunity_total": sum(f[1] for f in figures.values()),
            "impunity_historical": sum(f[2] for f in figures.values()),
            "impunity_only_query": _query_with(request, impunity="true"),
            "no_investigation_days": settings.IMPUNITY_NO_INVESTIGATION_DAYS,
            "no_progress_days": settings.IMPUNITY_NO_PROGRESS_DAYS,
            "page": page,
            "sort_key": sort_key,
            "sort_links": {
                name: header.url.removeprefix("?")
                for name, header in BOARD_SORTING.headers(request.GET, sort_key).items()
            },
            "page_sizes": PAGE_SIZES,
            "page_size": size,
            "saved": panel(
                request.user, list_name=SavedList.CASES, path=request.path, kept=query.kept
            ),
            "bulk_form": (
                CaseBulkForm(candidates=focal_point_candidates(managed_cases(request.user)))
                if can_bulk
                else None
            ),
            "stage_limit": STAGE_LIMIT,
        },
    )
