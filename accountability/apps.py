from django.apps import AppConfig


class AccountabilityConfig(AppConfig):
    name = "accountability"
    default_auto_field = "django.db.models.BigAutoField"
