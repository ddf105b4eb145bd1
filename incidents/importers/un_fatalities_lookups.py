"""The UN fatalities import's look-ups: each nationality of the file resolved to a country
(ISO3, then M49, then name; one answer per distinct value) and each mission acronym to a
mission (unknown ones created as kind "other"). Used by `un_fatalities`."""

import unicodedata

from incidents.importers.un_fatalities_reader import ImportWarnings, ParsedFile
from missions.choices import MissionKind
from missions.models import Country, Mission


def _normalised_name(name: str) -> str:
    """'Côte dIvoire' and "Côte d'Ivoire" both become 'cotedivoire'."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(char for char in decomposed if char.isalnum()).casefold()


class Countries:
    """Nationality look-up by ISO3, then M49, then name; one answer per distinct triple."""

    def __init__(self, warnings: ImportWarnings) -> None:
        self.warnings = warnings
        self.by_iso3: dict[str, int] = {}
        self.by_m49: dict[str, int] = {}
        self.by_name: dict[str, int] = {}
        self.iso3_of: dict[int, str] = {}
        for pk, iso3, m49, name_en, name_fr in Country.objects.values_list(
            "pk", "iso3", "m49", "name_en", "name_fr"
        ):
            self.iso3_of[pk] = iso3
            self.by_iso3.setdefault(iso3.upper(), pk)
            if m49:
                self.by_m49.setdefault(m49.zfill(3), pk)
            for name in (name_en, name_fr):
                if name:
                    self.by_name.setdefault(_normalised_name(name), pk)
        self.answers: dict[tuple[str, str, str], tuple[int | None, str | None]] = {}

    def answer(self, name: str, m49: str, iso3: str) -> tuple[int | None, str | None]:
        """(country, warning or None) for a nationality of the file, kept in `answers`."""
        key = (name, m49, iso3)
        if key not in self.answers:
            self.answers[key] = self._lookup(name, m49, iso3)
        return self.answers[key]

    def _lookup(self, name: str, m49: str, iso3: str) -> tuple[int | None, str | None]:
        if iso3 in self.by_iso3:
            return self.by_iso3[iso3], None
        m49 = m49.zfill(3) if m49.isdigit() else ""
        if m49 in self.by_m49:
            pk = self.by_m49[m49]
            if not iso3:
                return pk, None
            return pk, (
                f"Nationality {name!r}: ISO3 {iso3!r} is not a known country; "
                f"matched by M49 {m49} to {self.iso3_of[pk]}"
            )
        if not (name or m49 or iso3):
            return None, "Blank nationality: left blank"
        pk = self.by_name.get(_normalised_name(name)) if name else None
        if pk is not None:
            return (
                pk,
                f"Nationality {name!r} has no known code: matched by name to {self.iso3_of[pk]}",
            )
        return None, (
            f"Nationality {name!r} (M49 {m49 or '-'}, ISO3 {iso3 or '-'}) matches no country: "
            "left blank"
        )


def missions_of(parsed: ParsedFile, summary) -> tuple[dict[str, Mission], set[int]]:
    """Every acronym of the file mapped to a mission; unknown ones created as kind other."""
    known = {
        mission.acronym: mission
        for mission in Mission.objects.only("pk", "acronym", "mandate_start", "mandate_end")
    }
    folded = {acronym.casefold(): mission for acronym, mission in known.items()}
    resolved: dict[str, Mission] = {}
    created: set[int] = set()
    for fatality in parsed.rows.values():
        acronym = fatality.mission
        if acronym in resolved:
            continue
        mission = known.get(acronym) or folded.get(acronym.casefold())
        if mission is None:
            mission = Mission.objects.create(
                acronym=acronym, name_en=acronym, kind=MissionKind.OTHER
            )
            created.add(mission.pk)
            summary.missions_created += 1
        resolved[acronym] = mission
    return resolved, created
