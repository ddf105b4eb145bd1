"""Every main HTML form fuzzed with hypothesis: whatever is posted, never a server error.

Each form's fields are read off the page itself (inputs, selects with their options,
textareas, file inputs), so a field added later is fuzzed too. Values mix arbitrary
text (NUL bytes, very long, any script), numbers, dates, the select's own options and
an XSS corpus. The filter forms of the lists get the same treatment in their query
strings. (The REST API is fuzzed by schemathesis: tests/api/test_schemathesis.py.)
"""

from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accountability.services import investigation_open
from incidents.services import incident_record
from tests.reliability.xss import PAYLOADS

pytestmark = pytest.mark.django_db

EXAMPLES = 25
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SKIPPED = {"csrfmiddlewaretoken", "action"}


class FormFields(HTMLParser):
    """Names of a page's form fields, with the options of selects and checkboxes."""

    def __init__(self, action: str):
        super().__init__()
        self.action = action
        self.inside = False
        self.fields: dict[str, dict] = {}
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("method", "get").lower() == "post" and attrs.get(
                "action", self.action
            ) in (self.action, "")
            return
        if not self.inside:
            return
        name = attrs.get("name")
        if tag in {"input", "textarea", "select"} and name and name not in SKIPPED:
            kind = attrs.get("type", tag)
            field = self.fields.setdefault(name, {"kind": kind, "options": []})
            if kind in {"checkbox", "radio", "hidden"} and attrs.get("value") is not None:
                field["options"].append(attrs["value"])
            if tag == "select":
                self._select = name
        elif tag == "option" and self._select:
            self.fields[self._select]["options"].append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None


def fields_of(client: Client, url: str) -> dict[str, dict]:
    response = client.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    parser = FormFields(url)
    parser.feed(response.content.decode())
    assert parser.fields, f"no form found at {url}"
    return parser.fields


def anything() -> st.SearchStrategy[str]:
    today = date.today()
    return st.one_of(
        st.text(max_size=300),
        st.text(max_size=3),
        st.just(""),
        st.sampled_from(PAYLOADS),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(str),
        st.dates(min_value=today - timedelta(days=3000), max_value=today).map(str),
        st.just("x" * 20_000),
        st.decimals(allow_nan=True, allow_infinity=True).map(str),
    )


def value_for(field: dict) -> st.SearchStrategy:
    if field["kind"] == "file":
        return st.builds(
            lambda name, content: SimpleUploadedFile(name or "f", content),
            st.text(min_size=0, max_size=40).filter(lambda n: "\x00" not in n),
            st.binary(max_size=2048),
        )
    if field["options"]:
        return st.one_of(st.sampled_from(field["options"]), anything())
    return anything()


def post_data(fields: dict[str, dict]) -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries(
        {},
        optional={name: value_for(field) for name, field in fields.items()},
    )


# --- the forms ---------------------------------------------------------------------------


@pytest.fixture
def forms(world):
    """(persona, URL) of each main form, on mission A's objects."""
    staff, legal = world.users["staff_a"], world.users["legal_a"]
    draft = incident_record(
        actor=staff,
        mission=world.mission_a,
        occurred_at=date.today() - timedelta(days=5),
        incident_type="malicious_act",
        place="Draft place",
    )
    investigation = investigation_open(
        actor=legal,
        case=world.case_a,
        authority="police",
        opened_on=world.case_a.attack_date,
        source="PV",
    )
    ref = world.case_a.reference
    follow_up = world.case_a.follow_ups.first()
    return {
        "incident_create": (staff, reverse("incidents:incident_create")),
        "incident_edit": (staff, reverse("incidents:incident_edit", args=[draft.reference])),
        "case_edit": (legal, reverse("accountability:case_edit", args=[ref])),
        "investigation": (
            legal,
            reverse("accountability:case_record_investigation", args=[ref]),
        ),
        "investigation_status": (
            legal,
            reverse("accountability:investigation_update_status", args=[ref, investigation.pk]),
        ),
        "suspect": (legal, reverse("accountability:case_record_suspect", args=[ref])),
        "procedure_step": (
            legal,
            reverse("accountability:suspect_record_step", args=[ref, world.suspect_a.pk]),
        ),
        "follow_up": (legal, reverse("accountability:case_record_followup", args=[ref])),
        "follow_up_response": (
            legal,
            reverse("accountability:followup_record_response", args=[ref, follow_up.pk]),
        ),
        "capacity_support": (
            legal,
            reverse("accountability:capacity_support_create", args=[ref]),
        ),
        "password_change": (staff, reverse("password_change")),
        "login": (None, reverse("login")),
    }


@pytest.mark.parametrize(
    "name",
    [
        "incident_create",
        "incident_edit",
        "case_edit",
        "investigation",
        "investigation_status",
        "suspect",
        "procedure_step",
        "follow_up",
        "follow_up_response",
        "capacity_support",
        "password_change",
        "login",
    ],
)
def test_no_post_to_a_form_is_a_server_error(forms, name):
    user, url = forms[name]
    client = Client()
    if user is not None:
        client.force_login(user)
    fields = fields_of(client, url)

    @FUZZ
    @given(data=post_data(fields), submit=st.sampled_from(["draft", "submit", ""]))
    def post(data, submit):
        if submit:
            data = {**data, "action": submit}
        response = client.post(url, data)
        assert response.status_code < 500, (url, data)

    post()


@pytest.mark.parametrize(
    "persona, url_name, params",
    [
        (
            "staff_a",
            "incidents:incident_list",
            [
                "q",
                "mission",
                "incident_type",
                "attack_type",
                "outcome",
                "status",
                "occurred_after",
                "occurred_before",
                "page",
                "page_size",
            ],
        ),
        (
            "legal_a",
            "accountability:case_board",
            ["mission", "host_state", "stage", "impunity", "sort", "page"],
        ),
        (
            "analyst_all",
            "accountability:statistics",
            [
                "mission",
                "host_state",
                "occurred_after",
                "occurred_before",
                "incident_type",
                "category",
                "nationality",
                "stage",
            ],
        ),
        (
            "analyst_all",
            "accountability:incident_map_data",
            ["mission", "occurred_after", "outcome"],
        ),
        ("legal_a", "reports:report_list", ["host_state", "period", "status"]),
    ],
)
def test_no_query_string_to_a_list_is_a_server_error(world, persona, url_name, params):
    client = Client()
    client.force_login(world.users[persona])
    url = reverse(url_name)

    @FUZZ
    @given(query=st.fixed_dictionaries({}, optional=dict.fromkeys(params, anything())))
    def get(query):
        response = client.get(url, query)
        assert response.status_code < 500, (url, query)

    get()
