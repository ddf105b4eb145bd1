from django.apps import AppConfig


class AccountabilityConfig(AppConfig):
    name = "accountability"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The retention of suspects' names and casualties' notes: run by the platform's
        # retention job, decided here (accountability/retention.py).
        from accountability.retention import RULES
        from peacekeeping.retention import retention_register

        for rule in RULES:
            retention_register(rule)
