"""Create the app's database role and grant it only what the app needs (run as owner)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from peacekeeping.db_roles import RoleError, app_role_create, app_role_grant


class Command(BaseCommand):
    help = (
        "Run as the owner role (the one that migrates): create or update the app role "
        "named by DATABASE_APP_ROLE (password from DATABASE_APP_PASSWORD) and grant it "
        "row rights only; the history tables get SELECT and INSERT only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--role", default=settings.DATABASE_APP_ROLE)
        parser.add_argument(
            "--no-create", action="store_true", help="only grant (the role exists already)"
        )

    def handle(self, *args, role: str, no_create: bool, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Database roles exist on PostgreSQL only.")
        if not role:
            raise CommandError("Name the app role: DATABASE_APP_ROLE or --role.")
        try:
            if not no_create:
                app_role_create(role=role, password=settings.DATABASE_APP_PASSWORD)
            tables = app_role_grant(role=role)
        except RoleError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"role {role}: row rights on {tables} tables, history append-only")
