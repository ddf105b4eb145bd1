"""Actions on several records at once, each through the single-record service.

A bulk action is a loop over the service a user would call for one record: each item is
checked, refused or done, and audited exactly as if done alone, in its own transaction,
so one refusal never undoes the others. What was done and what was refused (with the
service's own reason) are told item by item.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from peacekeeping.errors import DomainError

# A bulk form carries at most this many records (a page of the longest list).
MAX_ITEMS = 100


@dataclass
class BulkResult:
    """The labels of the records done, and (label, reason) of those refused."""

    done: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)

    def tell(self, request, *, done_message: str, **params) -> None:
        """One message for what was done (`done_message` with %(items)s and `params`),
        one per refusal."""
        if self.done:
            messages.success(request, done_message % {**params, "items": ", ".join(self.done)})
        for label, reason in self.refused:
            messages.error(request, _("%(item)s: %(reason)s") % {"item": label, "reason": reason})


def asked_for(values: list[str]) -> list[str]:
    """The distinct, non-empty values of a bulk form's checkboxes, in the order given."""
    seen: dict[str, None] = {}
    for value in values:
        if value.strip():
            seen.setdefault(value.strip(), None)
    return list(seen)


def apply_each(
    asked: Iterable[str], found: dict[str, object], action: Callable[[object], object]
) -> BulkResult:
    """Call `action` (one service call) on each record asked for; `found` maps what the
    user may act on by its label. A label not found is refused as "not found" (whether it
    does not exist or lies outside the user's scope: nothing is confirmed); a DomainError
    is refused with its message."""
    result = BulkResult()
    for label in asked:
        record = found.get(label)
        if record is None:
            result.refused.append((label, _("not found, or not yours to change")))
            continue
        try:
            action(record)
        except DomainError as error:
            result.refused.append((label, error.message))
        else:
            result.done.append(label)
    return result


def redirect_back(request, fallback: str):
    """Back to the page the form was on (its `next`, with the list's query string), never
    to another site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)
