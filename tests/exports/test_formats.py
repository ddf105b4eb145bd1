"""Each export, in each format, says what the database says: the rows the user may see,
narrowed by the list's filters, each column as stored; with its manifest, and written to
the audit trail."""

import hashlib
import json
from datetime import UTC, date, datetime

import pytest
from django.db.models import Count, Q

from accountability.models import Case, ProcedureStep
from incidents.models import Casualty, Incident
from peacekeeping.models import AuditEntry
from tests.exports.conftest import READERS, body_of, client_for

pytestmark = pytest.mark.django_db

FORMATS = ("csv", "xlsx", "json")


def text(value) -> str:
    """A cell of any format as the CSV writes it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):  # XLSX gives dates back as midnight datetimes
        if (value.hour, value.minute, value.second) == (0, 0, 0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def export(client, kind: str, fmt: str, **params):
    response = client.get(f"/exports/{kind}/", {**params, "format": fmt})
    assert response.status_code == 200, body_of(response)[:500]
    body = body_of(response)
    rows = [{k: text(v) for k, v in row.items()} for row in READERS[fmt](body)]
    return response, body, rows


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_incidents_export_is_the_visible_incidents_with_their_counts(export_world, client, fmt):
    client_for(client, export_world, "analyst_a")

    _response, _body, rows = export(client, "incidents", fmt)

    visible = Incident.objects.filter(mission=export_world.mission_a).annotate(
        killed=Count("casualties", filter=Q(casualties__outcome="killed")),
        injured=Count("casualties", filter=Q(casualties__outcome="injured")),
    )
    expected = {
        i.reference: {
            "mission": i.mission.acronym,
            "country": i.country.iso3,
            "occurred_on": i.occurred_on.isoformat(),
            "occurred_at_utc": i.occurred_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "incident_type": i.incident_type,
            "killed": str(i.killed),
            "injured": str(i.injured),
            "case": i.case_link.case.reference if hasattr(i, "case_link") else "",
            "status": i.status,
        }
        for i in visible
    }
    got = {row["reference"]: {k: row[k] for k in expected[row["reference"]]} for row in rows}
    assert got == expected
    # Newest first, as the list shows them.
    assert [row["reference"] for row in rows] == [
        i.reference for i in visible.order_by("-occurred_at", "-id")
    ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_casualties_export_has_one_row_per_person_harmed(export_world, client, fmt):
    client_for(client, export_world, "admin")

    _response, _body, rows = export(client, "casualties", fmt)

    expected = {
        str(c.pk): (
            c.incident.reference,
            c.incident.mission.acronym,
            c.outcome,
            c.nationality.iso3 if c.nationality_id else "",
            c.un_casualty_id or "",
        )
        for c in Casualty.objects.select_related("incident__mission", "nationality")
    }
    got = {
        row["id"]: (
            row["incident"],
            row["mission"],
            row["outcome"],
            row["nationality"],
            row["un_casualty_id"],
        )
        for row in rows
    }
    assert got == expected
    named = next(row for row in rows if row["id"] == str(export_world.casualty.pk))
    assert (named["given_name"], named["family_name"], named["service_number"]) == (
        "Rahim",
        "CHOWDHURY",
        "BGD-1971-0042",
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_cases_export_has_the_cases_derived_fields(export_world, client, fmt):
    client_for(client, export_world, "analyst_all")

    _response, _body, rows = export(client, "cases", fmt)

    impunity = set(Case.objects.impunity().values_list("reference", flat=True))
    expected = {
        c.reference: {
            "mission": c.mission.acronym,
            "host_state": c.host_state.iso3,
            "attack_date": c.attack_date.isoformat(),
            "stage": c.stage,
            "investigation_opened_on": text(c.investigation_opened_on),
            "last_progress_on": text(c.last_progress_on),
            "killed": str(c.killed),
            "suspects": str(c.suspects.count()),
            "impunity": text(c.reference in impunity),
            "incidents": "; ".join(sorted(c.incidents.values_list("reference", flat=True))),
        }
        for c in Case.objects.all()
    }
    got = {row["reference"]: {k: row[k] for k in expected[row["reference"]]} for row in rows}
    assert got == expected


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_procedures_export_has_one_row_per_step(export_world, client, fmt):
    client_for(client, export_world, "legal_a")

    _response, _body, rows = export(client, "procedures", fmt)

    steps = ProcedureStep.objects.filter(suspect__case=export_world.case_a).order_by(
        "occurred_on", "id"
    )
    assert [
        (r["case"], r["name"], r["step"], r["step_date"], r["legal_term"], r["note"]) for r in rows
    ] == [
        (
            export_world.case_a.reference,
            export_world.suspect_a.name,
            s.kind,
            s.occurred_on.isoformat(),
            s.legal_term,
            # CSV and XLSX neutralise the note "=1+1 ..."; JSON keeps it as written.
            ("'" + s.note) if fmt != "json" and s.note.startswith("=") else s.note,
        )
        for s in steps
    ]


def test_a_suspect_without_steps_keeps_one_row(export_world, client):
    ProcedureStep.objects.filter(suspect=export_world.suspect_b).delete()
    client_for(client, export_world, "admin")

    _response, _body, rows = export(client, "procedures", "csv")

    mine = [r for r in rows if r["suspect_id"] == str(export_world.suspect_b.pk)]
    assert len(mine) == 1
    assert (mine[0]["step"], mine[0]["step_date"]) == ("", "")


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_export_comes_with_its_manifest(export_world, client, fmt):
    client_for(client, export_world, "analyst_all")

    response, body, rows = export(client, "casualties", fmt, mission="MINUSCA", outcome="killed")

    sha = hashlib.sha256(body).hexdigest()
    assert response["X-Export-SHA256"] == sha
    assert response["X-Export-Row-Count"] == str(len(rows))
    assert response["X-Export-Filters"] == "mission=MINUSCA&outcome=killed"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Content-Disposition"].endswith(f'.{fmt}"')
    sidecar = client.get(response["X-Export-Manifest"])
    assert sidecar.status_code == 200
    assert sidecar["Content-Disposition"].endswith('.manifest.json"')
    manifest = json.loads(sidecar.content)
    assert manifest["sha256"] == sha
    assert manifest["bytes"] == len(body)
    assert manifest["row_count"] == len(rows) == 2
    assert manifest["filters"] == {"mission": ["MINUSCA"], "outcome": ["killed"]}
    assert manifest["as_of"] == response["X-Export-As-Of"]
    assert manifest["kind"] == "casualties" and manifest["format"] == fmt
    assert manifest["requested_by"] == "analyst_all"


def test_every_export_is_in_the_audit_trail(export_world, client):
    client_for(client, export_world, "analyst_a")

    response, _body, rows = export(client, "incidents", "csv", incident_type="accident")

    entry = AuditEntry.objects.filter(action="export").get()
    assert entry.actor == export_world.users["analyst_a"]
    assert entry.object_id == response["X-Export-Id"]
    assert entry.changes["kind"] == [None, "incidents"]
    assert entry.changes["format"] == [None, "csv"]
    assert entry.changes["filters"] == [None, {"incident_type": ["accident"]}]
    assert entry.changes["row_count"] == [None, len(rows)] == [None, 1]


def test_the_export_honours_the_same_query_string_as_the_api_list(export_world, client):
    client_for(client, export_world, "admin")
    query = {"mission": "MINUSCA", "occurred_after": "2000-01-01", "incident_type": "accident"}

    listed = client.get("/api/v1/incidents/", query).json()["results"]
    _response, _body, rows = export(client, "incidents", "csv", **query)

    assert [row["reference"] for row in rows] == [item["reference"] for item in listed]
    assert [row["reference"] for row in rows] == ["MINUSCA-INJ-0001"]


def test_invalid_filters_are_refused_with_their_reason(export_world, client):
    client_for(client, export_world, "analyst_all")

    response = client.get("/exports/cases/", {"mission_id": "abc"})
    unknown_format = client.get("/exports/cases/", {"format": "ods"})

    assert response.status_code == 400
    assert "mission_id" in response.content.decode()
    assert unknown_format.status_code == 400


def test_an_empty_export_still_has_its_header(export_world, client):
    client_for(client, export_world, "analyst_all")

    response, body, rows = export(client, "incidents", "csv", mission="UNMISS")

    assert rows == []
    assert body.decode().startswith("reference,mission,country,occurred_on")
    assert response["X-Export-Row-Count"] == "0"


def test_the_export_links_carry_the_list_pages_query_string():
    from django.template.loader import render_to_string

    html = render_to_string(
        "exports/includes/export_links.html",
        {"kind": "cases", "export_query": "mission=MINUSCA&stage=trial"},
    )

    for fmt in ("csv", "xlsx", "json"):
        assert f'href="/exports/cases/?mission=MINUSCA&amp;stage=trial&amp;format={fmt}"' in html
