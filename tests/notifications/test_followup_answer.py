"""The host State's liaison answers the UN's communications; legal officers read the answer."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accountability.models import FollowUp
from accountability.services import followup_answer
from peacekeeping.errors import DomainError, OutOfScope
from peacekeeping.models import AuditEntry

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _answer_url(follow_up) -> str:
    return reverse("accountability:followup_answer", args=[follow_up.pk])


def test_the_liaison_answers_with_a_document_and_the_legal_officer_reads_it(
    world, client_of, followup_a
):
    liaison = client_of("liaison_a")
    form = liaison.get(_answer_url(followup_a))
    assert form.status_code == 200
    assert followup_a.summary in form.content.decode()

    response = liaison.post(
        _answer_url(followup_a),
        {
            "answered_on": date.today().isoformat(),
            "text": "The prosecutor of Bangui opened an inquiry on 3 March.",
            "document": SimpleUploadedFile("note verbale.pdf", PDF),
        },
    )

    assert response.status_code == 302
    followup_a.refresh_from_db()
    assert followup_a.response_by_liaison
    assert followup_a.response_recorded_by == world.users["liaison_a"]
    assert followup_a.response_document_name == "note verbale.pdf"
    assert AuditEntry.objects.filter(action="follow_up.answer", object_id=str(followup_a.pk))
    register = client_of("legal_a").get(reverse("accountability:followup_register"))
    body = register.content.decode()
    assert "The prosecutor of Bangui opened an inquiry" in body
    assert "by the State's liaison" in body
    document_url = reverse("accountability:followup_document", args=[followup_a.pk])
    assert document_url in body
    download = client_of("legal_a").get(document_url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    # The case page shows it too.
    case_page = client_of("legal_a").get(world.case_a.get_absolute_url())
    assert "The prosecutor of Bangui opened an inquiry" in case_page.content.decode()


@pytest.mark.parametrize(
    "persona", ["legal_a", "staff_a", "analyst_a", "analyst_all", "liaison_fr", "liaison_other"]
)
def test_only_the_host_states_liaison_answers_anyone_else_gets_404(
    world, client_of, followup_a, persona
):
    client = client_of(persona)

    assert client.get(_answer_url(followup_a)).status_code == 404
    posted = client.post(
        _answer_url(followup_a), {"answered_on": date.today().isoformat(), "text": "Hijacked"}
    )
    assert posted.status_code == 404
    followup_a.refresh_from_db()
    assert followup_a.response_received_on is None


def test_a_nationality_liaison_reads_its_nationals_cases_communications_but_does_not_answer(
    world, client_of
):
    followup_b = FollowUp.objects.get(case=world.case_b)
    client = client_of("liaison_fr")

    register = client.get(reverse("accountability:followup_register")).content.decode()
    assert world.case_b.reference in register
    assert world.case_a.reference not in register
    assert _answer_url(followup_b) not in register
    assert client.get(_answer_url(followup_b)).status_code == 404
    with pytest.raises(OutOfScope):
        followup_answer(
            actor=world.users["liaison_fr"],
            follow_up=followup_b,
            answered_on=date.today(),
            text="Not ours to answer",
        )


def test_a_refused_answer_says_why_and_changes_nothing(world, client_of, followup_a):
    liaison = client_of("liaison_a")
    before_sent = followup_a.sent_on - timedelta(days=1)

    response = liaison.post(
        _answer_url(followup_a), {"answered_on": before_sent.isoformat(), "text": "Early"}
    )

    assert response.status_code == 400
    assert "cannot be dated before the follow-up was sent" in response.content.decode()
    refused_file = liaison.post(
        _answer_url(followup_a),
        {
            "answered_on": date.today().isoformat(),
            "text": "With a program",
            "document": SimpleUploadedFile("answer.pdf", b"MZ\x90\x00\x03\x00\x00\x00" * 10),
        },
    )
    assert refused_file.status_code == 400
    assert "This type of file is not accepted" in refused_file.content.decode()
    followup_a.refresh_from_db()
    assert followup_a.response_received_on is None
    assert not followup_a.response_document


def test_a_communication_is_answered_once(world, followup_a):
    liaison = world.users["liaison_a"]
    followup_answer(actor=liaison, follow_up=followup_a, answered_on=date.today(), text="First")

    with pytest.raises(DomainError, match="already recorded"):
        followup_answer(actor=liaison, follow_up=followup_a, answered_on=date.today(), text="2nd")


def test_the_register_lists_only_what_is_in_scope_and_its_state_filter_too(world, client_of):
    body = client_of("liaison_a").get(reverse("accountability:followup_register")).content.decode()

    assert world.case_a.reference in body
    assert world.case_b.reference not in body
    assert world.host_b.name_en not in body  # not even as a filter choice
    answered = client_of("liaison_a").get(
        reverse("accountability:followup_register"), {"status": "answered"}
    )
    assert world.case_a.reference not in answered.content.decode()
    staff = client_of("staff_a").get(reverse("accountability:followup_register")).content.decode()
    assert world.case_a.reference not in staff


def test_the_register_takes_the_same_queries_for_one_or_many_communications(
    world, client_of, django_assert_num_queries
):
    from accountability.services import followup_record

    client = client_of("analyst_all")
    url = reverse("accountability:followup_register")
    # session, user, the user's memberships (scope), the States of the filter, COUNT, the
    # page of rows with their case, State and recorder, the user's saved searches.
    with django_assert_num_queries(7):
        client.get(url)
    for day in range(5):
        followup_record(
            actor=world.users["admin"],
            case=world.case_b,
            sent_on=date.today() - timedelta(days=day),
            channel="letter",
            summary=f"Reminder {day}",
        )
    with django_assert_num_queries(7):
        response = client.get(url)
    assert response.content.decode().count("Reminder") == 5
