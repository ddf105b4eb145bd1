"""Small helpers of the page tests: read a section of a page, place an incident."""

import re
from datetime import date, timedelta

from incidents.models import Incident


def section(html: str, element_id: str) -> str:
    """The HTML of the <section> with this id (sections here are not nested)."""
    match = re.search(rf'<section id="{re.escape(element_id)}".*?</section>', html, re.S)
    assert match, f"no section #{element_id}"
    return match.group(0)


def days_ago(days: int) -> date:
    return date.today() - timedelta(days=days)


def located(incident: Incident, lat: float, lon: float) -> Incident:
    Incident.objects.filter(pk=incident.pk).update(latitude=lat, longitude=lon)
    incident.refresh_from_db()
    return incident
