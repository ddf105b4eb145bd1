"""What the browser posts from the incident form, for the page tests."""

from datetime import date, timedelta

from incidents.forms import CASUALTY_PREFIX


def incident_post(mission=None, *, casualties=(), **overrides) -> dict:
    """What the browser posts from the incident form, with sensible defaults.

    `casualties` is a list of dicts of the casualty fields; two blank rows follow, as on
    the page.
    """
    data = {
        "occurred_date": (date.today() - timedelta(days=2)).isoformat(),
        "occurred_time": "14:30",
        "date_precision": "exact",
        "place": "Bria",
        "admin_area": "Haute-Kotto",
        "country": "",
        "latitude": "6.53920",
        "longitude": "21.98670",
        "location_precision": "exact",
        "incident_type": "malicious_act",
        "attack_type": "ambush",
        "narrative": "A patrol was ambushed on the road north of Bria.",
        "sources": "Flash report 12",
        "action": "draft",
    }
    if mission is not None:
        data["mission"] = str(mission.pk)
    rows = [*casualties, {}, {}]
    data.update(
        {
            f"{CASUALTY_PREFIX}-TOTAL_FORMS": str(len(rows)),
            f"{CASUALTY_PREFIX}-INITIAL_FORMS": "0",
            f"{CASUALTY_PREFIX}-MIN_NUM_FORMS": "0",
            f"{CASUALTY_PREFIX}-MAX_NUM_FORMS": "100",
        }
    )
    for index, row in enumerate(rows):
        for name in ("personnel", "category", "nationality", "outcome", "date_of_death"):
            data[f"{CASUALTY_PREFIX}-{index}-{name}"] = row.get(name, "")
    data.update(overrides)
    return data


KILLED_SOLDIER = {
    "category": "military_contingent",
    "nationality": "Bangladesh",
    "outcome": "killed",
}
