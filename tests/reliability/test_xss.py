"""An XSS corpus in every free-text field never runs in the browser, under a strict
Content-Security-Policy with no inline script.

Every field a user can type into (incident, casualty, peacekeeper, armed group,
evidence file name, case summary, investigation, suspect, procedure step, follow-up,
response, capacity support) holds a payload of tests/reliability/xss.py, and so do the
search boxes' query strings. Chromium then opens every page that shows them: no dialog
opens, no script sets `window.__xss`, the console reports no error (a CSP violation, an
image that was never meant to load), and no page carries an inline script.
"""

from datetime import UTC, date, datetime, timedelta
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accountability.models import Case
from accountability.services import (
    capacity_support_record,
    case_update,
    followup_record,
    followup_record_response,
    investigation_open,
    procedure_record_step,
    suspect_identify,
)
from incidents.services import (
    armed_group_create,
    attachment_add,
    casualty_add,
    incident_record,
    incident_submit,
)
from missions.models import Personnel
from tests.browser.conftest import (  # noqa: F401 (fixtures of the browser tests)
    browser_type_launch_args,
)
from tests.browser.conftest import console_errors as console_errors  # noqa: F401
from tests.browser.conftest import login as login  # noqa: F401
from tests.reliability.xss import PAYLOADS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def payload(n: int) -> str:
    return PAYLOADS[n % len(PAYLOADS)]


@pytest.fixture
def poisoned(world, media_root):
    """Mission A's records, every free-text field holding a payload."""
    admin = world.users["admin"]
    group = armed_group_create(
        actor=admin, name=payload(0), aliases=[payload(1)], description=payload(2)
    )
    peacekeeper = Personnel.objects.create(
        service_number="XSS-1",
        contributing_country=world.host_b,
        given_name=payload(3)[:100],
        family_name=payload(4)[:100],
        category="military_contingent",
        rank=payload(5)[:60],
        unit=payload(6)[:120],
    )
    incident = incident_record(
        actor=admin,
        mission=world.mission_a,
        occurred_at=datetime.now(UTC) - timedelta(days=40),
        incident_type="malicious_act",
        attack_type="ambush",
        place=payload(1),
        admin_area=payload(2),
        narrative="\n".join(PAYLOADS),
        sources=payload(3),
        perpetrators=[group],
    )
    casualty_add(
        actor=admin, incident=incident, personnel=peacekeeper, outcome="killed", notes=payload(4)
    )
    attachment_add(
        actor=admin,
        incident=incident,
        uploaded_file=SimpleUploadedFile(f"{payload(1)}.pdf", b"%PDF-1.4\n%x\n"),
        description=payload(5),
    )
    incident_submit(actor=admin, incident=incident)
    case = Case.objects.get(case_incidents__incident=incident)
    on = case.attack_date
    case_update(actor=admin, case=case, summary="\n".join(PAYLOADS))
    investigation_open(
        actor=admin,
        case=case,
        authority="police",
        authority_name=payload(6)[:200],
        opened_on=on,
        source=payload(7),
        note=payload(8),
    )
    suspect = suspect_identify(
        actor=admin,
        case=case,
        name=payload(0),
        alias=payload(9),
        identified_on=on,
        source=payload(1),
    )
    procedure_record_step(
        actor=admin,
        suspect=suspect,
        kind="arrested",
        occurred_on=on + timedelta(days=1),
        source=payload(2),
        legal_term=payload(3),
        note=payload(4),
    )
    follow_up = followup_record(
        actor=admin, case=case, sent_on=on + timedelta(days=2), channel="letter", summary=payload(5)
    )
    followup_record_response(
        actor=admin, follow_up=follow_up, received_on=on + timedelta(days=3), outcome=payload(6)
    )
    capacity_support_record(
        actor=admin,
        host_state=world.host_a,
        provided_on=date.today() - timedelta(days=1),
        institution="judiciary",
        kind="training",
        description=payload(7),
        cases=[case],
    )
    return incident, case


def pages(incident, case) -> list[str]:
    search = quote(PAYLOADS[1])
    return [
        "/",
        "/incidents/",
        f"/incidents/?q={search}&place={search}",
        f"/incidents/{incident.reference}/",
        f"/incidents/{incident.reference}/edit/",
        "/cases/",
        f"/cases/?sort={search}&mission={search}",
        f"/cases/{case.reference}/",
        f"/cases/{case.reference}/edit/",
        f"/cases/{case.reference}/suspects/",
        "/cases/statistics/",
        "/cases/map/",
        "/reports/",
        "/accounts/",
    ]


def test_no_payload_ever_runs_in_the_browser(poisoned, live_server, page, login, console_errors):
    incident, case = poisoned
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    login(page, live_server, "admin")

    for path in pages(incident, case):
        response = page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        assert response.status in (200, 400), f"{path}: {response.status}"
        policy = response.headers["content-security-policy"]
        script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
        assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
        assert page.evaluate("typeof window.__xss") == "undefined", path
        assert page.evaluate("document.querySelectorAll('script:not([src])').length") == 0, path
        assert dialogs == [], f"{path}: {dialogs}"
        assert console_errors == [], f"{path}: {console_errors}"

    # The payloads are shown as the text they are.
    page.goto(f"{live_server.url}/incidents/{incident.reference}/")
    text = page.inner_text("main")
    assert PAYLOADS[0] in text and PAYLOADS[1] in text
