"""Whether an import of the UN fatalities file would change anything, without running it.

An import's outcome depends on the file and on what it reads in the database: the
casualties it keyed by `Casualty_ID`, the incidents it created (their key, whether they
have a case, whether someone of them was killed), the missions with their mandates and
host countries, and the countries. `state_digest` reduces all of that to one digest in
one query (PostgreSQL). Each run records the file's SHA-256 and the digest of the state
it left in its audit entry; a later run of the same file that finds the same digest
would change nothing (the import is idempotent), so it stops there: reading the file's
bytes and one query instead of checking every row and comparing it with the database.

Anything else (another file, an edited casualty, a deleted case, a new country) changes
the digest or the hash, and the import runs in full.
"""

from __future__ import annotations

from django.db import connection

from incidents.choices import IncidentSource, Outcome
from incidents.models import Casualty, Incident
from missions.models import Country, Mission


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _digest_sql() -> str:
    casualty, incident = _table(Casualty), _table(Incident)
    case_link = _table(Incident._meta.get_field("case_link").related_model)
    mission, country = _table(Mission), _table(Country)
    hosts = _table(Mission.host_countries.through)
    # The casualties are aggregated from a subquery read in the order of their unique
    # Casualty_ID index (the aggregate keeps its input's order), not by string_agg's own
    # ORDER BY, which sorts a million rows on disk each time: same digest, half the time.
    return f"""
    SELECT md5(concat_ws('|',
      (SELECT md5(string_agg(c.row, ';'))
       FROM (SELECT concat_ws(',', un_casualty_id, incident_id, category, nationality_id,
                              un_personnel_type, outcome) AS row
             FROM {casualty} WHERE un_casualty_id IS NOT NULL
             ORDER BY un_casualty_id) AS c),
      (SELECT md5(string_agg(concat_ws(',', i.id, i.mission_id, i.occurred_at,
                                       i.incident_type, l.case_id, k.incident_id),
                             ';' ORDER BY i.id))
       FROM {incident} AS i
       LEFT JOIN {case_link} AS l ON l.incident_id = i.id
       LEFT JOIN (SELECT DISTINCT incident_id FROM {casualty} WHERE outcome = %(killed)s)
         AS k ON k.incident_id = i.id
       WHERE i.source = %(source)s),
      (SELECT md5(string_agg(concat_ws(',', id, acronym, mandate_start, mandate_end),
                             ';' ORDER BY id)) FROM {mission}),
      (SELECT md5(string_agg(concat_ws(',', mission_id, country_id),
                             ';' ORDER BY mission_id, country_id)) FROM {hosts}),
      (SELECT md5(string_agg(concat_ws(',', id, iso3, m49, name_en, name_fr),
                             ';' ORDER BY id)) FROM {country})
    ))
    """


def state_digest() -> str | None:
    """The digest of everything an import reads in the database; None where it cannot
    be computed in one query (not PostgreSQL), so that the import always runs in full."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            _digest_sql(),
            {"killed": Outcome.KILLED, "source": IncidentSource.UN_FATALITIES_FILE},
        )
        return cursor.fetchone()[0]
