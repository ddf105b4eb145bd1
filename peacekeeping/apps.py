from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _install_triggers(sender, using="default", **kwargs):
    from django.db import connections

    from peacekeeping.history import install_history_triggers

    install_history_triggers(connections[using])


def _grant_app_role(sender, using="default", **kwargs):
    from django.conf import settings
    from django.db import connections

    from peacekeeping.db_roles import app_role_grant

    # The owner migrates; the app role gets its rights on whatever tables now exist.
    if settings.DATABASE_APP_ROLE and connections[using].vendor == "postgresql":
        app_role_grant(role=settings.DATABASE_APP_ROLE, using_connection=connections[using])


class PeacekeepingConfig(AppConfig):
    name = "peacekeeping"
    verbose_name = "Platform"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Infrastructure, not business logic: after every migrate, cover new tables.
        post_migrate.connect(_install_triggers, sender=self, dispatch_uid="history_triggers")
        post_migrate.connect(_grant_app_role, sender=self, dispatch_uid="app_role_grants")
