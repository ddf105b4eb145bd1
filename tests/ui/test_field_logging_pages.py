"""The server's half of offline field logging: the service worker, the offline page, the
outbox's translated text, and the storage cleared at logout."""

import re

import pytest
from django.core.management import call_command
from django.templatetags.static import static
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_service_worker_is_served_from_the_root_and_always_revalidated(client):
    response = client.get("/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert "no-cache" in response["Cache-Control"]
    body = response.text
    # The files the form needs offline, by the names the pages use, and the kept pages.
    for name in ("js/offline.js", "vendor/leaflet/leaflet.js", "css/app.css"):
        assert f'"{static(name)}"' in body
    assert f'"{reverse("incidents:incident_create")}"' in body
    assert f'"{reverse("incidents:incident_list")}?status=draft"' in body


def test_the_service_worker_is_served_with_the_hashed_static_files_of_production(
    client, settings, tmp_path
):
    """Production names static files by their content (the manifest storage, after
    collectstatic): the worker must be served there too, naming those hashed files."""
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)

    response = client.get("/sw.js")

    assert response.status_code == 200
    hashed = static("js/offline.js")
    assert re.fullmatch(r"/static/js/offline\.[0-9a-f]{12}\.js", hashed)
    assert f'"{hashed}"' in response.text
    assert (tmp_path / hashed.removeprefix("/static/")).is_file()
    assert '"staticUrl": "/static/"' in response.text


def test_the_offline_page_says_plainly_that_the_page_needs_the_server(client):
    response = client.get(reverse("offline"))

    assert response.status_code == 200
    assert "This page needs the server" in response.text
    assert reverse("incidents:incident_create") in response.text


def test_every_page_of_a_signed_in_user_carries_the_outbox_keyed_by_their_id(world, client_of):
    staff = world.users["staff_a"]
    html = client_of(staff).get(reverse("incidents:incident_list")).text

    assert f'data-user="{staff.pk}"' in html
    assert 'id="outbox"' in html
    assert 'data-one="{n} incident waiting to be sent"' in html
    assert 'data-many="{n} incidents waiting to be sent"' in html


def test_the_outbox_counts_in_french_with_french_plurals(world, client_of):
    client = client_of(world.users["staff_a"])
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})

    html = client.get(reverse("incidents:incident_create")).text

    assert 'data-one="{n} incident en attente d’envoi"' in html
    assert 'data-many="{n} incidents en attente d’envoi"' in html
    assert "Le placer sur la carte" in html


def test_logging_out_clears_the_sites_browser_storage(world, client_of):
    response = client_of(world.users["staff_a"]).post(reverse("logout"))

    assert response["Clear-Site-Data"] == '"storage"'
