"""A suspect's procedure before the host State's courts: the one place for its rules.

- the steps and where they lead: `ProcedureState` replays a suspect's steps in date order
  (charge, trial, verdicts and appeals, custody, death);
- the transitions: `procedure_step_refusal` says why a step cannot come next (a verdict
  with no trial, a trial with no charge, a release without custody...), or None;
- verdicts (`VERDICTS`), the steps that take into or end custody;
- the case's stage from its suspects' states and its investigations (`case_stage`,
  `investigation_status_of`);
- when a suspect's matter has ended (`ENDED_STEP_KINDS`: final judgment, acquittal, death),
  which the retention of personal data (peacekeeping/retention.py) waits for.

The services (accountability/services/procedure.py) write the steps and call these
rules; the selectors, reports, indicators and retention read them. Pure functions of the
rows: no query here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from accountability.choices import CaseStage, InvestigationStatus, ProcedureStepKind

if TYPE_CHECKING:
    from accountability.models import ProcedureStep

K = ProcedureStepKind
VERDICTS = frozenset({K.CONVICTED, K.ACQUITTED})
TAKES_INTO_CUSTODY = frozenset({K.ARRESTED, K.DETAINED})
ENDS_CUSTODY = frozenset({K.RELEASED, K.ESCAPED})
# A suspect whose last step is one of these has no matter left before the courts.
ENDED_STEP_KINDS = frozenset({K.FINAL, K.ACQUITTED, K.DECEASED})

# When several investigations run, the case shows the furthest one; a closed one counts
# only when no other is still going.
_INVESTIGATION_RANK = {
    InvestigationStatus.CLOSED_WITHOUT_CHARGE: 1,
    InvestigationStatus.OPENED: 2,
    InvestigationStatus.SUSPECTS_IDENTIFIED: 3,
    InvestigationStatus.REFERRED_FOR_TRIAL: 4,
}


@dataclass
class ProcedureState:
    """Where a suspect's procedure stands, replayed from the steps in date order."""

    last: ProcedureStep | None = None
    charged_on: date | None = None
    trial_opened_on: date | None = None
    last_verdict: ProcedureStep | None = None
    appeal_pending_since: date | None = None
    sentenced_on: date | None = None
    final_on: date | None = None
    in_custody: bool = False
    custody_since: date | None = None
    ever_arrested: bool = False
    deceased_on: date | None = None

    @classmethod
    def from_steps(cls, steps: Iterable[ProcedureStep]) -> ProcedureState:
        state = cls()
        for step in sorted(steps, key=lambda s: (s.occurred_on, s.pk or 0)):
            state.apply(step)
        return state

    def apply(self, step: ProcedureStep) -> None:
        kind, on = step.kind, step.occurred_on
        self.last = step
        if kind == K.CHARGED and self.charged_on is None:
            self.charged_on = on
        elif kind == K.TRIAL_OPENED and self.trial_opened_on is None:
            self.trial_opened_on = on
        elif kind in VERDICTS:
            self.last_verdict = step
            self.appeal_pending_since = None
            self.sentenced_on = None
        elif kind == K.SENTENCED:
            self.sentenced_on = on
        elif kind == K.APPEAL:
            self.appeal_pending_since = on
        elif kind == K.FINAL:
            self.final_on = on
            self.appeal_pending_since = None
        elif kind == K.DECEASED:
            self.deceased_on = on
        if kind in TAKES_INTO_CUSTODY:
            self.ever_arrested = True
            if not self.in_custody:
                self.in_custody, self.custody_since = True, on
        elif kind in ENDS_CUSTODY or kind == K.DECEASED:
            self.in_custody, self.custody_since = False, None

    @property
    def convicted(self) -> bool:
        """The latest verdict is a conviction (an acquittal on appeal undoes it)."""
        return self.last_verdict is not None and self.last_verdict.kind == K.CONVICTED

    @property
    def acquitted_for_good(self) -> bool:
        """Acquitted, with no appeal pending against the acquittal."""
        return (
            self.last_verdict is not None
            and self.last_verdict.kind == K.ACQUITTED
            and self.appeal_pending_since is None
        )


def case_stage(
    *, investigation_status: str, has_investigation: bool, states: list[ProcedureState]
) -> str:
    """The furthest point the case has reached.

    Verdict: a suspect stands convicted, or every suspect was acquitted (or died) with no
    appeal pending. Closed: the investigation ended without charge and nobody was
    charged. An investigation referred for trial (renvoi) counts as charges filed.
    """
    if any(s.convicted for s in states) or (
        any(s.acquitted_for_good for s in states)
        and all(s.acquitted_for_good or s.deceased_on for s in states)
    ):
        return CaseStage.VERDICT
    if any(s.trial_opened_on or s.last_verdict for s in states):
        return CaseStage.TRIAL
    if (
        any(s.charged_on for s in states)
        or investigation_status == InvestigationStatus.REFERRED_FOR_TRIAL
    ):
        return CaseStage.CHARGED
    if investigation_status == InvestigationStatus.CLOSED_WITHOUT_CHARGE:
        return CaseStage.CLOSED
    if any(s.ever_arrested for s in states):
        return CaseStage.ARREST
    if states or investigation_status == InvestigationStatus.SUSPECTS_IDENTIFIED:
        return CaseStage.SUSPECTS_IDENTIFIED
    if has_investigation:
        return CaseStage.INVESTIGATION
    return CaseStage.NO_INVESTIGATION


def investigation_status_of(statuses: Iterable[str], *, current: str) -> str:
    """The case's investigation status from its investigations' statuses.

    With no investigation recorded the case keeps "unknown" or "not opened".
    """
    statuses = [s for s in statuses if s in _INVESTIGATION_RANK]
    if not statuses:
        if current in (InvestigationStatus.UNKNOWN, InvestigationStatus.NOT_OPENED):
            return current
        return InvestigationStatus.UNKNOWN
    return max(statuses, key=_INVESTIGATION_RANK.__getitem__)


def step_label(kind: str) -> str:
    """A step's name inside a sentence: "warrant issued"."""
    return str(K(kind).label).lower()


def procedure_step_refusal(kind: str, state: ProcedureState) -> str | None:
    """Why `kind` cannot be the suspect's next step, or None when it can.

    The same rules fit civil-law systems (mandat d'arrêt, inculpation, renvoi devant la
    cour d'assises) and common-law ones (warrant, charge, committal, trial): a verdict
    needs a trial, a trial and a committal need a charge, a sentence needs a conviction,
    an appeal and finality need a verdict, custody steps need custody.
    """
    if state.deceased_on:
        return _("The suspect died on %(date)s; no step can follow.") % {"date": state.deceased_on}
    if kind == K.IDENTIFIED:
        return _("The suspect was identified when first recorded; record the next step instead.")
    final = state.final_on
    if final and kind in {K.CHARGED, K.COMMITTED_FOR_TRIAL, K.TRIAL_OPENED, K.APPEAL, *VERDICTS}:
        return _("The judgment is final since %(date)s; no further %(step)s can be recorded.") % {
            "date": final,
            "step": step_label(kind),
        }
    if kind == K.ARRESTED and state.in_custody:
        return _(
            "The suspect is already in custody since %(date)s; record a release "
            "or an escape before a new arrest."
        ) % {"date": state.custody_since}
    if kind in {K.DETAINED, K.RELEASED, K.ESCAPED} and not state.in_custody:
        what = {K.DETAINED: _("Detention"), K.RELEASED: _("A release"), K.ESCAPED: _("An escape")}
        return _(
            "%(what)s needs the suspect in custody; no arrest is recorded since the last "
            "release or escape."
        ) % {"what": what[kind]}
    if kind == K.AT_LARGE and state.in_custody:
        return _(
            "The suspect is in custody since %(date)s; record a release or an escape first."
        ) % {"date": state.custody_since}
    if kind == K.COMMITTED_FOR_TRIAL and not state.charged_on:
        return _(
            "Committal for trial needs a charge; no charge has been filed against this suspect."
        )
    if kind == K.TRIAL_OPENED and not state.charged_on:
        return _("A trial needs a charge; no charge has been filed against this suspect.")
    if kind in VERDICTS:
        if not state.trial_opened_on:
            return _("A verdict needs a trial opened; no trial has been opened for this suspect.")
        if state.last_verdict and not state.appeal_pending_since:
            return _(
                "A verdict was already pronounced on %(date)s; a new "
                "verdict needs an appeal lodged since."
            ) % {"date": state.last_verdict.occurred_on}
    if kind == K.SENTENCED:
        if not state.convicted:
            return _("A sentence needs a conviction; this suspect has not been convicted.")
        if state.sentenced_on:
            return _("A sentence was already recorded on %(date)s for this conviction.") % {
                "date": state.sentenced_on
            }
    if kind == K.APPEAL:
        if not state.last_verdict:
            return _("An appeal needs a verdict; no verdict has been pronounced for this suspect.")
        if state.appeal_pending_since:
            return _("An appeal lodged on %(date)s is pending; record its verdict first.") % {
                "date": state.appeal_pending_since
            }
    if kind == K.FINAL and not state.last_verdict:
        return _(
            "A judgment becomes final only after a verdict; no verdict has been pronounced for "
            "this suspect."
        )
    return None
