"""Pages of exports: the exports themselves (the list's query string plus `format`), the
resolution 2589 indicators, the PDF case file, and the user's export jobs with their
progress (polled by htmx), files and manifests.

Only users allowed by `missions.scope.can_export` (analysts, legal officers,
administrators) get past `_exporter`: everyone else signed in gets a 403. A job or a case
outside the user's scope is a 404.
"""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accountability.exports.datasets import InvalidFilters
from accountability.exports.downloads import export_file_response, manifest_response
from accountability.exports.indicators import INDICATORS, indicator_table
from accountability.exports.models import ExportJob
from accountability.exports.services import (
    ExportOutcome,
    case_file_export,
    export_request,
    parse_as_of,
)
from missions.scope import can_export
from peacekeeping.errors import DomainError, OutOfScope
from peacekeeping.querystring import read_query
from peacekeeping.sorting import Column, Sorting, by_label, sorted_page
from peacekeeping.storage import open_stored

JOB_PAGE_SIZES = (50, 25, 100)  # the first is the default
JOB_SORTING = Sorting(
    {
        "id": Column("#", ("id",), descending_first=True),
        "kind": Column(gettext_lazy("Export"), (by_label("kind", ExportJob.Kind.choices),)),
        "format": Column(gettext_lazy("Format"), ("format",)),
        "created_at": Column(gettext_lazy("Requested"), ("created_at",), descending_first=True),
        "user": Column(gettext_lazy("By"), ("user__username",)),
        "status": Column(gettext_lazy("Status"), (by_label("status", ExportJob.Status.choices),)),
        "row_count": Column(gettext_lazy("Rows"), ("row_count",), descending_first=True),
    },
    default="-created_at",
)


def _exporter(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can_export(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _manifest_url(request, job: ExportJob) -> str:
    return request.build_absolute_uri(reverse("exports:job_manifest", kwargs={"pk": job.pk}))


def _send(request, outcome: ExportOutcome) -> HttpResponse:
    if outcome.file is None:
        messages.info(
            request,
            _(
                "This export has more than %(rows)s rows: it is being prepared in the "
                "background. This page shows its progress, then the download link."
            )
            % {"rows": f"{settings.EXPORT_ASYNC_THRESHOLD:,}"},
        )
        return redirect(outcome.job)
    return export_file_response(
        outcome.job, outcome.file, manifest_url=_manifest_url(request, outcome.job)
    )


def _refused(request, exc: DomainError) -> HttpResponse:
    problems = getattr(exc, "problems", None)  # as the list page words them
    errors = {"": problems} if problems else getattr(exc, "errors", None)
    errors = errors or {exc.field or "": [exc.message]}
    return render(request, "exports/export_error.html", {"errors": errors}, status=400)


@_exporter
def export(request, kind: str):
    """`?format=csv|xlsx|json` (default csv) and the list page's filters."""
    fmt = request.GET.get("format") or "csv"
    try:
        outcome = export_request(user=request.user, kind=kind, fmt=fmt, params=request.GET)
    except DomainError as exc:
        return _refused(request, exc)
    return _send(request, outcome)


@_exporter
def indicators(request):
    """The indicators as of `?as_of=` (default today, UTC); with `?format=`, the export."""
    if request.GET.get("format"):
        return export(request, "indicators")
    # A misspelt ?asof= is named, not dropped for today's figures (peacekeeping.querystring).
    query = read_query(request.GET, filters=("as_of",), controls=("format",))
    if not query.understood:
        return _refused(request, InvalidFilters.from_query(query))
    try:
        as_of = parse_as_of(request.GET.get("as_of"))
    except InvalidFilters as exc:
        return _refused(request, exc)
    table = indicator_table(request.user, as_of=as_of)
    return render(
        request,
        "exports/indicators.html",
        {"table": table, "as_of": as_of, "indicators": INDICATORS},
    )


@_exporter
def case_file(request, reference: str):
    """The case's PDF file; a case outside the user's scope is a 404."""
    try:
        outcome = case_file_export(user=request.user, reference=reference)
    except OutOfScope:
        raise Http404 from None
    return _send(request, outcome)


def _jobs(request):
    # select_related: each row names who asked for it (administrators see everyone's).
    return ExportJob.objects.visible_to(request.user).select_related("user")


@_exporter
def job_list(request):
    # Sorted by any column, paged at the size chosen (peacekeeping.sorting).
    listing = sorted_page(request.GET, _jobs(request), JOB_SORTING, sizes=JOB_PAGE_SIZES)
    return render(
        request,
        "exports/job_list.html",
        {
            "jobs": listing.page.object_list,
            "page_obj": listing.page,
            "query": listing.query,
            "sort_headers": listing.headers,
            "sort_key": listing.sort if "sort" in listing.query.controls else "",
            "page_sizes": sorted(JOB_PAGE_SIZES),
            "page_size": listing.size,
        },
    )


@_exporter
def job_detail(request, pk: int):
    """A job's progress and, when done, its file and manifest; htmx swaps the progress
    block every two seconds until the job is finished."""
    job = get_object_or_404(_jobs(request), pk=pk)
    if request.headers.get("HX-Request"):
        return render(request, "exports/job_detail.html#progress", {"job": job})
    return render(request, "exports/job_detail.html", {"job": job})


@_exporter
def job_download(request, pk: int):
    job = get_object_or_404(_jobs(request), pk=pk)
    if job.status == ExportJob.Status.EXPIRED:
        return render(request, "exports/job_detail.html", {"job": job}, status=410)
    if not job.downloadable:
        raise Http404("This export has no stored file (served at once, or not done).")
    return export_file_response(
        job, open_stored(job.file), manifest_url=_manifest_url(request, job)
    )


@_exporter
def job_manifest(request, pk: int):
    job = get_object_or_404(_jobs(request), pk=pk)
    if not job.manifest:
        raise Http404("The manifest is written when the export is done.")
    return manifest_response(job)
