from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    """Exports of the lists, the indicators and the case file. An app of its own above
    accountability (its table kept its accountability_ name when it moved out)."""

    name = "accountability.exports"
    label = "exports"
    verbose_name = _("Exports")
    default_auto_field = "django.db.models.BigAutoField"
