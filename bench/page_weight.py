"""B8: what the first load of the main pages weighs, compressed, for each role.

For each role (a user of each, made here: an administrator, mission staff and a legal
officer of the mission with the most cases, an analyst granted everything, a liaison of
that mission's host State) and each page (the dashboard, the incident list, the case
page of the role's most recent case, the statistics page): the HTML as the server sends
it to a browser that accepts gzip (through the app's whole middleware, GZipMiddleware
included: the bytes as served, compressed or not), plus every stylesheet, script, image
and font the page and its stylesheets reference, as a browser with an empty cache would
download them. A static file counts as WhiteNoise serves it: its precompressed copy when
collected, else gzipped here at level 9 as WhiteNoise would (images and fonts as they
are), so the figure is what crosses the wire. A page the server did not compress counts
whole, and the figure says on how many pages the server compressed the HTML.

B8 = the heaviest of these first loads; target ≤ 150 KB.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from urllib.parse import urlsplit

from bench.common import Context, Result

TARGET_KB = 150
_ASSET = re.compile(r"<(?:link|script|img)\b[^>]*?\b(?:href|src)=\"([^\"]+)\"[^>]*>", re.IGNORECASE)
_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


def _role_users() -> dict[str, object]:
    """One user per role, each with the scope a real one of that role would have."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from accountability.models import Case
    from missions.choices import LiaisonBasis, Role
    from missions.models import Membership

    User = get_user_model()
    busiest = (
        Case.objects.exclude(host_state=None)
        .values("mission_id", "host_state_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "mission_id")
        .first()
    )
    grants = {
        Role.ADMINISTRATOR: {"role": Role.ADMINISTRATOR, "all_scope": True},
        Role.MISSION_STAFF: {"role": Role.MISSION_STAFF, "mission_id": busiest["mission_id"]},
        Role.LEGAL_OFFICER: {"role": Role.LEGAL_OFFICER, "mission_id": busiest["mission_id"]},
        Role.ANALYST: {"role": Role.ANALYST, "all_scope": True, "can_see_names": True},
        Role.LIAISON: {
            "role": Role.LIAISON,
            "country_id": busiest["host_state_id"],
            "liaison_basis": LiaisonBasis.HOST_STATE,
        },
    }
    users = {}
    for role, grant in grants.items():
        user, created = User.objects.get_or_create(username=f"bench-weight-{role}")
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        if not Membership.objects.filter(user=user).exists():
            Membership.objects.create(user=user, **grant)
        users[str(role.label)] = user
    return users


def _pages(user) -> dict[str, str]:
    from django.urls import reverse

    from accountability.models import Case

    case = Case.objects.visible_to(user).order_by("-attack_date", "-id").first()
    pages = {
        "dashboard": reverse("home"),
        "incident list": reverse("incidents:incident_list"),
        "statistics": reverse("accountability:statistics"),
    }
    if case is not None:
        pages["case page"] = reverse("accountability:case_detail", args=[case.reference])
    return pages


def _static_file(url: str) -> Path | None:
    """The file a /static/ URL serves: the collected (hashed) one, else the source."""
    from django.conf import settings
    from django.contrib.staticfiles import finders
    from django.contrib.staticfiles.storage import staticfiles_storage

    prefix = "/" + settings.STATIC_URL.lstrip("/")
    path = urlsplit(url).path
    if not path.startswith(prefix):
        return None
    name = path[len(prefix) :]
    try:
        collected = Path(staticfiles_storage.path(name))
    except NotImplementedError:
        collected = None
    if collected is not None and collected.is_file():
        return collected
    found = finders.find(name)
    if found:
        return Path(found)
    # A hashed name (ManifestStaticFilesStorage) before collectstatic: its source.
    unhashed = re.sub(r"\.[0-9a-f]{12}(\.[^.]+)$", r"\1", name)
    found = finders.find(unhashed)
    return Path(found) if found else None


def _wire_size(path: Path) -> int:
    """Bytes on the wire for a static file: its precompressed copy if collected, else
    gzip level 9 (WhiteNoise's); images already compressed are sent as they are."""
    precompressed = path.with_name(path.name + ".gz")
    if precompressed.is_file():
        return precompressed.stat().st_size
    data = path.read_bytes()
    if path.suffix.lower() in {".png", ".jpg", ".jpeg", ".gif", ".webp", ".woff", ".woff2"}:
        return len(data)
    return min(len(data), len(gzip.compress(data, compresslevel=9, mtime=0)))


def _assets(html: str, base: str) -> list[str]:
    """Every static URL the page loads, with those its stylesheets load (fonts, images)."""
    seen: list[str] = []
    pending = [u for u in _ASSET.findall(html) if not u.startswith(("data:", "#"))]
    while pending:
        url = pending.pop(0)
        if urlsplit(url).scheme or url.startswith("//") or "/static/" not in url:
            continue  # the app's own pages (links) and anything off the server
        if url in seen:
            continue
        seen.append(url)
        if url.endswith(".css"):
            path = _static_file(url)
            if path is not None:
                folder = url.rsplit("/", 1)[0]
                for ref in _CSS_URL.findall(path.read_text(errors="replace")):
                    if not ref.startswith(("data:", "#")):
                        pending.append(ref if ref.startswith("/") else f"{folder}/{ref}")
    return seen


def _first_load(client, url: str) -> dict:
    # What Chromium sends; the server may answer with gzip (Django's GZipMiddleware).
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br, zstd")
    if response.status_code != 200:
        raise RuntimeError(f"B8: {url} answered {response.status_code}")
    body = response.content  # as served: what crosses the wire
    compressed_by_server = response.headers.get("Content-Encoding") == "gzip"
    html = gzip.decompress(body) if compressed_by_server else body
    html_wire = len(body)
    assets = {}
    for asset in _assets(html.decode(errors="replace"), url):
        path = _static_file(asset)
        assets[asset] = _wire_size(path) if path is not None else 0
    return {
        "html_bytes": len(html),
        "html_wire": html_wire,
        "gzip_by_server": compressed_by_server,
        "assets": assets,
        "total": html_wire + sum(assets.values()),
    }


def page_weight(ctx: Context) -> list[Result]:
    from django.test import Client

    loads = {}
    for role, user in _role_users().items():
        client = Client()
        client.force_login(user)
        for page, url in _pages(user).items():
            loads[f"{role}: {page}"] = {"url": url, **_first_load(client, url)}
    heaviest_name, heaviest = max(loads.items(), key=lambda item: item[1]["total"])
    kb = heaviest["total"] / 1024
    served = sum(1 for load in loads.values() if load["gzip_by_server"])
    for name, load in sorted(loads.items()):
        ctx.log(
            f"    {name}: {load['total'] / 1024:.0f} KB (HTML {load['html_wire'] / 1024:.0f} KB"
            f" of {load['html_bytes'] / 1024:.0f} KB, {len(load['assets'])} assets)"
        )
    return [
        Result(
            "B8",
            f"first load of the dashboard, incident list, case page and statistics, gzip, "
            f"assets included, heaviest of {len(loads)} (role × page), KB",
            f"{kb:.0f} KB ({heaviest_name}; HTML gzipped by the server on {served} of "
            f"{len(loads)})",
            f"≤ {TARGET_KB} KB",
            kb <= TARGET_KB,
            kb,
            {"loads": loads},
        )
    ]
