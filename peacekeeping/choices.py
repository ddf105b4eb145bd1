"""Choices of the platform: the actions of the audit trail, with labels in both languages.

`AuditEntry.action` stays a plain column (its rows are hash-chained, and a code no longer
listed here must still read back); pages show `AuditAction.label_of(code)`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    CASE_OPEN = "case.open", _("Case opened")
    CASE_UPDATE = "case.update", _("Case changed")
    CASE_REFRESH = "case.refresh", _("Case figures refreshed")
    CASE_JOIN_INCIDENT = "case.join_incident", _("Incident joined to the case")
    CASE_ASSIGN_HOST_STATE = "case_assign_host_state", _("Host State assigned")
    CASE_NOTIFY_OPENED = "case.notify_opened", _("Opening of the case notified")
    VIEW_CASE_SUSPECTS = "view_case_suspects", _("Suspects of the case viewed")
    VIEW_INCIDENT = "view_incident", _("Incident viewed")
    INVESTIGATION_OPEN = "investigation.open", _("Investigation opened")
    INVESTIGATION_UPDATE_STATUS = "investigation.update_status", _("Investigation status changed")
    SUSPECT_IDENTIFY = "suspect.identify", _("Suspect identified")
    PROCEDURE_STEP_RECORD = "procedure_step.record", _("Procedure step recorded")
    FOLLOW_UP_RECORD = "follow_up.record", _("Follow-up with the host State recorded")
    FOLLOW_UP_RECORD_RESPONSE = (
        "follow_up.record_response",
        _("Response of the host State recorded"),
    )
    CAPACITY_SUPPORT_RECORD = "capacity_support.record", _("Capacity support recorded")
    FOLLOWUP_REPORT_REQUEST = "followup_report.request", _("Follow-up report requested")
    FOLLOWUP_REPORT_DONE = "followup_report.done", _("Follow-up report ready")
    EXPORT = "export", _("Data exported")
    INCIDENT_RECORD = "incident.record", _("Incident recorded")
    INCIDENT_UPDATE = "incident.update", _("Incident changed")
    INCIDENT_SUBMIT = "incident.submit", _("Incident submitted")
    INCIDENT_VERIFY = "incident.verify", _("Incident verified")
    CASUALTY_ADD = "casualty.add", _("Casualty added")
    CASUALTY_REMOVE = "casualty.remove", _("Casualty removed")
    ATTACHMENT_ADD = "attachment.add", _("Evidence added")
    ARMED_GROUP_CREATE = "armed_group.create", _("Armed group added")
    ARMED_GROUP_ADD_ALIAS = "armed_group.add_alias", _("Alias of an armed group added")
    MISSION_CREATE = "mission.create", _("Mission added")
    MISSION_IMPORT = "mission.import", _("Missions imported")
    REFERENCE_DATA_LOAD = "reference_data.load", _("Reference data loaded")
    PERSONNEL_CREATE = "personnel.create", _("Peacekeeper added")
    MEMBERSHIP_GRANT = "membership.grant", _("Role granted")
    MEMBERSHIP_REVOKE = "membership.revoke", _("Role withdrawn")
    USER_CREATE = "user.create", _("User created")
    USER_DEACTIVATED = "user_deactivated", _("User deactivated")
    USER_SET_LANGUAGE = "user.set_language", _("Language chosen")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    LOGIN_FAILED = "login_failed", _("Failed sign-in")
    SESSIONS_ENDED = "sessions_ended", _("Sessions ended")
    TWO_FACTOR_ENABLED = "two_factor_enabled", _("Two-step verification turned on")
    TWO_FACTOR_DISABLED = "two_factor_disabled", _("Two-step verification turned off")
    TWO_FACTOR_FAILED = "two_factor_failed", _("Failed two-step verification")
    API_TOKEN_CREATE = "api_token.create", _("API token created")
    RETENTION_APPLY = "retention.apply", _("Retention rules applied")

    @classmethod
    def label_of(cls, code: str) -> str:
        """The label of `code` in the reader's language; an unlisted code as it is."""
        try:
            return str(cls(code).label)
        except ValueError:
            return code
