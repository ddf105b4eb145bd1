"""What a request for a follow-up report may ask: one validation for the API, the page
and the management command, so that each refuses the same things with the same words."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from accountability.reports.periods import Period, reporting_period
from missions.models import Country, Mission
from peacekeeping.errors import DomainError


@dataclass(frozen=True)
class ReportTarget:
    """A valid request: a host State, or a mission's cases whose State is undetermined."""

    host_state: Country | None
    mission: Mission | None
    period: Period


def resolve_period(label: str | None, *, today: date | None = None) -> Period:
    """The period named (default: the last complete one); a future period is refused."""
    today = today or timezone.localdate()
    label = (label or "").strip()
    period = (
        Period.parse(label) if label else reporting_period(today, settings.FOLLOWUP_REPORT_PERIOD)
    )
    if period.start > today:
        raise DomainError(
            _("The period %(period)s has not started yet; choose a past or current period.")
            % {"period": period.label},
            field="period",
        )
    return period


def resolve_host_state(iso3: str) -> Country:
    """The State with this ISO3 code, if it hosts a peacekeeping mission."""
    code = (iso3 or "").strip().upper()
    state = Country.objects.filter(iso3=code).first()
    if state is None:
        raise DomainError(_("No State has the code %(code)s.") % {"code": code}, field="host_state")
    if not state.hosted_missions.exists():
        raise DomainError(
            _("%(state)s hosts no peacekeeping mission: it has no follow-up report.")
            % {"state": state.name},
            field="host_state",
        )
    return state


def resolve_mission(acronym: str) -> Mission:
    code = (acronym or "").strip().upper()
    mission = Mission.objects.filter(acronym__iexact=code).first()
    if mission is None:
        raise DomainError(_("No mission is called %(code)s.") % {"code": code}, field="mission")
    return mission


def resolve_report_request(
    *,
    host_state: str | None = None,
    mission: str | None = None,
    period: str | None = None,
    today: date | None = None,
) -> ReportTarget:
    """Validate a request: a host State's ISO3 code, or (no State) a mission whose cases
    await a host State; and a period. A DomainError names the field at fault."""
    if host_state:
        target_state, target_mission = resolve_host_state(host_state), None
    elif mission:
        target_state, target_mission = None, resolve_mission(mission)
    else:
        raise DomainError(
            _(
                "Name a host State (ISO3 code), or a mission for its cases whose host State "
                "is to be determined."
            ),
            field="host_state",
        )
    return ReportTarget(target_state, target_mission, resolve_period(period, today=today))
