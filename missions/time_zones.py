"""The time zone of each mission, from its main host country.

The UN's mission data (missions/data/missions.json, the missions CSV) carry no time zone.
A mission's zone is its main host country's (the first of its host countries, as the UN
lists them), where that country has one zone; for countries spanning several, the zone
of the mission's headquarters. Source: the IANA time zone database (tzdata, zone1970.tab
and zone.tab: the zone of each country's most populous region), as read in 2026.
"""

from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# Main host country (ISO 3166-1 alpha-3, the UN data's codes) -> IANA zone.
HOST_ZONES = {
    "AFG": "Asia/Kabul",
    "AGO": "Africa/Luanda",
    "BDI": "Africa/Bujumbura",
    "BIH": "Europe/Sarajevo",
    "CAF": "Africa/Bangui",
    "CIV": "Africa/Abidjan",
    "COD": "Africa/Kinshasa",  # two zones; MONUSCO's headquarters are in Kinshasa
    "COL": "America/Bogota",
    "CRI": "America/Costa_Rica",
    "CYP": "Asia/Nicosia",
    "DOM": "America/Santo_Domingo",
    "EGY": "Africa/Cairo",
    "ERI": "Africa/Asmara",
    "ESH": "Africa/El_Aaiun",
    "ETH": "Africa/Addis_Ababa",
    "GEO": "Asia/Tbilisi",
    "GRC": "Europe/Athens",
    "GTM": "America/Guatemala",
    "HND": "America/Tegucigalpa",
    "HRV": "Europe/Zagreb",
    "HTI": "America/Port-au-Prince",
    "IDN": "Asia/Jayapura",  # UNSF/UNTEA served West New Guinea
    "IND": "Asia/Kolkata",
    "IRN": "Asia/Tehran",
    "IRQ": "Asia/Baghdad",
    "ISR": "Asia/Jerusalem",
    "JOR": "Asia/Amman",
    "KHM": "Asia/Phnom_Penh",
    "KSV": "Europe/Belgrade",  # Kosovo (UN code), in the Belgrade zone
    "KWT": "Asia/Kuwait",
    "LBN": "Asia/Beirut",
    "LBR": "Africa/Monrovia",
    "LBY": "Africa/Tripoli",
    "MKD": "Europe/Skopje",
    "MLI": "Africa/Bamako",
    "MOZ": "Africa/Maputo",
    "NAM": "Africa/Windhoek",
    "NIC": "America/Managua",
    "NPL": "Asia/Kathmandu",
    "PAK": "Asia/Karachi",
    "RWA": "Africa/Kigali",
    "SDN": "Africa/Khartoum",
    "SLE": "Africa/Freetown",
    "SLV": "America/El_Salvador",
    "SOM": "Africa/Mogadishu",
    "SRB": "Europe/Belgrade",
    "SSD": "Africa/Juba",
    "SYR": "Asia/Damascus",
    "TCD": "Africa/Ndjamena",
    "TJK": "Asia/Dushanbe",
    "TLS": "Asia/Dili",
    "UGA": "Africa/Kampala",
    "YAR": "Asia/Aden",  # Yemen Arab Republic (UN code)
}
UTC = "UTC"


@lru_cache(maxsize=256)
def zone_named(name: str) -> ZoneInfo:
    """The zone of that IANA name; UTC for a name the zone database does not know."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(UTC)


def zone_for_hosts(host_iso3: list[str]) -> str:
    """The zone of the first host country with one; UTC for a mission without any."""
    for iso3 in host_iso3:
        if iso3 in HOST_ZONES:
            return HOST_ZONES[iso3]
    return UTC
