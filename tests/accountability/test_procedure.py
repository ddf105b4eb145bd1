"""A suspect's procedure: each step must follow from the ones before it.

The same state machine has to carry a civil-law procedure (Mali, CAR, DRC: mandat
d'arrêt, inculpation, renvoi devant la cour d'assises) and a common-law one (South Sudan:
warrant, charge, committal, trial).
"""

from datetime import date, timedelta

import pytest

from accountability.choices import CaseStage, ProcedureStepKind
from accountability.models import CaseEvent, ProcedureStep, Suspect
from accountability.services import procedure_record_step, suspect_identify
from peacekeeping.errors import DomainError, IllegalTransition
from peacekeeping.models import AuditEntry
from tests.accountability.conftest import days_ago

pytestmark = pytest.mark.django_db

K = ProcedureStepKind


@pytest.fixture
def suspect(actor, case):
    return suspect_identify(
        actor=actor,
        case=case,
        name="Oumar Test",
        identified_on=days_ago(190),
        source="Rapport d'enquête de la gendarmerie",
    )


def record(actor, suspect, kind, on, **extra):
    if kind == K.SENTENCED:
        extra.setdefault("sentence", "10 years")
    extra.setdefault("source", f"Court record: {kind}")
    return procedure_record_step(actor=actor, suspect=suspect, kind=kind, occurred_on=on, **extra)


def record_all(actor, suspect, kinds, *, start: date | None = None):
    """Record the steps a day apart, from `start` (default 180 days ago)."""
    start = start or days_ago(180)
    for offset, kind in enumerate(kinds):
        record(actor, suspect, kind, start + timedelta(days=offset))


def assert_refused(actor, suspect, kind, message, *, error=IllegalTransition, **extra):
    steps_before = ProcedureStep.objects.count()
    events_before = CaseEvent.objects.count()
    status_before = Suspect.objects.values_list("status", "in_custody").get(pk=suspect.pk)

    with pytest.raises(error) as refused:
        record(actor, suspect, kind, extra.pop("on", days_ago(10)), **extra)

    assert message in str(refused.value)
    assert ProcedureStep.objects.count() == steps_before
    assert CaseEvent.objects.count() == events_before
    assert Suspect.objects.values_list("status", "in_custody").get(pk=suspect.pk) == status_before


# --- what each step needs -------------------------------------------------------------


def test_it_rejects_a_verdict_before_charges_are_filed(actor, suspect):
    assert_refused(
        actor,
        suspect,
        K.CONVICTED,
        "A verdict needs a trial opened; no trial has been opened for this suspect.",
    )


def test_it_rejects_a_verdict_when_charged_but_not_tried(actor, suspect):
    record_all(actor, suspect, [K.CHARGED])

    assert_refused(actor, suspect, K.ACQUITTED, "A verdict needs a trial opened")


def test_it_rejects_a_trial_without_a_charge(actor, suspect):
    record_all(actor, suspect, [K.WARRANT_ISSUED, K.ARRESTED])

    assert_refused(
        actor,
        suspect,
        K.TRIAL_OPENED,
        "A trial needs a charge; no charge has been filed against this suspect.",
    )


def test_it_rejects_a_committal_for_trial_without_a_charge(actor, suspect):
    assert_refused(
        actor,
        suspect,
        K.COMMITTED_FOR_TRIAL,
        "Committal for trial needs a charge; no charge has been filed against this suspect.",
    )


@pytest.mark.parametrize(
    "before",
    [
        [K.CHARGED, K.TRIAL_OPENED],
        [K.CHARGED, K.TRIAL_OPENED, K.ACQUITTED],
    ],
)
def test_it_rejects_a_sentence_without_a_conviction(actor, suspect, before):
    record_all(actor, suspect, before)

    assert_refused(
        actor,
        suspect,
        K.SENTENCED,
        "A sentence needs a conviction; this suspect has not been convicted.",
    )


def test_it_rejects_a_second_sentence_for_one_conviction(actor, suspect):
    record_all(actor, suspect, [K.CHARGED, K.TRIAL_OPENED, K.CONVICTED, K.SENTENCED])

    assert_refused(actor, suspect, K.SENTENCED, "A sentence was already recorded on")


def test_it_rejects_a_sentencing_step_without_the_sentence(actor, suspect):
    record_all(actor, suspect, [K.CHARGED, K.TRIAL_OPENED, K.CONVICTED])

    assert_refused(
        actor, suspect, K.SENTENCED, "Give the sentence pronounced", error=DomainError, sentence=""
    )


def test_it_rejects_a_sentence_on_a_step_that_is_not_a_conviction(actor, suspect):
    assert_refused(
        actor,
        suspect,
        K.CHARGED,
        "A sentence goes with a conviction",
        error=DomainError,
        sentence="5 years",
    )


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        (K.APPEAL, "An appeal needs a verdict; no verdict has been pronounced for this suspect."),
        (K.FINAL, "A judgment becomes final only after a verdict; no verdict has been pronounced"),
    ],
)
def test_it_rejects_an_appeal_or_finality_without_a_verdict(actor, suspect, kind, message):
    record_all(actor, suspect, [K.CHARGED, K.TRIAL_OPENED])

    assert_refused(actor, suspect, kind, message)


def test_it_rejects_a_second_verdict_without_an_appeal(actor, suspect):
    record_all(actor, suspect, [K.CHARGED, K.TRIAL_OPENED, K.CONVICTED])

    assert_refused(
        actor, suspect, K.ACQUITTED, "a new verdict needs an appeal lodged since", on=days_ago(5)
    )


def test_it_rejects_a_second_appeal_while_one_is_pending(actor, suspect):
    record_all(actor, suspect, [K.CHARGED, K.TRIAL_OPENED, K.CONVICTED, K.APPEAL])

    assert_refused(actor, suspect, K.APPEAL, "is pending; record its verdict first")


@pytest.mark.parametrize("kind", [K.APPEAL, K.CONVICTED, K.TRIAL_OPENED, K.CHARGED])
def test_nothing_reopens_a_final_judgment(actor, suspect, kind):
    record_all(actor, suspect, [K.CHARGED, K.TRIAL_OPENED, K.CONVICTED, K.FINAL])

    assert_refused(actor, suspect, kind, "The judgment is final since")


@pytest.mark.parametrize(
    ("before", "kind", "message"),
    [
        ([], K.DETAINED, "Detention needs the suspect in custody"),
        ([], K.RELEASED, "A release needs the suspect in custody"),
        ([K.ARRESTED, K.RELEASED], K.ESCAPED, "An escape needs the suspect in custody"),
        ([K.ARRESTED, K.ESCAPED], K.DETAINED, "Detention needs the suspect in custody"),
    ],
)
def test_it_rejects_custody_steps_for_a_suspect_not_in_custody(
    actor, suspect, before, kind, message
):
    record_all(actor, suspect, before)

    assert_refused(actor, suspect, kind, message)


def test_it_rejects_an_arrest_of_a_suspect_already_in_custody(actor, suspect):
    record_all(actor, suspect, [K.ARRESTED, K.DETAINED])

    assert_refused(
        actor,
        suspect,
        K.ARRESTED,
        f"already in custody since {days_ago(180)}; record a release or an escape",
    )


def test_it_rejects_a_suspect_at_large_while_in_custody(actor, suspect):
    record_all(actor, suspect, [K.ARRESTED])

    assert_refused(actor, suspect, K.AT_LARGE, "The suspect is in custody since")


def test_it_accepts_a_new_arrest_after_an_escape(actor, suspect):
    record_all(actor, suspect, [K.ARRESTED, K.ESCAPED, K.AT_LARGE, K.ARRESTED])

    suspect.refresh_from_db()
    assert suspect.in_custody is True
    assert suspect.custody_since == days_ago(177)


def test_nothing_follows_the_death_of_the_suspect(actor, suspect):
    record_all(actor, suspect, [K.WARRANT_ISSUED, K.DECEASED])

    assert_refused(actor, suspect, K.WARRANT_ISSUED, f"The suspect died on {days_ago(179)}")


def test_it_rejects_a_second_identification(actor, suspect):
    assert_refused(actor, suspect, K.IDENTIFIED, "identified when first recorded")


# --- dates and sources ----------------------------------------------------------------


def test_it_rejects_a_step_dated_before_the_previous_one(actor, suspect):
    record(actor, suspect, K.ARRESTED, days_ago(100))

    assert_refused(
        actor,
        suspect,
        K.CHARGED,
        f"before the previous one (arrested on {days_ago(100)})",
        on=days_ago(101),
    )


def test_it_accepts_two_steps_on_the_same_day(actor, suspect):
    record(actor, suspect, K.ARRESTED, days_ago(100))
    record(actor, suspect, K.DETAINED, days_ago(100))

    assert suspect.steps.count() == 3


def test_it_rejects_a_step_dated_before_the_attack(actor, case):
    suspect = suspect_identify(
        actor=actor, case=case, name="X", identified_on=case.attack_date, source="PV"
    )

    assert_refused(
        actor,
        suspect,
        K.WARRANT_ISSUED,
        f"cannot be dated before the attack ({case.attack_date})",
        on=case.attack_date - timedelta(days=1),
    )


def test_it_rejects_a_step_dated_in_the_future(actor, suspect):
    assert_refused(
        actor, suspect, K.WARRANT_ISSUED, "cannot be dated in the future", on=days_ago(-1)
    )


def test_it_rejects_a_step_without_a_source(actor, suspect):
    assert_refused(
        actor, suspect, K.WARRANT_ISSUED, "Every step needs a source", error=DomainError, source=""
    )


def test_it_rejects_an_unknown_kind_of_step(actor, suspect):
    assert_refused(actor, suspect, "exorcism", "not a known procedure step", error=DomainError)


# --- whole procedures -----------------------------------------------------------------


def test_a_civil_law_procedure_runs_to_a_final_conviction(actor, case, suspect):
    path = [
        (K.WARRANT_ISSUED, "mandat d'arrêt du juge d'instruction"),
        (K.ARRESTED, "interpellation"),
        (K.DETAINED, "mandat de dépôt"),
        (K.CHARGED, "inculpation"),
        (K.COMMITTED_FOR_TRIAL, "arrêt de renvoi devant la cour d'assises"),
        (K.TRIAL_OPENED, "ouverture des débats, cour d'assises de Bamako"),
        (K.CONVICTED, "arrêt de condamnation"),
        (K.SENTENCED, "peine prononcée"),
        (K.APPEAL, "pourvoi en cassation"),
        (K.FINAL, "arrêt de la Cour suprême rejetant le pourvoi"),
    ]
    start = days_ago(170)
    for offset, (kind, term) in enumerate(path):
        record(actor, suspect, kind, start + timedelta(days=offset * 10), legal_term=term)

    suspect.refresh_from_db()
    case.refresh_from_db()
    assert [s.kind for s in suspect.steps.all()] == [K.IDENTIFIED] + [k for k, _ in path]
    assert suspect.steps.get(kind=K.CHARGED).legal_term == "inculpation"
    assert (suspect.status, suspect.status_since) == (K.FINAL, start + timedelta(days=90))
    assert suspect.in_custody is True
    assert suspect.custody_since == start + timedelta(days=10)
    assert case.stage == CaseStage.VERDICT
    assert case.has_conviction is True
    assert case.last_progress_on == start + timedelta(days=90)
    assert AuditEntry.objects.filter(action="procedure_step.record").count() == len(path)


def test_a_common_law_procedure_runs_through_committal_and_an_appeal(actor, case, suspect):
    path = [
        (K.WARRANT_ISSUED, "warrant of arrest"),
        (K.ARRESTED, "arrest"),
        (K.CHARGED, "charge sheet"),
        (K.DETAINED, "remanded in custody"),
        (K.COMMITTED_FOR_TRIAL, "committal to the High Court"),
        (K.TRIAL_OPENED, "trial, High Court of Juba"),
        (K.CONVICTED, "judgment"),
        (K.SENTENCED, "sentence"),
        (K.APPEAL, "notice of appeal, Court of Appeal"),
        (K.CONVICTED, "appeal dismissed, conviction upheld"),
        (K.SENTENCED, "sentence confirmed"),
        (K.FINAL, "no further appeal"),
        (K.RELEASED, "released on completion of sentence"),
    ]
    start = days_ago(170)
    for offset, (kind, term) in enumerate(path):
        record(actor, suspect, kind, start + timedelta(days=offset * 10), legal_term=term)

    suspect.refresh_from_db()
    case.refresh_from_db()
    assert suspect.status == K.RELEASED
    assert suspect.in_custody is False
    assert suspect.custody_since is None
    assert case.stage == CaseStage.VERDICT
    assert case.has_conviction is True


def test_the_case_stage_follows_the_furthest_suspect(actor, case, suspect):
    other = suspect_identify(
        actor=actor, case=case, name="Y", identified_on=days_ago(190), source="PV"
    )
    stages = []
    for who, kind in [
        (suspect, K.ARRESTED),
        (other, K.CHARGED),
        (suspect, K.CHARGED),
        (suspect, K.TRIAL_OPENED),
    ]:
        record(actor, who, kind, days_ago(100))
        case.refresh_from_db()
        stages.append(case.stage)

    assert stages == [CaseStage.ARREST, CaseStage.CHARGED, CaseStage.CHARGED, CaseStage.TRIAL]


def test_an_acquittal_closes_the_case_only_when_every_suspect_is_acquitted(actor, case, suspect):
    other = suspect_identify(
        actor=actor, case=case, name="Y", identified_on=days_ago(190), source="PV"
    )
    record_all(actor, suspect, [K.CHARGED, K.TRIAL_OPENED, K.ACQUITTED])
    case.refresh_from_db()
    assert case.stage == CaseStage.TRIAL

    record_all(actor, other, [K.CHARGED, K.TRIAL_OPENED, K.ACQUITTED])
    case.refresh_from_db()
    assert case.stage == CaseStage.VERDICT
    assert case.has_conviction is False


def test_an_acquittal_on_appeal_undoes_the_conviction(actor, case, suspect):
    record_all(actor, suspect, [K.CHARGED, K.TRIAL_OPENED, K.CONVICTED])
    case.refresh_from_db()
    assert case.has_conviction is True

    record_all(actor, suspect, [K.APPEAL, K.ACQUITTED], start=days_ago(100))
    case.refresh_from_db()
    assert case.has_conviction is False
    assert case.stage == CaseStage.VERDICT


# --- history is append-only -----------------------------------------------------------


def test_recording_a_step_never_changes_the_steps_before_it(actor, case, suspect):
    record_all(actor, suspect, [K.WARRANT_ISSUED, K.ARRESTED])
    columns = ("pk", "kind", "occurred_on", "legal_term", "source", "note", "sentence")
    history = list(suspect.steps.values_list(*columns))

    record_all(actor, suspect, [K.CHARGED, K.TRIAL_OPENED], start=days_ago(100))

    assert list(suspect.steps.values_list(*columns))[: len(history)] == history
    assert suspect.steps.count() == len(history) + 2
    assert case.events.filter(kind="procedure_step").count() == suspect.steps.count()


def test_each_step_is_written_to_the_audit_trail_with_its_source(actor, suspect):
    step = record(actor, suspect, K.WARRANT_ISSUED, days_ago(50), source="Mandat n° 12/2024")

    entry = AuditEntry.objects.get(action="procedure_step.record")
    assert entry.actor == actor
    assert entry.object_id == str(step.pk)
    assert entry.changes["source"] == [None, "Mandat n° 12/2024"]
    assert entry.changes["suspect"]["status"] == [K.IDENTIFIED, K.WARRANT_ISSUED]
