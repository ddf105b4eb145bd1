"""Publish the background jobs left in the outbox (after a broker outage), oldest first."""

from django.core.management.base import BaseCommand

from peacekeeping.outbox import publish_pending


class Command(BaseCommand):
    help = "Publish pending outbox messages to the Celery broker, oldest first."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=10_000, help="at most this many")

    def handle(self, *args, limit: int, **options):
        result = publish_pending(limit=limit)
        self.stdout.write(
            f"published {result['published']}, failed {result['failed']}, "
            f"still pending {result['pending']}"
        )
        if result["pending"]:
            self.stderr.write("the broker is unreachable or some messages failed: see last_error")
