"""Check the audit chain's links and that nothing was cut since the last checkpoint."""

from django.core.management.base import BaseCommand, CommandError

from peacekeeping.audit import audit_verify_chain
from peacekeeping.checkpoints import Expected


class Command(BaseCommand):
    help = (
        "Verify the audit chain: every link, and that the audit trail and the row history "
        "still hold what the latest checkpoint saw. Give --audit-last-id, --audit-last-hash "
        "and --audit-count (from a checkpoint's log line) to check against a copy kept "
        "outside the database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--audit-last-id", type=int)
        parser.add_argument("--audit-last-hash", default="")
        parser.add_argument("--audit-count", type=int)
        parser.add_argument("--history-last-id", type=int)
        parser.add_argument("--history-count", type=int, default=0)

    def handle(self, *args, **options):
        expected = None
        if options["audit_count"] is not None:
            expected = Expected(
                audit_last_id=options["audit_last_id"],
                audit_last_hash=options["audit_last_hash"],
                audit_count=options["audit_count"],
                history_last_id=options["history_last_id"],
                history_count=options["history_count"],
            )
        problems = audit_verify_chain(expected=expected)
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"the audit history is not intact: {len(problems)} problem(s)")
        self.stdout.write("audit chain intact")
