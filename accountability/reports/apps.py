from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Each host State's follow-up report, the weekly impunity digest, the report's
    addressee and the State's acknowledgements of receipt. An app of its own above
    accountability (its tables kept their accountability_ names when it moved out)."""

    name = "accountability.reports"
    label = "reports"
    verbose_name = _("Follow-up reports")
    default_auto_field = "django.db.models.BigAutoField"
