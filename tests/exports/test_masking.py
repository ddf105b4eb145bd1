"""Who may export, what each role gets: the scope of `visible_to`, and names masked as the
role requires (victims' and suspects' names, per the row's mission and host State)."""

import pytest

from tests.exports.conftest import (
    EXPORTERS,
    NON_EXPORTERS,
    READERS,
    body_of,
    client_for,
)

pytestmark = pytest.mark.django_db

KINDS = ("incidents", "casualties", "cases", "procedures", "indicators")
VICTIM = ("Rahim", "CHOWDHURY", "BGD-1971-0042")


@pytest.mark.parametrize("persona", NON_EXPORTERS)
def test_mission_staff_and_liaisons_may_not_export(export_world, client, persona):
    client_for(client, export_world, persona)

    statuses = {kind: client.get(f"/exports/{kind}/").status_code for kind in KINDS}
    statuses["case_file"] = client.get(
        f"/exports/case-file/{export_world.case_a.reference}/"
    ).status_code
    statuses["jobs"] = client.get("/exports/").status_code
    statuses["api"] = client.get("/api/v1/exports/").status_code
    statuses["api_post"] = client.post(
        "/api/v1/exports/", {"kind": "procedures"}, content_type="application/json"
    ).status_code

    assert set(statuses.values()) == {403}, statuses


def test_anonymous_users_are_sent_to_the_login_page(export_world, client):
    response = client.get("/exports/casualties/")

    assert response.status_code == 302
    assert "login" in response["Location"]
    assert client.get("/api/v1/exports/").status_code in (401, 403)


@pytest.mark.parametrize("persona", EXPORTERS)
@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_victims_names_are_shown_or_masked_as_the_role_requires(export_world, client, persona, fmt):
    client_for(client, export_world, persona)

    response = client.get("/exports/casualties/", {"format": fmt})
    body = body_of(response)
    rows = READERS[fmt](body)

    row = next(r for r in rows if str(r["id"]) == str(export_world.casualty.pk))
    shown = (row["given_name"], row["family_name"], row["service_number"])
    if persona == "analyst_a":  # an analyst without the names grant
        assert shown == ("███",) * 3
        for part in VICTIM:
            assert part.encode() not in body
    else:
        assert shown == VICTIM
    # A casualty with no known peacekeeper has no name to show or to mask.
    anonymous = next(r for r in rows if r["un_casualty_id"] == "INJ-00")
    assert (anonymous["given_name"] or "") == ""


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("admin", {"a": "Jean-Baptiste KOYAMBA", "b": "Pierre MUKENDI"}),
        ("legal_a", {"a": "Jean-Baptiste KOYAMBA"}),
        ("analyst_a", {"a": "███"}),
        ("analyst_all", {"a": "Jean-Baptiste KOYAMBA", "b": "Pierre MUKENDI"}),
    ],
)
@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_suspects_are_exported_in_scope_with_names_as_the_role_requires(
    export_world, client, persona, expected, fmt
):
    client_for(client, export_world, persona)

    body = body_of(client.get("/exports/procedures/", {"format": fmt}))
    rows = READERS[fmt](body)

    suspects = {"a": export_world.suspect_a.pk, "b": export_world.suspect_b.pk}
    got = {
        label: {r["name"] for r in rows if str(r["suspect_id"]) == str(pk)}
        for label, pk in suspects.items()
    }
    assert {label: names.pop() for label, names in got.items() if names} == expected
    if persona == "analyst_a":
        assert b"KOYAMBA" not in body and b"MUKENDI" not in body


@pytest.mark.parametrize(
    ("persona", "missions"),
    [
        ("admin", {"MINUSCA", "MONUSCO"}),
        ("legal_a", {"MINUSCA"}),
        ("analyst_a", {"MINUSCA"}),
        ("analyst_all", {"MINUSCA", "MONUSCO"}),
    ],
)
@pytest.mark.parametrize("kind", ["incidents", "casualties", "cases", "procedures"])
def test_each_export_stays_in_the_users_scope_whatever_the_filters(
    export_world, client, persona, missions, kind
):
    client_for(client, export_world, persona)

    rows = READERS["csv"](body_of(client.get(f"/exports/{kind}/")))
    probing = READERS["csv"](body_of(client.get(f"/exports/{kind}/", {"mission": "MONUSCO"})))

    assert {r["mission"] for r in rows} == missions
    assert {r["mission"] for r in probing} == missions & {"MONUSCO"}


def test_the_indicators_count_only_what_the_user_may_see(export_world, client):
    client_for(client, export_world, "analyst_a")

    rows = READERS["csv"](body_of(client.get("/exports/indicators/", {"format": "csv"})))

    assert {(r["grouping"], r["code"]) for r in rows} == {
        ("mission", "MINUSCA"),
        ("host_state", "CAF"),
        ("total", ""),
    }
