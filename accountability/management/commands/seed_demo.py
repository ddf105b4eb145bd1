"""`manage.py seed_demo`: demo accounts and a demo data set spanning every app.

Local development only: it refuses to run with DEBUG off unless given --force. It is
safe to run again: once the demo accounts exist it does nothing. The data is dated
relative to --today (by default, today), and otherwise the same on every run.
"""

from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import timezone

from accountability.demo import DEMO_USERNAMES, MISSIONS, DemoBuilder, demo_present
from missions.models import Mission
from peacekeeping.errors import DomainError
from peacekeeping.history import db_actor


class Command(BaseCommand):
    help = "Create the demo accounts and demo data (attacks, cases, follow-ups) for local use."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            help="Anchor day of the demo's dates, YYYY-MM-DD (default: today).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (the demo accounts share one known password).",
        )
        parser.add_argument(
            "--base-url",
            default="http://127.0.0.1:8000",
            help="Where the app is served, to print the login address.",
        )

    def handle(self, *args, today, force, base_url, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with a known password and is meant for local "
                "development: it refuses to run with DEBUG off. Use --force if you mean it."
            )
        if demo_present():
            self.stdout.write(
                f"Demo data already present (accounts {', '.join(DEMO_USERNAMES)}); nothing done."
            )
            return
        today = today or timezone.localdate()
        if today > timezone.localdate():
            raise CommandError(f"--today {today} is in the future; the services refuse that.")
        missing = sorted(set(MISSIONS) - set(Mission.objects.values_list("acronym", flat=True)))
        if missing:
            raise CommandError(
                f"The missions {', '.join(missing)} are not in the database: run "
                "`manage.py migrate` first (it loads the reference data)."
            )

        builder = DemoBuilder(today=today, password=settings.DEMO_PASSWORD)
        try:
            with db_actor(context="command:seed_demo"):
                result = builder.build()
        except DomainError as exc:
            raise CommandError(f"The demo data was refused: {exc}") from exc

        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data created, dated up to {today}: {result.incidents} incidents, "
                f"{result.cases} cases."
            )
        )
        self.stdout.write(f"Log in at {base_url.rstrip('/')}{reverse('login')} as:")
        for account in result.accounts:
            self.stdout.write(f"  {account.username:<14} {account.description}")
        self.stdout.write(f"Password of every demo account: {settings.DEMO_PASSWORD}")
