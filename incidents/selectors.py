"""Reads of the incidents app that services and views share."""

from incidents.choices import IncidentType, Outcome
from incidents.models import Incident

# The outcomes that make an attack a matter for a justice case (resolution 2589).
HARM_OUTCOMES = (Outcome.KILLED, Outcome.INJURED)


def incident_case_refusal(incident: Incident) -> str | None:
    """Why the incident cannot open a case, or None when it can: only a malicious act
    that killed or injured at least one peacekeeper calls for a case."""
    if incident.incident_type != IncidentType.MALICIOUS_ACT:
        return (
            f"Only a malicious act opens a case; {incident.reference} is recorded as "
            f"“{incident.get_incident_type_display()}”."
        )
    if not incident.casualties.filter(outcome__in=HARM_OUTCOMES).exists():
        return (
            f"A case needs a peacekeeper killed or injured; no casualty of {incident.reference} "
            "was killed or injured."
        )
    return None
