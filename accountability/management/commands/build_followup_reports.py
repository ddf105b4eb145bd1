"""Queue follow-up reports from the command line (in-process when no broker is set)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accountability.reports.models import FollowUpReport
from accountability.reports.periods import Period, reporting_period
from accountability.reports.services import followup_report_create, host_states_with_open_cases
from missions.models import Country
from peacekeeping.errors import DomainError
from peacekeeping.history import db_actor
from peacekeeping.outbox import watch_delays


class Command(BaseCommand):
    help = (
        "Queue a new version of the follow-up report of one host State (--state) or of every "
        "host State with open cases, for --period (YYYY-MM or YYYY-Qn; default: the last "
        "complete period). Without REDIS_URL the reports are built here and now."
    )

    def add_arguments(self, parser):
        parser.add_argument("--state", help="ISO 3166 alpha-3 code of the host State, e.g. CAF")
        parser.add_argument("--period", help="YYYY-MM or YYYY-Qn")

    def handle(self, *args, state=None, period=None, **options):
        try:
            chosen = (
                Period.parse(period)
                if period
                else reporting_period(timezone.localdate(), settings.FOLLOWUP_REPORT_PERIOD)
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if state:
            states = list(Country.objects.filter(iso3=state.upper()))
            if not states:
                raise CommandError(f"No State has the code {state.upper()}.")
        else:
            states = list(host_states_with_open_cases())
        if not states:
            self.stdout.write("No host State has open cases: nothing to build.")
            return
        with db_actor(context="command:build_followup_reports"), watch_delays() as watched:
            created = [
                followup_report_create(host_state=country, period=chosen) for country in states
            ]
        for report in FollowUpReport.objects.filter(pk__in=[r.pk for r in created]).order_by(
            "host_state__iso3"
        ):
            line = f"{report.host_state.iso3} {report.period_label} v{report.version}: "
            if report.status == FollowUpReport.Status.DONE:
                line += f"built (content sha256 {report.content_sha256})"
            elif report.status == FollowUpReport.Status.FAILED:
                line += f"failed: {report.error}"
            elif watched["delayed"]:
                line += f"queued ({report.status}) but delayed"
            else:
                line += f"queued ({report.status})"
            self.stdout.write(line)
        if watched["delayed"]:
            self.stderr.write(
                "The job queue (Redis) is unreachable: the reports are queued in the database "
                "and will be built when it is back; nothing is lost."
            )
