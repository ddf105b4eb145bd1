"""Queue follow-up reports from the command line (in-process when no broker is set)."""

from django.core.management.base import BaseCommand, CommandError

from accountability.reports.models import FollowUpReport
from accountability.reports.requests import resolve_period, resolve_report_request
from accountability.reports.services import (
    followup_report_create,
    host_states_with_open_cases,
    missions_with_undetermined_cases,
)
from peacekeeping.errors import DomainError
from peacekeeping.history import db_actor
from peacekeeping.outbox import watch_delays


class Command(BaseCommand):
    help = (
        "Build the follow-up report of one host State (--state), or the list of one "
        "mission's cases whose host State is to be determined (--mission), or of every host "
        "State with open cases and every such mission, for --period (YYYY-MM or YYYY-Qn; "
        "default: the last complete period). A rebuild whose content is unchanged keeps the "
        "existing version. Requests are validated as the API validates them. Without "
        "REDIS_URL the reports are built here and now."
    )

    def add_arguments(self, parser):
        parser.add_argument("--state", help="ISO 3166 alpha-3 code of the host State, e.g. CAF")
        parser.add_argument(
            "--mission", help="a mission's acronym: its cases whose host State is undetermined"
        )
        parser.add_argument("--period", help="YYYY-MM or YYYY-Qn")

    def handle(self, *args, state=None, mission=None, period=None, **options):
        # The API's validation (accountability/reports/requests.py); a refusal exits 1.
        try:
            if state or mission:
                target = resolve_report_request(host_state=state, mission=mission, period=period)
                chosen, subjects = target.period, [(target.host_state, target.mission)]
            else:
                chosen = resolve_period(period)
                subjects = [(s, None) for s in host_states_with_open_cases()]
                subjects += [(None, m) for m in missions_with_undetermined_cases()]
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if not subjects:
            self.stdout.write("No host State has open cases: nothing to build.")
            return
        with db_actor(context="command:build_followup_reports"), watch_delays() as watched:
            reports = [
                followup_report_create(host_state=s, mission=m, period=chosen) for s, m in subjects
            ]
        kept = {r.pk for r in reports if not r.created}
        for report in (
            FollowUpReport.objects.filter(pk__in=[r.pk for r in reports])
            .select_related("host_state", "mission")
            .order_by("host_state__iso3", "mission__acronym")
        ):
            line = f"{report.subject_code} {report.period_label} v{report.version}: "
            if report.pk in kept and report.status == FollowUpReport.Status.DONE:
                line += f"unchanged, existing version kept (content sha256 {report.content_sha256})"
            elif report.status == FollowUpReport.Status.DONE:
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
