"""`manage.py create_api_token USERNAME [--reset]`: print the user's API token."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from peacekeeping.api import api_token_for


class Command(BaseCommand):
    help = (
        "Print USERNAME's token for the REST API (created if missing; --reset replaces it). "
        "Scripts send it as `Authorization: Token <token>`."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--reset", action="store_true", help="Revoke the current token and issue a new one."
        )

    def handle(self, *args, username: str, reset: bool, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        if not user.is_active:
            raise CommandError(f"{username} is deactivated; a token would not work.")
        token, _created = api_token_for(user=user, actor=None, reset=reset)
        self.stdout.write(token.key)
