"""The vendored places and administrative areas the incident form suggests from.

`static/vendor/places/` holds one file a host country of a current mission (built by
`tools/build-places.js` from Natural Earth and GeoNames; sources and licences in its
README.md) and `index.json`, each country's extent. The form's map picker
(static/js/location-picker.js) gets the files' URLs and extents from `place_files()` and
loads a country's file only when a marker falls within its extent.
"""

import json
from functools import cache
from pathlib import Path

from django.conf import settings
from django.templatetags.static import static

PLACES_DIR = Path(settings.BASE_DIR) / "static" / "vendor" / "places"


@cache
def place_extents() -> dict[str, list[float]]:
    """Each vendored country's extent, by ISO 3166-1 alpha-3: [west, south, east, north]."""
    return json.loads((PLACES_DIR / "index.json").read_text(encoding="utf-8"))


def place_files() -> str:
    """The picker's index as JSON: {ISO3: {"url": ..., "bbox": [w, s, e, n]}}; the URLs
    are the static files' (hashed in production), so they are not cached here."""
    return json.dumps(
        {
            code: {"url": static(f"vendor/places/{code}.json"), "bbox": bbox}
            for code, bbox in place_extents().items()
        },
        separators=(",", ":"),
    )
