"""Working without the link: the service worker and the page it shows offline.

The service worker is served from the site's root (`/sw.js`) so that its scope covers
every page; it is a template, so it names the static files by their hashed names (what
`{% static %}` gives under ManifestStaticFilesStorage) and changes, and so reinstalls,
whenever one of them does. What it does (static/js/offline.js is its page-side half):

- static files the form needs, and this offline page, are cached when it installs; other
  static files when first fetched (a country's places for the map picker, say: twenty
  files that a clerk needs one or two of);
- the incident form and the drafts list are cached per user after the first visit, and
  served from that cache only when the network fails (network first: online, a page is
  always fresh);
- any other page, offline, is this page: it says plainly that the page needs the server;
- an incident form posted when the link fails (the device thinks it is online, the link
  is down) is kept in the user's outbox, as offline.js keeps one posted offline.

Nothing here is a secret or anyone's data: the worker and the offline page are the same
for every visitor. The user's pages and outbox live in the browser, keyed by user id, and
are deleted at logout (Clear-Site-Data, and offline.js before the logout is posted).
"""

import hashlib
import json
import re

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import PrefixNode, static
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

# Static files cached at install: what the pages kept offline load, the map picker's
# assets included (its map and country outlines are vendored: no tile server).
OFFLINE_STATIC = (
    "css/app.css",
    "js/app.js",
    "js/htmx.min.js",
    "js/offline.js",
    "js/location-picker.js",
    "js/place-suggestions.js",
    "vendor/leaflet/leaflet.js",
    "vendor/leaflet/leaflet.css",
    "vendor/leaflet/images/marker-icon.png",
    "vendor/leaflet/images/marker-icon-2x.png",
    "vendor/leaflet/images/marker-shadow.png",
    "vendor/topojson/topojson-client.min.js",
    "vendor/world-atlas/countries-110m.json",
)


def offline_pages() -> list[str]:
    """The pages kept for each user after the first visit: the form and the drafts."""
    return [
        reverse("incidents:incident_create"),
        reverse("incidents:incident_list") + "?status=draft",
    ]


def outbox_forms() -> list[dict]:
    """The forms whose post, when the link fails, the worker keeps in the outbox: the new
    incident form (then shown again, for the next one) and the edit form (then the
    drafts list); as path patterns, with the page to show after."""
    create = reverse("incidents:incident_create")
    marker = "REFERENCE"
    edit = re.escape(reverse("incidents:incident_edit", kwargs={"reference": marker}))
    return [
        {"pattern": f"^{re.escape(create)}$", "then": create},
        {"pattern": "^" + edit.replace(marker, "[^/]+") + "$", "then": offline_pages()[1]},
    ]


def worker_config() -> dict:
    assets = [static(name) for name in OFFLINE_STATIC]
    offline_url = reverse("offline")
    pages = offline_pages()
    version = hashlib.sha256(
        json.dumps([assets, offline_url, pages]).encode() + _WORKER_REVISION
    ).hexdigest()[:12]
    return {
        "version": version,
        "outboxForms": outbox_forms(),
        "assets": assets,
        "offlineUrl": offline_url,
        "pages": pages,
        # The prefix, not a file: the manifest storage has no entry for "" (a 500).
        "staticUrl": PrefixNode.handle_simple("STATIC_URL"),
    }


# Bump when templates/offline/sw.js changes, so browsers install the new worker.
_WORKER_REVISION = b"4"


@require_GET
@cache_control(no_cache=True, max_age=0)
def service_worker(request):
    """/sw.js: the worker, always revalidated so a new version is found at once."""
    body = render_to_string("offline/sw.js", {"config": json.dumps(worker_config())})
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    return response


@require_GET
def offline_page(request):
    """What an offline visitor sees instead of a page that needs the server."""
    return render(request, "offline/offline.html", {"pages": offline_pages()})
