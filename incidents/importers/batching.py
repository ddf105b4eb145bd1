"""What both halves of the UN fatalities import share: batches, and references numbered
for a whole batch at once."""

import re

from django.db import models
from django.db.models import Q

BATCH_SIZE = 2000


def batches(items: list, size: int = BATCH_SIZE):
    for start in range(0, len(items), size):
        yield items[start : start + size]


class BatchReferences:
    """References `<lead><MISSION>-<YEAR>-<NNNN>` of `model`, numbered on from the highest
    in use per mission and year.

    A service asks the database for each new reference (incidents.services.next_reference);
    an import numbers a whole batch from one query per mission. Callers hold the mission's
    sequence lock (incidents.services.lock_reference_sequence).
    """

    def __init__(self, model: type[models.Model], *, lead: str = "") -> None:
        self._model = model
        self._lead = lead
        self._next: dict[tuple[str, int], int] = {}
        self._loaded: set[str] = set()

    def _load(self, acronym: str) -> None:
        prefix = f"{self._lead}{acronym}-"
        pattern = re.compile(rf"{re.escape(prefix)}(\d{{4}})-(\d+)")
        in_use = self._model.objects.filter(reference__startswith=prefix).values_list(
            "reference", flat=True
        )
        for reference in in_use.iterator(chunk_size=BATCH_SIZE):
            if match := pattern.fullmatch(reference):
                key = (acronym, int(match[1]))
                self._next[key] = max(self._next.get(key, 1), int(match[2]) + 1)
        self._loaded.add(acronym)

    def preload(self, acronyms) -> None:
        """The references in use for all these missions, in one query per batch of them
        rather than one per mission (an import of the UN's file names ~130 missions)."""
        pending = sorted(set(acronyms) - self._loaded)
        pattern = re.compile(rf"{re.escape(self._lead)}(.+)-(\d{{4}})-(\d+)")
        for chunk in batches(pending, 200):
            wanted = set(chunk)
            starts = Q()
            for acronym in chunk:
                starts |= Q(reference__startswith=f"{self._lead}{acronym}-")
            in_use = self._model.objects.filter(starts).values_list("reference", flat=True)
            for reference in in_use.iterator(chunk_size=BATCH_SIZE):
                match = pattern.fullmatch(reference)
                if match and match[1] in wanted:
                    key = (match[1], int(match[2]))
                    self._next[key] = max(self._next.get(key, 1), int(match[3]) + 1)
            self._loaded.update(chunk)

    def allocate(self, acronym: str, year: int) -> str:
        if acronym not in self._loaded:
            self._load(acronym)
        number = self._next.get((acronym, year), 1)
        self._next[(acronym, year)] = number + 1
        return f"{self._lead}{acronym}-{year}-{number:04d}"
