from django.apps import AppConfig


class MissionsConfig(AppConfig):
    name = "missions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from missions.filtersets import check_references
        from peacekeeping.querystring import register_check

        # The API's lists refuse a mission or country that does not exist, as pages do.
        register_check(check_references)
