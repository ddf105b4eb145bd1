"""factory_boy factories for the domain's rows.

Countries and missions are fetched by their code when the reference data loaded by
migration already holds them (django_get_or_create), so tests never collide with it.
Factories write rows directly: tests of the services call the services instead.
"""

from datetime import UTC, date, datetime, timedelta

import factory
from django.contrib.auth import get_user_model

from accountability.choices import FollowUpChannel, InvestigationStatus, ProcedureStepKind
from accountability.models import Case, CaseIncident, FollowUp, Suspect
from incidents.choices import AttackType, IncidentType, Outcome
from incidents.models import Casualty, Incident
from missions.choices import PersonnelCategory
from missions.models import Country, Mission, Personnel


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    # Unusable, because hashing a real one costs half a second a user: log test users
    # in with client.force_login, or give password="..." to hash one.
    password = factory.django.Password(None)


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ("iso3",)

    iso3 = "MLI"
    name_en = factory.LazyAttribute(lambda country: f"Country {country.iso3}")
    name_fr = factory.LazyAttribute(lambda country: f"Pays {country.iso3}")


class MissionFactory(factory.django.DjangoModelFactory):
    """A test mission (acronyms TESTM1, TESTM2...: none of the real ones) with one host."""

    class Meta:
        model = Mission
        django_get_or_create = ("acronym",)
        skip_postgeneration_save = True

    acronym = factory.Sequence(lambda n: f"TESTM{n}")
    name_en = factory.LazyAttribute(lambda mission: f"Test mission {mission.acronym}")
    active = True

    @factory.post_generation
    def host_countries(self, create, extracted, **kwargs):
        if not create:
            return
        if extracted is None:
            extracted = [CountryFactory()]
        self.host_countries.set(extracted)


class PersonnelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Personnel

    service_number = factory.Sequence(lambda n: f"SN{n:06d}")
    contributing_country = factory.SubFactory(CountryFactory, iso3="SEN")
    given_name = "Awa"
    family_name = factory.Sequence(lambda n: f"Diallo{n}")
    category = PersonnelCategory.MILITARY_CONTINGENT
    nationality = factory.SelfAttribute("contributing_country")


class IncidentFactory(factory.django.DjangoModelFactory):
    """A malicious act 200 days ago, as a draft (add casualties with CasualtyFactory)."""

    class Meta:
        model = Incident

    reference = factory.Sequence(lambda n: f"FACTORY-{n:06d}")
    mission = factory.SubFactory(MissionFactory)
    occurred_at = factory.LazyFunction(
        lambda: datetime.combine(date.today() - timedelta(days=200), datetime.min.time(), UTC)
    )
    country = factory.SubFactory(CountryFactory)
    incident_type = IncidentType.MALICIOUS_ACT
    attack_type = factory.Maybe(
        factory.LazyAttribute(
            lambda incident: incident.incident_type == IncidentType.MALICIOUS_ACT
        ),
        yes_declaration=AttackType.IED,
        no_declaration="",
    )


class CasualtyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Casualty

    incident = factory.SubFactory(IncidentFactory)
    category = PersonnelCategory.MILITARY_CONTINGENT
    nationality = factory.SubFactory(CountryFactory, iso3="SEN")
    outcome = Outcome.KILLED


class CaseFactory(factory.django.DjangoModelFactory):
    """A case whose denormalised fields are set directly (no incidents attached)."""

    class Meta:
        model = Case
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"CASE-FACTORY-{n:06d}")
    mission = factory.SubFactory(MissionFactory)
    host_state = factory.SubFactory(CountryFactory)
    attack_date = factory.LazyFunction(lambda: date.today() - timedelta(days=200))
    opened_on = factory.SelfAttribute("attack_date")
    investigation_status = InvestigationStatus.UNKNOWN
    killed = 1
    injured = 0

    @factory.post_generation
    def incidents(self, create, extracted, **kwargs):
        if create and extracted:
            CaseIncident.objects.bulk_create(
                [CaseIncident(case=self, incident=incident) for incident in extracted]
            )


class SuspectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Suspect

    case = factory.SubFactory(CaseFactory)
    name = factory.Sequence(lambda n: f"Suspect {n}")
    status = ProcedureStepKind.IDENTIFIED


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    case = factory.SubFactory(CaseFactory)
    sent_on = factory.LazyFunction(lambda: date.today() - timedelta(days=30))
    channel = FollowUpChannel.NOTE_VERBALE
    summary = "Request for information on the investigation."
    response_due = factory.LazyAttribute(lambda follow_up: follow_up.sent_on + timedelta(days=30))
