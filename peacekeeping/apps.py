from django.apps import AppConfig


class PeacekeepingConfig(AppConfig):
    name = "peacekeeping"
    verbose_name = "Platform"
    default_auto_field = "django.db.models.BigAutoField"
