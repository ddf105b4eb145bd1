from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _install_triggers(sender, using="default", **kwargs):
    from django.db import connections

    from peacekeeping.history import install_history_triggers

    install_history_triggers(connections[using])


class PeacekeepingConfig(AppConfig):
    name = "peacekeeping"
    verbose_name = "Platform"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Infrastructure, not business logic: after every migrate, cover new tables.
        post_migrate.connect(_install_triggers, sender=self, dispatch_uid="history_triggers")
