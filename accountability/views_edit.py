"""The case's summary and mission focal point, edited by two legal officers at once.

The edit page posts the version it read; `case_update(expected_version=...)` refuses a
stale one, and the page answers 409 with what the colleague changed (the row history)
and everything the editor typed kept.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accountability import services
from accountability.forms import CaseEditForm
from accountability.models import Case
from accountability.selectors import case_changes_since
from accountability.views import _managed_case
from peacekeeping.errors import DomainError, StaleVersion


def _rebased(form: CaseEditForm, case: Case, data):
    """The editor's form after a conflict, on top of the case as it now stands: the fields
    they changed keep their values, the others (and the hidden initial values and the
    version) take the current ones. Saving again applies their changes only."""
    data = data.copy()
    changed = set(form.changed_data)
    for name, value in CaseEditForm.initial_for(case).items():
        posted = "" if value is None else str(value)
        if name == "version":
            data[name] = posted
            continue
        data[f"initial-{name}"] = posted
        if name not in changed:
            data[name] = posted
    return data


@login_required
def case_edit(request, reference: str):
    """Summary and mission focal point. If a colleague changed the case meanwhile,
    nothing is overwritten: the form shows what they changed and keeps what was typed."""
    case = _managed_case(request, reference)
    candidates = services.case_focal_point_candidates(case)
    initial = CaseEditForm.initial_for(case)
    conflict = None
    status = 200
    if request.method == "POST":
        form = CaseEditForm(request.POST, initial=initial, candidates=candidates)
        status = 400
        if form.is_valid():
            try:
                services.case_update(
                    actor=request.user,
                    case=case,
                    expected_version=form.cleaned_data["version"],
                    **form.service_fields(),
                )
            except StaleVersion:
                case.refresh_from_db()
                conflict = case_changes_since(case, since_version=form.cleaned_data["version"])
                form = CaseEditForm(
                    _rebased(form, case, request.POST),
                    initial=CaseEditForm.initial_for(case),
                    candidates=candidates,
                )
                form.is_valid()
                form.add_error(
                    None,
                    _(
                        "Someone else changed this case while you were editing it. Their "
                        "changes are listed below and are now in the form; yours are kept. "
                        "Check them, then save again."
                    ),
                )
                status = 409
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, _("Case updated."))
                return redirect(case)
    else:
        form = CaseEditForm(initial=initial, candidates=candidates)
    return render(
        request,
        "accountability/case_edit.html",
        {"case": case, "form": form, "conflict": conflict, "cancel": case.get_absolute_url()},
        status=status,
    )
