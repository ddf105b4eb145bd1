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

    def ready(self):
        # The host State's report block on each case page (accountability/case_page.py).
        from accountability.case_page import case_page_block_register
        from accountability.reports.case_views import report_context

        case_page_block_register(report_context)
