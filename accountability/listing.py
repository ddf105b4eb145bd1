"""How the case lists sort: the board's columns, shared by the board and the cases export
(peacekeeping.sorting), so an export started from the board keeps the board's order."""

from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy

from accountability.forms import DEFAULT_BOARD_SORT
from peacekeeping.sorting import Column, Sorting

# The board's sortable columns (peacekeeping.sorting, as every list): `?sort=` takes each
# column, or `-column` in reverse; the form offers the common ones (BOARD_SORTS).
BOARD_SORTING = Sorting(
    {
        "reference": Column(gettext_lazy("Reference"), ("reference",)),
        "mission": Column(gettext_lazy("Mission"), ("mission__acronym", "-attack_date")),
        "host_state": Column(gettext_lazy("Host State"), ("host_state__name_en", "-attack_date")),
        "attack_date": Column(gettext_lazy("Attack"), ("attack_date",), descending_first=True),
        "killed": Column(
            gettext_lazy("Killed / injured"),
            ("killed", "injured", "attack_date"),
            descending_first=True,
        ),
        "progress": Column(gettext_lazy("Days since last progress"), ("progress", "attack_date")),
    },
    default=DEFAULT_BOARD_SORT,
)


def with_progress(cases):
    """`progress`: the date of the last progress, or of the attack (the board's column)."""
    return cases.annotate(progress=Coalesce("last_progress_on", "attack_date"))
