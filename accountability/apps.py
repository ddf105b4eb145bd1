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

        # An incident's case, opened or brought in step by this app's services, and the
        # cases of an import's attacks, opened in bulk (incidents/case_link.py).
        from accountability.importers.un_fatalities_cases import open_and_refresh_cases
        from accountability.services import case_sync_for_incident
        from incidents.case_link import CaseLink, case_link_register

        case_link_register(
            CaseLink(sync=case_sync_for_incident, open_imported=open_and_refresh_cases)
        )
